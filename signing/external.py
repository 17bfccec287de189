"""A signature made outside the portal, with the representative's own certificate and a tool of
their choice, checked before the portal accepts it: the upload must be the current file plus one
revision that signs that party's empty field and nothing else (signing.revision's check), valid,
chained to one of the roots the portal trusts for own certificates, and the certificate must name
the representative (by e-mail address). Bytes in, a verdict out; no database."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from cryptography import x509
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.generic import DictionaryObject
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from signing.model import ExpectedSigner, Problem
from signing.revision import RevisionReport, verify_latest_revision


class Refusal(StrEnum):
    """Why an own-certificate upload is refused (each has a translated message in the portal)."""

    disabled = "disabled"  # the portal trusts no root for own certificates
    stale = "stale"  # it extends an earlier state of the file: another party signed since
    not_extending = "not_extending"  # it does not begin with the exact bytes of the current file
    not_one_revision = "not_one_revision"  # more (or less) than one new revision
    field_not_signed = "field_not_signed"  # the party's own field is not the one signed
    other_changes = "other_changes"  # the revision changes something beside that field
    invalid = "invalid"  # the signature is broken (integrity, cryptography)
    untrusted = "untrusted"  # the certificate does not chain to a trusted root
    wrong_person = "wrong_person"  # the certificate does not name the representative
    wrong_party = "wrong_party"  # the certificate names another organisation
    unreadable = "unreadable"  # the file cannot be read as a PDF


@dataclass(frozen=True)
class ExternalVerdict:
    """The verdict on an upload: the revision check's report, the signer certificate's e-mail
    addresses and subject, and the first refusal (None: accepted)."""

    revision: RevisionReport | None
    emails: tuple[str, ...]
    subject: str
    refusal: Refusal | None
    #: the place the signer gave (the signature's /Location), "" when none
    location: str = ""

    @property
    def ok(self) -> bool:
        return self.refusal is None and self.revision is not None and self.revision.ok

    def as_dict(self) -> dict[str, object]:
        """What the portal stores with the signature: the revision check plus how it was made."""
        base = self.revision.as_dict() if self.revision else {"ok": False}
        return base | {
            "ok": self.ok,
            "external": True,
            "subject": self.subject,
            "emails": list(self.emails),
            "refusal": str(self.refusal) if self.refusal else None,
        }


@dataclass(frozen=True)
class KnownFile:
    """A state of the document the portal held: its length and SHA-256 (lower-case hex)."""

    size: int
    sha256: str


def relation(upload: bytes, current: KnownFile, earlier: Iterable[KnownFile]) -> Refusal | None:
    """None when `upload` begins with the current file's exact bytes; `stale` when it begins with
    an earlier state instead (the signer downloaded before another party signed); otherwise
    `not_extending` (bytes before the new revision were changed)."""
    if _begins_with(upload, current):
        return None
    if any(_begins_with(upload, known) for known in earlier):
        return Refusal.stale
    return Refusal.not_extending


def _begins_with(upload: bytes, known: KnownFile) -> bool:
    return len(upload) > known.size and hashlib.sha256(upload[: known.size]).hexdigest() == known.sha256


def check_external(
    upload: bytes,
    current: bytes,
    earlier: Sequence[KnownFile],
    expected: ExpectedSigner,
    emails: Iterable[str],
    trust_roots_pem: Sequence[bytes],
) -> ExternalVerdict:
    """Check an own-certificate signature of `expected.field_name` for `expected.business_id`'s
    representative, whose e-mail addresses are `emails`. The certificate identifies them when
    its subjectAltName (rfc822Name) or subject emailAddress holds one of those addresses
    (case-insensitive); when it carries a business ID (organizationIdentifier or serialNumber) it
    must be the party's. The revision itself goes through verify_latest_revision with the roots
    `trust_roots_pem` (never the portal's own CA: a portal-issued key is signed in the portal)."""
    if not trust_roots_pem:
        return ExternalVerdict(None, (), "", Refusal.disabled)
    current_file = KnownFile(len(current), hashlib.sha256(current).hexdigest())
    if (refusal := relation(upload, current_file, earlier)) is not None:
        return ExternalVerdict(None, (), "", refusal)
    report = verify_latest_revision(upload, current, expected, trust_roots_pem)
    certificate, location = _signer_certificate(upload, expected.field_name)
    found_emails = certificate_emails(certificate) if certificate else ()
    subject = certificate.subject.rfc4514_string() if certificate else ""
    refusal = _refusal(report, found_emails, {e.strip().lower() for e in emails if e.strip()}, expected)
    if refusal is None:
        report = _without_identity_problems(report)
    return ExternalVerdict(report, found_emails, subject, refusal, location)


def certificate_emails(certificate: x509.Certificate) -> tuple[str, ...]:
    """The e-mail addresses a certificate names, lower-cased: subjectAltName rfc822Name entries,
    then subject emailAddress attributes."""
    found: list[str] = []
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        found += [str(v) for v in san.value.get_values_for_type(x509.RFC822Name)]
    except x509.ExtensionNotFound:
        pass
    found += [str(a.value) for a in certificate.subject.get_attributes_for_oid(NameOID.EMAIL_ADDRESS)]
    return tuple(dict.fromkeys(e.strip().lower() for e in found if e.strip()))


def _refusal(
    report: RevisionReport, emails: tuple[str, ...], wanted: set[str], expected: ExpectedSigner
) -> Refusal | None:
    codes = [p.code for p in report.problems]
    if "unreadable" in codes:
        return Refusal.unreadable
    if "not_incremental" in codes:
        return Refusal.not_one_revision
    if "unsigned_field" in codes:
        return Refusal.field_not_signed
    if {"modified_after_signing", "not_covering_whole_file", "unexpected_signature"} & set(codes):
        return Refusal.other_changes
    signature = report.signature
    if signature is None or not (signature.intact and signature.valid):
        return Refusal.invalid
    if not signature.trusted:
        return Refusal.untrusted
    if [p for p in report.problems if not _identity_problem(p)]:
        return Refusal.invalid
    if signature.business_id is not None and signature.business_id != expected.business_id:
        return Refusal.wrong_party
    if not wanted & set(emails):
        return Refusal.wrong_person
    return None


def _identity_problem(problem: Problem) -> bool:
    """The revision check expects the portal's own certificates, which carry the party's business
    ID; an own certificate usually names a person only, so that check is replaced by ours."""
    return problem.code == "wrong_signer"


def _without_identity_problems(report: RevisionReport) -> RevisionReport:
    """The report with the business-ID check that an own certificate replaces dropped (entry
    into force needs `ok` in every stored verdict)."""
    kept = tuple(p for p in report.problems if not _identity_problem(p))
    return RevisionReport(
        report.field_name, report.signature, report.modification_level, report.changed_fields, kept
    )


def _signer_certificate(pdf: bytes, field_name: str) -> tuple[x509.Certificate | None, str]:
    """The certificate and /Location of the signature in `field_name` (None and "" when there is
    none to read)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        for field_ref in reader.root["/AcroForm"]["/Fields"]:
            field = field_ref.get_object()
            if isinstance(field, DictionaryObject) and field.get("/T") == field_name and "/V" in field:
                sig = EmbeddedPdfSignature(reader, field, field_name)
                location = sig.sig_object.get("/Location")
                return (
                    x509.load_der_x509_certificate(sig.signer_cert.dump()),
                    " ".join(str(location).split())[:100] if location is not None else "",
                )
    except Exception:  # noqa: BLE001 - an unreadable signature has no certificate to name
        return None, ""
    return None, ""
