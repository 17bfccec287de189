"""PDF preparation, PAdES signing and verification for Sopu's agreements, on pyHanko and qpdf.

Bytes and dataclasses in, bytes and reports out: no web framework, no database."""

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
)
from signing.model import (
    CERTIFICATION_FIELD,
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

__all__ = [
    "CERTIFICATION_FIELD",
    "CertificateState",
    "CertificateStatus",
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
    "valid_business_id",
    "verify",
    "verify_latest_revision",
]
