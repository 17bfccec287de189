"""PDF preparation, PAdES signing and verification for Sopu's agreements, on pyHanko and qpdf.

Bytes and dataclasses in, bytes and reports out: no web framework, no database.

Its names are imported on first use (PEP 562), so that `portal verify --trust` loads only what
verification needs (signing.cli), not the preparation, signing and PDF/A machinery."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from signing.ca import (
        business_id_of,
        certificate_sha256,
        create_authority,
        decrypt_private_key,
        encrypt_private_key,
        issue_certificate,
        issue_seal_certificate,
        valid_business_id,
    )
    from signing.errors import PdfRejected, SigningRefused
    from signing.isolation import IsolatedError, run_isolated
    from signing.longterm import (
        LongTermReport,
        ValidationData,
        add_validation_data,
        answer_timestamp_request,
        long_term_validation,
        timestamp_document,
        tsa_validation_data,
    )
    from signing.model import (
        CERTIFICATION_FIELD,
        DocumentId,
        ExpectedSigner,
        Limits,
        PdfFacts,
        Problem,
        SignatureReport,
        SignatureSlot,
        SignerKey,
        StampText,
        VerificationReport,
    )
    from signing.pdfcheck import check_pdf, normalise
    from signing.pki import (
        CertificateState,
        CertificateStatus,
        Pointers,
        Revocation,
        certificate_revocation_list,
        certificate_serial,
        ocsp_response,
    )
    from signing.preparation import prepare
    from signing.revision import RevisionReport, verify_latest_revision
    from signing.signature import sign
    from signing.verification import verify

_EXPORTS = {
    "business_id_of": "signing.ca",
    "certificate_sha256": "signing.ca",
    "create_authority": "signing.ca",
    "decrypt_private_key": "signing.ca",
    "encrypt_private_key": "signing.ca",
    "issue_certificate": "signing.ca",
    "issue_seal_certificate": "signing.ca",
    "valid_business_id": "signing.ca",
    "PdfRejected": "signing.errors",
    "SigningRefused": "signing.errors",
    "IsolatedError": "signing.isolation",
    "run_isolated": "signing.isolation",
    "LongTermReport": "signing.longterm",
    "ValidationData": "signing.longterm",
    "add_validation_data": "signing.longterm",
    "answer_timestamp_request": "signing.longterm",
    "long_term_validation": "signing.longterm",
    "timestamp_document": "signing.longterm",
    "tsa_validation_data": "signing.longterm",
    "CERTIFICATION_FIELD": "signing.model",
    "DocumentId": "signing.model",
    "ExpectedSigner": "signing.model",
    "Limits": "signing.model",
    "PdfFacts": "signing.model",
    "Problem": "signing.model",
    "SignatureReport": "signing.model",
    "SignatureSlot": "signing.model",
    "SignerKey": "signing.model",
    "StampText": "signing.model",
    "VerificationReport": "signing.model",
    "check_pdf": "signing.pdfcheck",
    "normalise": "signing.pdfcheck",
    "CertificateState": "signing.pki",
    "CertificateStatus": "signing.pki",
    "Pointers": "signing.pki",
    "Revocation": "signing.pki",
    "certificate_revocation_list": "signing.pki",
    "certificate_serial": "signing.pki",
    "ocsp_response": "signing.pki",
    "prepare": "signing.preparation",
    "RevisionReport": "signing.revision",
    "verify_latest_revision": "signing.revision",
    "sign": "signing.signature",
    "verify": "signing.verification",
}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'signing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "CERTIFICATION_FIELD",
    "CertificateState",
    "CertificateStatus",
    "DocumentId",
    "ExpectedSigner",
    "IsolatedError",
    "LongTermReport",
    "Limits",
    "PdfFacts",
    "PdfRejected",
    "Pointers",
    "Problem",
    "Revocation",
    "RevisionReport",
    "SignatureReport",
    "SignatureSlot",
    "SignerKey",
    "SigningRefused",
    "StampText",
    "ValidationData",
    "VerificationReport",
    "add_validation_data",
    "answer_timestamp_request",
    "business_id_of",
    "certificate_revocation_list",
    "certificate_serial",
    "certificate_sha256",
    "check_pdf",
    "create_authority",
    "decrypt_private_key",
    "encrypt_private_key",
    "issue_certificate",
    "issue_seal_certificate",
    "long_term_validation",
    "normalise",
    "ocsp_response",
    "prepare",
    "run_isolated",
    "sign",
    "timestamp_document",
    "tsa_validation_data",
    "valid_business_id",
    "verify",
    "verify_latest_revision",
]
