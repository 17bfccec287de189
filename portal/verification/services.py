"""Verifying an uploaded file: signing.verify() in an isolated, bounded child process against
this portal's CA, and whether the portal holds a byte-identical copy (by SHA-256). Nothing is
written."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

import signing
from portal.authority import services as authority
from portal.documents.models import Document, DocumentVersion, Signature
from portal.errors import PortalError

#: a PDF's header must be within its first 1024 bytes
HEADER_WINDOW = 1024


@dataclass(frozen=True)
class Verdict:
    report: signing.VerificationReport
    held_by_portal: bool


def verify_upload(session: Session, pdf: bytes, limits: signing.Limits) -> Verdict:
    """PortalError("pdf_not_pdf", 422) for anything but a PDF; a hostile PDF is bounded in time
    and memory like every upload (PortalError "pdf_timeout"/"pdf_memory", 422)."""
    if b"%PDF-" not in pdf[:HEADER_WINDOW]:
        raise PortalError("pdf_not_pdf", 422)
    roots, seal = authority.trust_roots(session), authority.seal_certificate_sha256(session)
    try:
        report = signing.run_isolated(
            _verify, pdf, tuple(roots), seal, seconds=limits.seconds, memory_bytes=limits.memory_bytes
        )
    except signing.PdfRejected as rejected:
        raise PortalError(f"pdf_{rejected.code}", 422) from rejected
    except signing.IsolatedError as failed:
        raise PortalError("pdf_not_pdf", 422) from failed
    return Verdict(report, held_by_portal(session, report.sha256))


def _verify(pdf: bytes, roots: tuple[bytes, ...], seal: str) -> signing.VerificationReport:
    return signing.verify(pdf, roots, certifier_sha256=seal)


def held_by_portal(session: Session, sha256: str) -> bool:
    """A document version as uploaded or prepared, a signed copy or a document's current file."""
    columns = (
        Document.current_sha256,
        Signature.result_sha256,
        DocumentVersion.prepared_sha256,
        DocumentVersion.upload_sha256,
    )
    return any(session.scalar(select(column).where(column == sha256).limit(1)) for column in columns)
