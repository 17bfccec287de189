"""verify(): every signature validated by pyHanko with full difference analysis, then the
agreement's own rules (signing.rules). A broken file gives a report, never an exception."""

from __future__ import annotations

import asyncio
import hashlib
import io
from collections.abc import Sequence
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.generic import DictionaryObject, PdfObject
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation.pdf_embedded import (
    EmbeddedPdfSignature,
    async_validate_pdf_signature,
    async_validate_pdf_timestamp,
)
from pyhanko.sign.validation.status import ModificationInfo, SignatureStatus
from pyhanko_certvalidator import ValidationContext

from signing import rules
from signing.ca import business_id_of_name
from signing.model import (
    CERTIFICATION_FIELD,
    ExpectedSigner,
    Problem,
    SignatureReport,
    VerificationReport,
)
from signing.preparation import business_id_from_tooltip


def verify(
    pdf: bytes,
    trust_roots_pem: Sequence[bytes],
    *,
    certifier_sha256: str | None = None,
    expected: Sequence[ExpectedSigner] | None = None,
) -> VerificationReport:
    """Validate every signature (integrity, signature, trust against `trust_roots_pem` without
    network access or revocation checks, full difference analysis) and the agreement's rules:
    certified first (by `certifier_sha256`), every expected field signed by its party and nothing
    else signed, no signature field that the certified revision did not have (its appearance
    could cover the text), the last signature covering the whole file. `expected` defaults to the empty
    signature fields of the certified revision, with the business IDs from their tooltips."""
    roots = [c for pem in trust_roots_pem for c in load_certs_from_pemder_data(pem)]
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        embedded = list(reader.embedded_signatures)
        signed = asyncio.run(_validate_all(embedded, roots))
        wanted = _expected_map(expected, reader, embedded)
        added = _fields_added_after_certification(reader, embedded)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a finding, not a crash
        detail = f"{type(exc).__name__}: {exc}"[:300]
        return VerificationReport((), (Problem("unreadable", None, detail),))
    problems = rules.check(signed, len(pdf), wanted, certifier_sha256) + added
    return VerificationReport(tuple(s.report for s in signed), tuple(problems))


async def _validate_all(
    embedded: list[EmbeddedPdfSignature], roots: list[asn1_x509.Certificate]
) -> list[rules.Signed]:
    results = []
    for sig in embedded:
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        results.append(await validate_one(sig, context))
    return results


async def validate_one(sig: EmbeddedPdfSignature, context: ValidationContext) -> rules.Signed:
    """One signature (or document timestamp) validated with difference analysis of the
    revisions after it; an exception is reported as an invalid signature."""
    is_timestamp = sig.sig_object_type == "/DocTimeStamp"
    status: SignatureStatus | None
    try:
        if is_timestamp:
            status = await async_validate_pdf_timestamp(sig, context, DEFAULT_DIFF_POLICY)
        else:
            status = await async_validate_pdf_signature(sig, context, diff_policy=DEFAULT_DIFF_POLICY)
        error = None
    except Exception as exc:  # noqa: BLE001 - reported as an invalid signature
        status, error = None, f"{type(exc).__name__}: {exc}"[:300]
    return rules.Signed(
        report=_report(sig, status, error), is_timestamp=is_timestamp, byte_range_end=_byte_range_end(sig)
    )


def _report(sig: EmbeddedPdfSignature, status: SignatureStatus | None, error: str | None) -> SignatureReport:
    cert_der = sig.signer_cert.dump()
    subject = x509.load_der_x509_certificate(cert_der).subject
    modification = status if isinstance(status, ModificationInfo) else None
    return SignatureReport(
        field_name=sig.field_name,
        signer_name=_attribute(subject, x509.NameOID.COMMON_NAME),
        organisation=_attribute(subject, x509.NameOID.ORGANIZATION_NAME),
        business_id=business_id_of_name(subject),
        certificate_sha256=hashlib.sha256(cert_der).hexdigest(),
        signed_at=_signed_at(sig, status),
        is_certification=_is_certification(sig),
        intact=bool(status and status.intact),
        valid=bool(status and status.valid),
        trusted=bool(status and status.trusted),
        coverage=_name(modification.coverage if modification else None),
        modification_level=_name(modification.modification_level if modification else None),
        docmdp_ok=modification.docmdp_ok if modification else None,
        summary=status.summary() if status else f"ERROR: {error}",
    )


def _expected_map(
    expected: Sequence[ExpectedSigner] | None, reader: PdfFileReader, embedded: list[EmbeddedPdfSignature]
) -> dict[str, ExpectedSigner]:
    if expected is not None:
        return {e.field_name: e for e in expected}
    certification = next((s for s in embedded if s.field_name == CERTIFICATION_FIELD), None)
    if certification is None:
        return {}
    certified = reader.get_historical_resolver(certification.signed_revision)
    found = {}
    for name, _value, ref in enumerate_sig_fields(certified, filled_status=False):
        tooltip = ref.get_object().get("/TU")
        found[name] = ExpectedSigner(
            name, business_id_from_tooltip(str(tooltip) if tooltip is not None else None) or ""
        )
    return found


def _fields_added_after_certification(
    reader: PdfFileReader, embedded: list[EmbeddedPdfSignature]
) -> list[Problem]:
    certification = next((s for s in embedded if s.field_name == CERTIFICATION_FIELD), None)
    if certification is None:
        return []  # reported as not certified
    certified = reader.get_historical_resolver(certification.signed_revision)
    before = {name for name, _value, _ref in enumerate_sig_fields(certified)}
    return [
        Problem("unexpected_field", name, f"signature field {name} was added after certification")
        for name, value, ref in enumerate_sig_fields(reader)
        if name not in before and not _invisible_timestamp(value, ref.get_object())
    ]


def _invisible_timestamp(value: PdfObject | None, field: PdfObject) -> bool:
    """A document timestamp (long-term archiving) adds its own field; it may, if nobody sees it."""
    value = value.get_object() if value is not None else None
    if not isinstance(value, DictionaryObject) or value.get("/Type") != "/DocTimeStamp":
        return False
    if not isinstance(field, DictionaryObject) or "/Rect" not in field:
        return True
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    return x1 == x2 or y1 == y2


def _is_certification(sig: EmbeddedPdfSignature) -> bool:
    for reference in sig.sig_object.get("/Reference", ()):
        if reference.get_object().get("/TransformMethod") == "/DocMDP":
            return True
    return False


def _signed_at(sig: EmbeddedPdfSignature, status: SignatureStatus | None) -> datetime | None:
    reported: datetime | None = getattr(status, "signer_reported_dt", None) or getattr(
        status, "timestamp", None
    )
    if reported is not None:
        return reported
    try:
        return sig.self_reported_timestamp
    except Exception:  # noqa: BLE001 - a malformed /M is not worth failing the report
        return None


def _byte_range_end(sig: EmbeddedPdfSignature) -> int:
    byte_range = [int(x) for x in sig.byte_range]
    return byte_range[-2] + byte_range[-1] if len(byte_range) >= 2 else 0


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _name(value: object) -> str:
    return getattr(value, "name", "UNKNOWN") if value is not None else "UNKNOWN"
