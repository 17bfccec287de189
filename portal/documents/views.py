import re

from flask import Response, current_app, stream_with_context

from portal.agreements.services import get_visible_agreement
from portal.auth.models import User
from portal.documents.models import Blob, Document, DocumentVersion
from portal.errors import PortalError
from portal.extensions import db


def visible_document(user: User, document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None:
        raise PortalError("not_found", 404)
    get_visible_agreement(db.session, user, document.agreement_id)
    return document


def download_name(document: Document) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", document.title).strip("-")[:80] or "document"
    return f"{stem}-{document.status}.pdf"


def send_document(document_id: int, user: User) -> Response:
    """The current PDF, streamed, as an attachment (never rendered inline by the browser)."""
    document = visible_document(user, document_id)
    if document.current_sha256 is None:
        raise PortalError("document_missing", 404)
    return _send_blob(document.current_sha256, download_name(document))


def send_version(version_id: int, user: User) -> Response:
    """A version as it was uploaded."""
    version = db.session.get(DocumentVersion, version_id)
    if version is None:
        raise PortalError("not_found", 404)
    document = visible_document(user, version.document_id)
    return _send_blob(version.upload_sha256,
                      download_name(document).replace(".pdf", f"-v{version.number}.pdf"))


def _send_blob(sha256: str, filename: str) -> Response:
    blob = db.session.get(Blob, sha256)
    storage = current_app.extensions["storage"]
    response = Response(stream_with_context(storage.stream(blob.sha256)),
                        mimetype="application/pdf")
    response.headers["Content-Length"] = str(blob.size)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["ETag"] = f'"{blob.sha256}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
