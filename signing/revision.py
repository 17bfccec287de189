"""verify_latest_revision(): the check of one signature as it is made. Only the new revision is
looked at (the signature in it and what it changed since the previous revision), so the cost
stays flat however many signatures came before; verify() is the check of the whole file."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto.x509 import Certificate
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    Reference,
)
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator import ValidationContext

from signing import rules
from signing.fastparse import fast_reading
from signing.fastread import open_pdf
from signing.history import _DSS_ARRAYS, _dss_added_only, _dss_growth
from signing.model import ExpectedSigner, Problem, SignatureReport
from signing.pdfobjects import changed_keys, raw_value, reference_of
from signing.verification import validate_one


@dataclass(frozen=True)
class RevisionReport:
    """The verdict on the newest revision: its signature's report (None when there is no
    signature to report on), how far the revision changed the previous one, and the problems."""

    field_name: str
    signature: SignatureReport | None
    modification_level: str
    changed_fields: tuple[str, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.signature is not None and not self.problems

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary (what the portal stores with the signature)."""
        report = self.signature
        return {
            "ok": self.ok,
            "field_name": self.field_name,
            "modification_level": self.modification_level,
            "changed_fields": list(self.changed_fields),
            "certificate_sha256": report.certificate_sha256 if report else None,
            "business_id": report.business_id if report else None,
            "intact": bool(report and report.intact),
            "valid": bool(report and report.valid),
            "trusted": bool(report and report.trusted),
            "problems": [
                {"code": p.code, "field_name": p.field_name, "detail": p.detail} for p in self.problems
            ],
        }


def verify_latest_revision(
    pdf: bytes, previous: bytes, expected: ExpectedSigner, trust_roots_pem: Sequence[bytes]
) -> RevisionReport:
    """Check that `pdf` is `previous` plus exactly one revision holding a signature in
    `expected.field_name`, by `expected`'s party (and certificate, when given), intact, valid,
    trusted against `trust_roots_pem` and covering the whole file, and that the revision changed
    nothing but that field's value and appearance (see _difference: the equivalent, for this one
    case, of pyHanko's difference analysis at form-filling level, at a cost that does not grow
    with the signatures before it). A broken file gives a report, never an exception."""
    name = expected.field_name
    if not pdf.startswith(previous) or len(pdf) == len(previous):
        return _refused(
            name, Problem("not_incremental", name, "the new file does not extend the previous one")
        )
    with fast_reading():
        return _verify(pdf, previous, expected, _certificates(tuple(trust_roots_pem)))


def _verify(
    pdf: bytes, previous: bytes, expected: ExpectedSigner, roots: tuple[Certificate, ...]
) -> RevisionReport:
    """verify_latest_revision once `pdf` is known to extend `previous`."""
    name = expected.field_name
    try:
        reader = open_pdf(pdf)
        last = reader.xrefs.total_revisions - 1
        if (
            last < 1
            or reader.xrefs.get_startxref_for_revision(last - 1) >= len(previous)
            or reader.xrefs.get_startxref_for_revision(last) < len(previous)
        ):
            return _refused(name, Problem("not_incremental", name, "more or less than one new revision"))
        written = frozenset(reader.xrefs.explicit_refs_in_revision(last))
        sig = _signature_in(reader, name, written)
        if sig is None:
            return _refused(name, Problem("unsigned_field", name, f"{name} is not signed"))
        context = ValidationContext(
            trust_roots=list(roots), allow_fetching=False, revocation_mode="soft-fail"
        )
        signed = asyncio.run(validate_one(sig, context))
        level, changed, diff_problem = _difference(reader, last, name, written)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a finding, not a crash
        return _refused(name, Problem("unreadable", name, f"{type(exc).__name__}: {exc}"[:300]))
    problems = (
        []
        if sig.signed_revision == last
        else [Problem("not_incremental", name, "the signature is not in the newest revision")]
    )
    problems += _signer_problems(signed.report, expected)
    problems += rules.coverage_problems([signed], len(pdf))
    problems += rules.validity_problems(signed.report)
    if diff_problem is not None:
        problems.append(diff_problem)
    return RevisionReport(name, signed.report, level, changed, tuple(problems))


@functools.lru_cache(maxsize=8)
def _certificates(pems: tuple[bytes, ...]) -> tuple[Certificate, ...]:
    """The trust roots parsed once per process, keyed by their very bytes (a changed root is
    another key; asn1crypto certificates are not changed by validation)."""
    return tuple(c for pem in pems for c in load_certs_from_pemder_data(pem))


def _refused(name: str, problem: Problem) -> RevisionReport:
    return RevisionReport(name, None, "UNKNOWN", (), (problem,))


def _signature_in(
    reader: PdfFileReader, name: str, written: frozenset[Reference]
) -> EmbeddedPdfSignature | None:
    ref = _field_ref(reader, name, written)
    if ref is None or "/V" not in reader.get_object(ref):
        return None
    return EmbeddedPdfSignature(reader, reader.get_object(ref), name)


def _signer_problems(report: SignatureReport, expected: ExpectedSigner) -> list[Problem]:
    if report.is_certification:
        return [Problem("unexpected_signature", report.field_name, "a certification signature")]
    return rules.wrong_signer(report, expected)


def _difference(
    reader: PdfFileReader, last: int, name: str, written: frozenset[Reference]
) -> tuple[str, tuple[str, ...], Problem | None]:
    """What the newest revision changed since the one before, read from that revision's own
    objects only (pyHanko's difference analysis first reads every object of the previous revision,
    which grows with each signature): the trailer still points at the same catalog and
    information dictionary, nothing is freed, and every object the revision overrides is either
    the field `name` with nothing but its value (/V) and appearance (/AP) changed, the catalog
    with nothing but its /DSS changed, the DSS dictionary or one of its arrays (the signature's
    own validation data: the DSS only grows, as signing.history's rule for a DSS update), its
    XMP metadata stream, or the information dictionary's dates and producer. New objects (the
    signature, its appearance and font, the validation data) are then reachable only through
    the field and the DSS.
    (The earlier revisions hold no dangling reference a new object could fill in: the prepared
    file is qpdf's rewrite, and every revision since was checked as it was made.)"""
    old, new = reader.get_historical_resolver(last - 1), reader.get_historical_resolver(last)
    before, after = old.trailer_view, new.trailer_view
    for key in ("/Root", "/Info", "/Encrypt"):
        if raw_value(before, key) != raw_value(after, key):
            return _changed(name, f"the trailer's {key} changed")
    if reader.xrefs.refs_freed_in_revision(last):
        return _changed(name, "the revision frees objects")
    root = reference_of(after.raw_get("/Root"))
    allowed = {root: frozenset({"/DSS"}), reference_of(raw_value(after, "/Info")): _INFO_KEYS}
    metadata = reference_of(raw_value(new.root, "/Metadata"))
    field = _field_ref(new, name, written)
    allowed[field] = frozenset({"/V", "/AP"})
    changed_fields: tuple[str, ...] = ()
    dss_touched = False
    for ref in reader.xrefs.explicit_refs_in_revision(last):
        if reader.xrefs.get_introducing_revision(ref) == last or ref == metadata:
            continue  # a new object, or the XMP metadata (never shown on a page)
        keys = changed_keys(old.get_object(ref), new.get_object(ref))
        if ref not in allowed and _dss_growth(old, new, ref):
            dss_touched = True  # the signature's own validation data (see signing.sign)
            continue
        if ref not in allowed or not keys <= allowed[ref]:
            return _changed(
                name, f"the revision changes object {ref.idnum} ({', '.join(sorted(keys)) or 'its content'})"
            )
        dss_touched = dss_touched or (ref == root and bool(keys))
        if ref == field and keys:
            changed_fields = (name,)
    if dss_touched and not _dss_added_only(old, new, _kept_entries(old)):
        return _changed(name, "the revision changes the DSS beyond adding validation data")
    return "FORM_FILLING", changed_fields, None


_INFO_KEYS = frozenset({"/ModDate", "/Producer"})


def _kept_entries(old: HistoricalResolver) -> set[Reference]:
    """The references in the previous revision's DSS arrays, not read: what _dss_added_only
    need not read again to see they are streams. This revision did not override any of them
    (_difference refuses a revision that overrides an object other than the DSS dictionary and
    its arrays) and each was judged when the revision that added it was checked; reading them
    all again made the check grow with every signature's validation data."""
    dss = old.root["/DSS"] if "/DSS" in old.root else None
    kept: set[Reference] = set()
    if not isinstance(dss, DictionaryObject):
        return kept
    for key in _DSS_ARRAYS:
        array = dss.raw_get(key).get_object() if key in dss else None
        if isinstance(array, ArrayObject):
            kept.update(value.reference for value in array.iterate() if isinstance(value, IndirectObject))
    return kept


def _changed(name: str, detail: str) -> tuple[str, tuple[str, ...], Problem]:
    return "OTHER", (), Problem("modified_after_signing", name, detail)


def _field_ref(
    resolver: PdfFileReader | HistoricalResolver, name: str, written: frozenset[Reference]
) -> Reference | None:
    """The top-level form field `name` (the portal's fields are all top-level), found without
    reading the other fields' values: each signed one holds a large signature (the cost would
    grow with every signature, as pyHanko's enumerate_sig_fields does).

    Only the fields the newest revision wrote (`written`) are read first: signing a field
    rewrites it, so that is where the field being checked is, and reading every field of a
    309-party agreement costs more than the rest of the check. That is the same field the whole
    list would give first: the list and every field's name are as the portal prepared them
    (unique), since each revision that changed any of them was refused (see _difference). When
    no written field has the name, every field is read, as before (the field is then unsigned,
    or signed in an earlier revision: the same findings)."""
    root = resolver.root
    acroform = root["/AcroForm"] if "/AcroForm" in root else None  # [] dereferences, get() not
    fields = acroform["/Fields"] if isinstance(acroform, DictionaryObject) and "/Fields" in acroform else None
    listed = fields if isinstance(fields, ArrayObject) else ()
    refs = [ref for ref in listed if isinstance(ref, IndirectObject)]
    newest = [ref for ref in refs if ref.reference in written]
    return _named(newest, name) or _named(refs, name)


def _named(refs: list[IndirectObject], name: str) -> Reference | None:
    """The first of `refs` that is a signature field named `name`."""
    for ref in refs:
        field = ref.get_object()
        if (
            isinstance(field, DictionaryObject)
            and "/T" in field
            and field["/T"] == name
            and raw_value(field, "/FT") == NameObject("/Sig")
        ):
            return reference_of(ref)
    return None
