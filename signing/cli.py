"""`portal verify FILE --trust CA.pem [--at DATE] [--json]`: verification anywhere, from the file
and the trust anchors given, with no database, no configuration and no web app loaded (the
`portal` command hands `verify --trust` over here before it imports anything of the portal)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from signing.model import SignatureReport, VerificationReport


def main(argv: Sequence[str]) -> int:
    """Exit status 0 when every signature is valid and the agreement's rules hold, 1 when not,
    2 for a usage error (argparse's)."""
    parser = argparse.ArgumentParser(
        prog="portal verify",
        description="Check every signature of a signed agreement PDF and the agreement's own rules.",
    )
    parser.add_argument("file", help="the signed PDF")
    parser.add_argument(
        "--trust",
        action="append",
        required=True,
        metavar="CA.pem",
        help="a trusted CA certificate (PEM or DER), e.g. the portal's from /pki/ca.pem; repeatable",
    )
    parser.add_argument("--at", type=parse_moment, help="validate as of this date (default: now)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(list(argv))
    try:
        roots = [Path(path).read_bytes() for path in args.trust]
        pdf = Path(args.file).read_bytes()
    except OSError as exc:
        parser.exit(2, f"portal verify: {exc}\n")
    from signing.verification import verify  # pyHanko's validation (~0.4 s to import) once needed

    report = verify(pdf, roots, at=args.at)
    print(json.dumps(report_dict(report), indent=2) if args.json else render(report, args.at))
    return 0 if report.ok else 1


def parse_moment(text: str) -> datetime:
    """An ISO date or date and time; without a zone, UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date: {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def render(report: VerificationReport, at: datetime | None = None) -> str:
    """The report as text: the file's hash and identity, a table of signatures, the problems."""
    document = report.document
    lines = [
        f"SHA-256: {report.sha256}",
        "document: "
        + (
            f"agreement {document.agreement}, document {document.document}, version {document.version}"
            if document
            else "not identified as a document of the portal"
        ),
        f"validated at the time of each signature's timestamps, else {_time(at) if at else 'now'}",
        f"{'#':>3} {'field':<20} {'signer':<36} {'timestamp (UTC)':<19} {'LT':<3} result",
    ]
    for i, s in enumerate(report.signatures, start=1):
        who = f"{s.signer_name} / {s.organisation}"[:36]
        lines.append(
            f"{i:>3} {s.field_name[:20]:<20} {who:<36} {_time(s.timestamp):<19} "
            f"{'yes' if s.long_term else 'no':<3} {s.summary}"
        )
    lines += [f"PROBLEM {p.code}: {p.field_name or '-'}: {p.detail}" for p in report.problems]
    lines.append(
        f"{len(report.signatures)} signatures, {len(report.problems)} problems: "
        f"{'VALID' if report.ok else 'NOT VALID'}"
    )
    return "\n".join(lines)


def report_dict(report: VerificationReport) -> dict[str, object]:
    """The report as JSON-ready values (the /verify page's JSON adds held_by_portal)."""
    document = report.document
    return {
        "sha256": report.sha256,
        "valid": report.ok,
        "document": (
            {"agreement": document.agreement, "document": document.document, "version": document.version}
            if document
            else None
        ),
        "signatures": [signature_dict(s) for s in report.signatures],
        "problems": [{"code": p.code, "field": p.field_name, "detail": p.detail} for p in report.problems],
    }


def signature_dict(s: SignatureReport) -> dict[str, object]:
    return {
        "field": s.field_name,
        "signer": s.signer_name,
        "organisation": s.organisation,
        "business_id": s.business_id,
        "valid": s.intact and s.valid,
        "trusted": s.trusted,
        "timestamp": s.timestamp.isoformat() if s.timestamp else None,
        "signed_at": s.signed_at.isoformat() if s.signed_at else None,
        "validated_at": s.validated_at.isoformat() if s.validated_at else None,
        "long_term": s.long_term,
        "document_timestamp": s.is_timestamp,
        "certification": s.is_certification,
        "modification_level": s.modification_level,
        "summary": s.summary,
    }


def _time(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
