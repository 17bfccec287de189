"""verify_latest_revision(): the check of one signature as it is made. Only the new revision is
looked at (the signature in it and what it changed since the previous revision), so the cost
stays flat however many signatures came before; verify() is the check of the whole file."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from dataclasses import dataclass

from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    ModificationLevel,
    SuspiciousModification,
)
from pyhanko.sign.fields import MDPPerm, enumerate_sig_fields
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator import ValidationContext

from signing import rules
from signing.model import ExpectedSigner, Problem, SignatureReport
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
            "ok": self.ok, "field_name": self.field_name,
            "modification_level": self.modification_level,
            "changed_fields": list(self.changed_fields),
            "certificate_sha256": report.certificate_sha256 if report else None,
            "business_id": report.business_id if report else None,
            "intact": bool(report and report.intact), "valid": bool(report and report.valid),
            "trusted": bool(report and report.trusted),
            "problems": [{"code": p.code, "field_name": p.field_name, "detail": p.detail}
                         for p in self.problems],
        }


def verify_latest_revision(pdf: bytes, previous: bytes, expected: ExpectedSigner,
                           trust_roots_pem: Sequence[bytes]) -> RevisionReport:
    """Check that `pdf` is `previous` plus exactly one revision holding a signature in
    `expected.field_name`, by `expected`'s party (and certificate, when given), intact, valid,
    trusted against `trust_roots_pem` and covering the whole file, and that the revision changed
    nothing but that field and its appearance (pyHanko's difference analysis between the two
    revisions, at form-filling level). A broken file gives a report, never an exception."""
    name = expected.field_name
    if not pdf.startswith(previous) or len(pdf) == len(previous):
        return _refused(name, Problem("not_incremental", name,
                                      "the new file does not extend the previous one"))
    roots = [c for pem in trust_roots_pem for c in load_certs_from_pemder_data(pem)]
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        last = reader.xrefs.total_revisions - 1
        if last < 1 or reader.xrefs.get_startxref_for_revision(last - 1) >= len(previous) \
                or reader.xrefs.get_startxref_for_revision(last) < len(previous):
            return _refused(name, Problem("not_incremental", name,
                                          "more or less than one new revision"))
        sig = _signature_in(reader, name)
        if sig is None:
            return _refused(name, Problem("unsigned_field", name, f"{name} is not signed"))
        context = ValidationContext(trust_roots=roots, allow_fetching=False,
                                    revocation_mode="soft-fail")
        signed = asyncio.run(validate_one(sig, context))
        level, changed, diff_problem = _difference(reader, last, name)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a finding, not a crash
        return _refused(name, Problem("unreadable", name, f"{type(exc).__name__}: {exc}"[:300]))
    problems = [] if sig.signed_revision == last else [
        Problem("not_incremental", name, "the signature is not in the newest revision")]
    problems += _signer_problems(signed.report, expected)
    problems += rules.coverage_problems([signed], len(pdf))
    problems += rules.validity_problems(signed.report)
    if diff_problem is not None:
        problems.append(diff_problem)
    return RevisionReport(name, signed.report, level, changed, tuple(problems))


def _refused(name: str, problem: Problem) -> RevisionReport:
    return RevisionReport(name, None, "UNKNOWN", (), (problem,))


def _signature_in(reader: PdfFileReader, name: str) -> EmbeddedPdfSignature | None:
    for found, value, ref in enumerate_sig_fields(reader, with_name=name):
        if found == name and value is not None:
            return EmbeddedPdfSignature(reader, ref.get_object(), found)
    return None


def _signer_problems(report: SignatureReport, expected: ExpectedSigner) -> list[Problem]:
    if report.is_certification:
        return [Problem("unexpected_signature", report.field_name, "a certification signature")]
    return rules.wrong_signer(report, expected)


def _difference(reader: PdfFileReader, last: int,
                name: str) -> tuple[str, tuple[str, ...], Problem | None]:
    """What the newest revision changed since the one before: at most form filling, and of the
    form fields only `name` (filled with its signature and appearance)."""
    try:
        result = DEFAULT_DIFF_POLICY.apply(old=reader.get_historical_resolver(last - 1),
                                           new=reader.get_historical_resolver(last),
                                           doc_mdp=MDPPerm.FILL_FORMS)
    except SuspiciousModification as exc:
        return "OTHER", (), Problem("modified_after_signing", name, str(exc)[:300])
    level = result.modification_level
    changed = tuple(sorted(result.changed_form_fields))
    if level > ModificationLevel.FORM_FILLING:
        return level.name, changed, Problem("modified_after_signing", name,
                                            f"the new revision changes more than a field "
                                            f"({level.name})")
    if set(changed) - {name}:
        return level.name, changed, Problem("modified_after_signing", name,
                                            f"the new revision changes {', '.join(changed)}")
    return level.name, changed, None
