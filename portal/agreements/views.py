from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.agreements.domain import Status
from portal.agreements.forms import OpenForm, UploadForm
from portal.agreements.services import get_visible_agreement, visible_agreements
from portal.annexes import services as annexes
from portal.annexes.views import annex_list_context
from portal.appctx import document_context
from portal.documents import services as documents
from portal.documents.views import state_context
from portal.errors import PortalError
from portal.extensions import db
from portal.jobs.inline import start_queued
from portal.permissions import Action, require

bp = Blueprint("agreements", __name__)


@bp.get("/")
@login_required
def index():
    return render_template("agreements/index.html",
                           agreements=visible_agreements(db.session, current_user))


@bp.get("/agreements/<int:agreement_id>")
@login_required
def show(agreement_id: int):
    agreement = get_visible_agreement(db.session(), current_user, agreement_id)
    assert agreement.main_document is not None, "every agreement has its main document"
    return render_template("agreements/show.html", upload_form=UploadForm(), open_form=OpenForm(),
                           **annex_list_context(agreement), **state_context(agreement.main_document))


def _administered_agreement(agreement_id: int):
    require(current_user, Action.administer)
    return get_visible_agreement(db.session(), current_user, agreement_id)


@bp.post("/agreements/<int:agreement_id>/document")
@login_required
def upload(agreement_id: int):
    agreement = _administered_agreement(agreement_id)
    if agreement.status is not Status.draft:
        raise PortalError("document_not_draft", 409)
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        annexes.new_version(db.session(), document_context(), agreement.main_document, data,
                            form.file.data.filename or "", current_user)
        db.session.commit()
        start_queued(db.session())
        flash(_("The document was uploaded."), "success")
        return redirect(url_for("agreements.show", agreement_id=agreement.id))
    for error in form.file.errors:
        flash(error, "error")
    return redirect(url_for("agreements.show", agreement_id=agreement.id))


@bp.post("/agreements/<int:agreement_id>/open")
@login_required
def open_for_signature(agreement_id: int):
    agreement = _administered_agreement(agreement_id)
    if OpenForm().validate_on_submit():
        documents.open_for_signature(db.session(), document_context(), agreement.main_document,
                                     current_user, title=agreement.title,
                                     language=agreement.language)
        db.session.commit()
        flash(_("The agreement is open for signature."), "success")
    return redirect(url_for("agreements.show", agreement_id=agreement.id))
