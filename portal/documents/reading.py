"""Reading before signing: a document shown in the page (PDF.js) with what exactly is signed,
the result page a signature ends on, and the verification of the signed copy."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from portal.appctx import document_context
from portal.documents import services
from portal.documents.views import document_url, download_name, state_context, visible_document
from portal.errors import PortalError
from portal.extensions import db
from portal.notifications import services as notifications

bp = Blueprint("reading", __name__)


def reading_context(document_id: int) -> dict:
    document = visible_document(current_user, document_id)
    context = state_context(document)
    own = next((p for p in context["parties"] if p.organisation.id == context["own_party_id"]), None)
    return context | {
        "version": document.latest_version,
        "back_url": document_url(document),
        "own": own,
        "signed_name": download_name(document, "unicode"),
        "signed_count": context["counts"].signed,
    }


@bp.get("/documents/<int:document_id>/read")
@login_required
def read(document_id: int):
    notifications.reviewed(db.session(), current_user, document_id)  # only one's own: read
    db.session.commit()
    return render_template("documents/read.html", **reading_context(document_id))


@bp.get("/documents/<int:document_id>/signed")
@login_required
def signed(document_id: int):
    """Where a signature ends: the signed copy (its name says by how many) and its verification."""
    return render_template("documents/signed.html", **reading_context(document_id))


@bp.get("/documents/<int:document_id>/verification")
@login_required
def verification(document_id: int):
    """Every signature of the current PDF checked as `portal verify` checks a file."""
    document = visible_document(current_user, document_id)
    if document.current_sha256 is None:
        raise PortalError("document_missing", 404)
    report = services.verify_current(db.session(), document_context(), document)
    return render_template("documents/verification.html", report=report, **reading_context(document_id))
