"""verify(): every signature validated (integrity, signature, trust at the time of its
timestamps, difference analysis of the revisions after it), then the agreement's own rules
(signing.rules). A broken file gives a report, never an exception; a broken signature is reported
as that signature. The difference analysis judges each revision once (signing.history), so the
whole file costs time linear in its signatures; `stock=True` uses pyHanko's own analysis, which
re-reads every later revision for each signature (the reference the fast one is tested against)."""

from __future__ import annotations

import asyncio
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.generic import DictionaryObject, PdfObject
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, DiffPolicy
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.pdf_embedded import (
    EmbeddedPdfSignature,
    async_validate_pdf_signature,
    async_validate_pdf_timestamp,
)
from pyhanko.sign.validation.status import ModificationInfo, SignatureStatus
from pyhanko_certvalidator import ValidationContext

from signing import rules
from signing.ca import business_id_of_name
from signing.fastread import open_pdf
from signing.history import RevisionPolicy
from signing.model import (
    CERTIFICATION_FIELD,
    SOPU_ID_KEY,
    DocumentId,
    ExpectedSigner,
    Problem,
    SignatureReport,
    VerificationReport,
)


@dataclass(frozen=True)
class _Broken:
    """A filled signature field whose signature cannot even be read."""

    field_name: str
    position: int
    error: str


def verify(
    pdf: bytes,
    trust_roots_pem: Sequence[bytes],
    *,
    certifier_sha256: str | None = None,
    expected: Sequence[ExpectedSigner] | None = None,
    at: datetime | None = None,
    stock: bool = False,
) -> VerificationReport:
    """Validate every signature (integrity, signature, trust against `trust_roots_pem` without
    network access or revocation checks, difference analysis) and the agreement's rules:
    certified first (by `certifier_sha256`), every expected field signed by its party and nothing
    else signed, no signature field that the certified revision did not have (its appearance
    could cover the text), nothing but validation data and document timestamps after the last
    signature, the last signature covering the whole file. `expected` defaults to the empty
    signature fields of the certified revision, with the business IDs from their tooltips.
    Certificates are validated at the earliest trusted timestamp covering a signature (its own
    signature timestamp or a later document timestamp), else at `at` (default: now)."""
    roots = [c for pem in trust_roots_pem for c in load_certs_from_pemder_data(pem)]
    sha256 = hashlib.sha256(pdf).hexdigest()
    try:
        reader = PdfFileReader(io.BytesIO(pdf)) if stock else open_pdf(pdf)
        found = _embedded(reader)
        readable = [s for s in found if isinstance(s, EmbeddedPdfSignature)]
        if not stock:
            prefill_digests(pdf, readable)
        first = min((s.signed_revision for s in readable), default=0) + 1
        policy: DiffPolicy = DEFAULT_DIFF_POLICY if stock else RevisionPolicy(reader, first)
        long_term = "/DSS" in reader.root
        signed = asyncio.run(_validate_all(found, roots, policy, at or datetime.now(UTC), long_term))
        wanted = _expected_map(expected, reader, readable)
        added = _fields_added_after_certification(reader, readable)
        document = _document_id(reader, readable)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a finding, not a crash
        detail = f"{type(exc).__name__}: {exc}"[:300]
        return VerificationReport((), (Problem("unreadable", None, detail),), sha256)
    ends_with_revision = pdf.rstrip().endswith(b"%%EOF")
    problems = rules.check(signed, len(pdf), wanted, certifier_sha256, ends_with_revision) + added
    return VerificationReport(tuple(s.report for s in signed), tuple(problems), sha256, document)


def _embedded(reader: PdfFileReader) -> list[EmbeddedPdfSignature | _Broken]:
    """Every filled signature field in signing order; one that cannot be read is kept as _Broken."""
    found: list[tuple[int, EmbeddedPdfSignature | _Broken]] = []
    for name, value, field in enumerate_sig_fields(reader, filled_status=True):
        try:
            sig = EmbeddedPdfSignature(reader, field.get_object(), name)
            found.append((sig.signed_revision, sig))
        except Exception as exc:  # noqa: BLE001 - reported as that signature
            try:
                position = reader.xrefs.get_last_change(value.reference)
            except Exception:  # noqa: BLE001 - not even where it is: after everything else
                position = reader.xrefs.total_revisions
            found.append((position, _Broken(name, position, f"{type(exc).__name__}: {exc}"[:300])))
    return [sig for _position, sig in sorted(found, key=lambda pair: pair[0])]


def prefill_digests(pdf: bytes, signatures: Sequence[EmbeddedPdfSignature]) -> None:
    """Hash the file once: a running hash is copied where each standard byte range [0, a, b, c]
    breaks off, and the copy finishes with bytes b..b+c. pyHanko would hash each range anew."""
    view, ranges = memoryview(pdf), []
    for sig in signatures:
        byte_range = [int(x) for x in sig.byte_range]
        if len(byte_range) == 4 and byte_range[0] == 0 and byte_range[1] <= byte_range[2]:
            if byte_range[2] + byte_range[3] <= len(pdf):
                ranges.append((byte_range[1], byte_range[2], byte_range[3], sig))
    for algorithm in {sig.external_md_algorithm for *_rest, sig in ranges}:
        running, position = hashlib.new(algorithm), 0
        for first_end, second_start, second_length, sig in sorted(
            (r for r in ranges if r[3].external_md_algorithm == algorithm), key=lambda r: r[0]
        ):
            running.update(view[position:first_end])
            position = first_end
            copy = running.copy()
            copy.update(view[second_start : second_start + second_length])
            sig.external_digests[algorithm] = copy.digest()


async def _validate_all(
    found: list[EmbeddedPdfSignature | _Broken],
    roots: list[asn1_x509.Certificate],
    policy: DiffPolicy,
    at: datetime,
    long_term: bool,
) -> list[rules.Signed]:
    """Document timestamps first (each at its own time), then every signature at the earliest
    trusted timestamp after it, its own signature timestamp included."""
    results: dict[int, rules.Signed] = {}
    anchors: list[tuple[int, datetime]] = []  # (position in `found`, time) of trusted timestamps
    for index, sig in enumerate(found):
        if isinstance(sig, EmbeddedPdfSignature) and sig.sig_object_type == "/DocTimeStamp":
            moment = min(_token_time(sig) or at, at)
            results[index] = await validate_one(sig, _context(roots, moment), policy)
            if results[index].report.valid and results[index].report.trusted:
                anchors.append((index, moment))
    for index, sig in enumerate(found):
        if isinstance(sig, _Broken):
            results[index] = _broken(sig)
        elif index not in results:
            later = [moment for position, moment in anchors if position > index]
            results[index] = await _validate_signature(sig, roots, policy, at, later)
    return [_long_term(results[i], long_term) for i in range(len(found))]


async def _validate_signature(
    sig: EmbeddedPdfSignature,
    roots: list[asn1_x509.Certificate],
    policy: DiffPolicy,
    at: datetime,
    later: list[datetime],
) -> rules.Signed:
    own = _token_time(sig)
    moment = min([at, *later, *([own] if own else [])])
    ts_context = _context(roots, min(own or at, at))
    result = await validate_one(sig, _context(roots, moment), policy, ts_context)
    if own is not None and moment == own and result.report.timestamp is None:
        moment = min([at, *later])  # its own timestamp is not a trusted one after all
        result = await validate_one(sig, _context(roots, moment), policy, ts_context)
    return result


def _context(roots: list[asn1_x509.Certificate], moment: datetime) -> ValidationContext:
    return ValidationContext(
        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail", moment=moment
    )


def _token_time(sig: EmbeddedPdfSignature) -> datetime | None:
    """The (not yet validated) time in a document timestamp or in a signature timestamp token."""
    try:
        tokens = (
            [sig.signed_data]
            if sig.sig_object_type == "/DocTimeStamp"
            else list(extract_tst_data_iter(sig.signer_info, signed=False))
        )
        if not tokens:
            return None
        when: datetime = tokens[0]["encap_content_info"]["content"].parsed["gen_time"].native
        return when
    except Exception:  # noqa: BLE001 - an unreadable token gives no time
        return None


async def validate_one(
    sig: EmbeddedPdfSignature,
    context: ValidationContext,
    policy: DiffPolicy = DEFAULT_DIFF_POLICY,
    ts_context: ValidationContext | None = None,
) -> rules.Signed:
    """One signature (or document timestamp) validated with difference analysis of the
    revisions after it; an exception is reported as an invalid signature."""
    is_timestamp = sig.sig_object_type == "/DocTimeStamp"
    status: SignatureStatus | None
    try:
        if is_timestamp:
            status = await async_validate_pdf_timestamp(sig, context, policy)
        else:
            status = await async_validate_pdf_signature(
                sig, context, ts_validation_context=ts_context or context, diff_policy=policy
            )
        error = None
    except Exception as exc:  # noqa: BLE001 - reported as an invalid signature
        status, error = None, f"{type(exc).__name__}: {exc}"[:300]
    try:
        report = _report(sig, status, error, context.moment)
    except Exception as exc:  # noqa: BLE001 - e.g. no signer certificate: that signature is broken
        return _broken(_Broken(sig.field_name, 0, error or f"{type(exc).__name__}: {exc}"[:300]))
    return rules.Signed(report=report, is_timestamp=is_timestamp, byte_range_end=_byte_range_end(sig))


def _report(
    sig: EmbeddedPdfSignature, status: SignatureStatus | None, error: str | None, moment: datetime | None
) -> SignatureReport:
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
        is_timestamp=sig.sig_object_type == "/DocTimeStamp",
        timestamp=_trusted_timestamp(sig, status),
        validated_at=moment,
    )


def _trusted_timestamp(sig: EmbeddedPdfSignature, status: SignatureStatus | None) -> datetime | None:
    if status is None:
        return None
    if sig.sig_object_type == "/DocTimeStamp":
        when: datetime | None = getattr(status, "timestamp", None)
        return when if status.valid and status.trusted else None
    token = getattr(status, "timestamp_validity", None)
    return token.timestamp if token is not None and token.valid and token.trusted else None


def _broken(sig: _Broken) -> rules.Signed:
    report = SignatureReport(
        field_name=sig.field_name,
        signer_name="",
        organisation="",
        business_id=None,
        certificate_sha256="",
        signed_at=None,
        is_certification=False,
        intact=False,
        valid=False,
        trusted=False,
        coverage="UNKNOWN",
        modification_level="UNKNOWN",
        docmdp_ok=None,
        summary=f"UNREADABLE: {sig.error}",
    )
    return rules.Signed(report=report, is_timestamp=False, byte_range_end=0)


def _long_term(signed: rules.Signed, has_dss: bool) -> rules.Signed:
    report = signed.report
    return replace(signed, report=replace(report, long_term=has_dss and report.timestamp is not None))


def _document_id(reader: PdfFileReader, embedded: list[EmbeddedPdfSignature]) -> DocumentId | None:
    """The portal's identifier as the certified revision has it (a later change to it would not
    count), or as the file has it when it is not certified."""
    certification = next((s for s in embedded if s.field_name == CERTIFICATION_FIELD), None)
    trailer = (
        reader.get_historical_resolver(certification.signed_revision).trailer_view
        if certification is not None
        else reader.trailer
    )
    info = trailer["/Info"] if "/Info" in trailer else None
    if not isinstance(info, DictionaryObject) or SOPU_ID_KEY not in info:
        return None
    return DocumentId.parse(str(info[SOPU_ID_KEY]))


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
            name, rules.business_id_from_tooltip(str(tooltip) if tooltip is not None else None) or ""
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
    try:
        byte_range = [int(x) for x in sig.byte_range]
    except (TypeError, ValueError):
        return 0
    return byte_range[-2] + byte_range[-1] if len(byte_range) >= 2 else 0


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _name(value: object) -> str:
    return getattr(value, "name", "UNKNOWN") if value is not None else "UNKNOWN"
