"""The agreement's own rules over validated signatures: pure functions, Problems out."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from signing.model import CERTIFICATION_FIELD, ExpectedSigner, Problem, SignatureReport

_TOOLTIP_ID = re.compile(r"\((\d{7}-\d)\)$")
ACCEPTABLE_COVERAGE = ("ENTIRE_FILE", "ENTIRE_REVISION")
ACCEPTABLE_MODIFICATIONS = ("NONE", "LTA_UPDATES", "FORM_FILLING")


@dataclass(frozen=True)
class Signed:
    """A signature's report plus what the rules need beyond it."""

    report: SignatureReport
    is_timestamp: bool
    byte_range_end: int


def check(
    signed: Sequence[Signed],
    file_length: int,
    expected: Mapping[str, ExpectedSigner],
    certifier_sha256: str | None,
    ends_with_revision: bool = False,
) -> list[Problem]:
    """Every violated rule, in a stable order: certification, signers, coverage, validity."""
    problems = certification_problems(signed, certifier_sha256)
    problems += signer_problems(signed, expected)
    problems += coverage_problems(signed, file_length, ends_with_revision)
    problems += after_last_signature_problems(signed)
    for item in signed:
        problems += validity_problems(item.report)
    return problems


def certification_problems(signed: Sequence[Signed], certifier_sha256: str | None) -> list[Problem]:
    """The first signature certifies the document in CERTIFICATION_FIELD (by the expected
    certificate); no later signature certifies."""
    if not signed:
        return [Problem("not_certified", None, "the document has no signatures")]
    first = signed[0].report
    problems = []
    if not first.is_certification or first.field_name != CERTIFICATION_FIELD:
        problems.append(
            Problem(
                "not_certified",
                first.field_name,
                f"the first signature is not a certification in {CERTIFICATION_FIELD}",
            )
        )
    elif certifier_sha256 and first.certificate_sha256 != certifier_sha256.lower():
        problems.append(
            Problem(
                "wrong_signer", first.field_name, "certified with another certificate than the portal's seal"
            )
        )
    problems += [
        Problem("unexpected_signature", item.report.field_name, "a second certification signature")
        for item in signed[1:]
        if item.report.is_certification
    ]
    return problems


def signer_problems(signed: Sequence[Signed], expected: Mapping[str, ExpectedSigner]) -> list[Problem]:
    """Every expected field is signed, by the right party (and certificate); nothing else is."""
    problems = []
    approvals = [s.report for s in signed[1:] if not s.is_timestamp and not s.report.is_certification]
    seen = set()
    for report in approvals:
        want = expected.get(report.field_name)
        if want is None or report.field_name in seen:
            problems.append(
                Problem(
                    "unexpected_signature",
                    report.field_name,
                    f"a signature in {report.field_name}, which is not a party's",
                )
            )
            continue
        seen.add(report.field_name)
        problems += wrong_signer(report, want)
    problems += [
        Problem("unsigned_field", name, f"{name} is not signed yet") for name in expected if name not in seen
    ]
    return problems


def wrong_signer(report: SignatureReport, want: ExpectedSigner) -> list[Problem]:
    if report.business_id != want.business_id:
        return [
            Problem(
                "wrong_signer",
                report.field_name,
                f"signed for business ID {report.business_id or 'none'}, expected {want.business_id}",
            )
        ]
    if want.certificate_sha256 and report.certificate_sha256 != want.certificate_sha256.lower():
        return [
            Problem(
                "wrong_signer", report.field_name, "signed with another certificate than the expected one"
            )
        ]
    return []


def coverage_problems(
    signed: Sequence[Signed], file_length: int, ends_with_revision: bool = False
) -> list[Problem]:
    """The last signature (or document timestamp) covers the file to its very last byte, or
    its whole revision followed by nothing but validation data (a DSS update: LTA_UPDATES at
    most) in complete revisions (`ends_with_revision`: the file ends with an %%EOF marker)."""
    if not signed:
        return []
    last = signed[-1]
    augmented = (
        ends_with_revision
        and last.report.coverage == "ENTIRE_REVISION"
        and last.report.modification_level == "LTA_UPDATES"
    )
    if not augmented and (last.byte_range_end != file_length or last.report.coverage != "ENTIRE_FILE"):
        return [
            Problem(
                "not_covering_whole_file",
                last.report.field_name,
                f"the last signature covers {last.byte_range_end} of {file_length} bytes",
            )
        ]
    return []


def after_last_signature_problems(signed: Sequence[Signed]) -> list[Problem]:
    """After the last signature (or certification) only archive augmentation may follow:
    validation data (DSS) and document timestamps, nothing a reader would see (form filling
    included). A change beyond form filling is a validity problem of its own."""
    last = next((s.report for s in reversed(signed) if not s.is_timestamp), None)
    if last is None or last.modification_level != "FORM_FILLING":
        return []
    return [
        Problem(
            "modified_after_signing",
            last.field_name,
            f"{last.field_name}: changed after the last signature by more than validation data "
            "and document timestamps",
        )
    ]


def validity_problems(report: SignatureReport) -> list[Problem]:
    """Intact, cryptographically valid, trusted, standard coverage, and changed afterwards by no
    more than form filling and signing."""
    name = report.field_name
    if not (report.intact and report.valid):
        return [Problem("invalid_signature", name, f"{name}: {report.summary}")]
    if not report.trusted:
        return [Problem("invalid_signature", name, f"{name}: signer not trusted")]
    if report.coverage not in ACCEPTABLE_COVERAGE:
        return [Problem("invalid_signature", name, f"{name}: coverage {report.coverage}")]
    if report.docmdp_ok is False or report.modification_level not in ACCEPTABLE_MODIFICATIONS:
        return [
            Problem(
                "modified_after_signing",
                name,
                f"{name}: modified after signing ({report.modification_level})",
            )
        ]
    return []


def business_id_from_tooltip(text: str | None) -> str | None:
    """The business ID that preparation.tooltip() put at the end of a field's /TU, if any."""
    match = _TOOLTIP_ID.search(text or "")
    return match.group(1) if match else None
