from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.agreements.domain import Status
from portal.agreements.forms import ApprovalForm, OpenForm, SignForm, UploadForm
from portal.agreements.services import get_visible_agreement, party_states, visible_agreements
from portal.annexes import services as annexes
from portal.appctx import document_context
from portal.auth.domain import Role, may_administer
from portal.auth.services import check_password
from portal.auth.throttle import password_attempt
from portal.authority.services import signer_passphrase
from portal.documents import services as documents
from portal.documents.models import DocumentKind
from portal.documents.views import visible_document
from portal.errors import PortalError
from portal.extensions import db
from portal.jobs.inline import start_queued
from portal.messages import message

bp = Blueprint("agreements", __name__)


@bp.get("/")
@login_required
def index():
    return render_template("agreements/index.html",
                           agreements=visible_agreements(db.session, current_user))


def state_context(document, sign_form=None):
    """What agreements/_state.html needs, for the main agreement or any other signed document."""
    return {
        "agreement": document_agreement(document),
        "document": document,
        "parties": party_states(db.session, document),
        "sign_form": sign_form or SignForm(formdata=None),
        "may_administer": may_administer(current_user.role),
        "is_representative": current_user.role is Role.representative,
    }


def document_agreement(document):
    from portal.agreements.models import Agreement

    return db.session.get(Agreement, document.agreement_id)


@bp.get("/agreements/<int:agreement_id>")
@login_required
def show(agreement_id: int):
    from portal.annexes.views import annex_list_context

    agreement = get_visible_agreement(db.session, current_user, agreement_id)
    return render_template("agreements/show.html", upload_form=UploadForm(), open_form=OpenForm(),
                           **annex_list_context(agreement), **state_context(agreement.main_document))


@bp.get("/agreements/<int:agreement_id>/state")
@login_required
def state(agreement_id: int):
    agreement = get_visible_agreement(db.session, current_user, agreement_id)
    return render_template("agreements/_state.html", **state_context(agreement.main_document))


@bp.get("/documents/<int:document_id>/state")
@login_required
def document_state(document_id: int):
    document = visible_document(current_user, document_id)
    return render_template("agreements/_state.html", **state_context(document))


@bp.post("/agreements/<int:agreement_id>/sign")
@login_required
def sign(agreement_id: int):
    return _sign(get_visible_agreement(db.session, current_user, agreement_id).main_document)


@bp.post("/documents/<int:document_id>/sign")
@login_required
def document_sign(document_id: int):
    return _sign(visible_document(current_user, document_id))


def _sign(document):
    documents.check_may_sign(document, current_user)
    form = SignForm()
    status, headers = 422, {}
    if form.validate_on_submit():
        attempt = password_attempt(current_user.username)
        if not attempt.allowed:
            form.password.errors.append(message("rate_limited"))
            status, headers = 429, attempt.headers
        elif not check_password(current_user, form.password.data):
            form.password.errors.append(message("wrong_password"))
        else:
            attempt.succeeded()
            ctx = document_context()
            passphrase = signer_passphrase(ctx.key_encryption_key, current_user, form.password.data)
            documents.sign(db.session, ctx, document.id, current_user, passphrase,
                           form.place.data.strip())
            db.session.commit()
            return _state_or_redirect(document, _("You signed %(title)s for %(party)s.",
                                                  title=document.title,
                                                  party=current_user.organisation.name))
    return render_template("agreements/_state.html", **state_context(document, form)), status, headers


def _state_or_redirect(document, done: str):
    """After a change: htmx gets the new state region, the message swapped into #messages (a live
    region, so it is announced) and focus on the status heading; a plain form post a redirect."""
    if request.headers.get("HX-Request"):
        return render_template("agreements/_state.html", message=done, focus_status=True,
                               **state_context(document))
    flash(done, "success")
    return redirect(document_url(document))


def document_url(document) -> str:
    if document.kind is DocumentKind.main:
        return url_for("agreements.show", agreement_id=document.agreement_id)
    return url_for("annexes.show", document_id=document.id)


def _administered_agreement(agreement_id: int):
    if not may_administer(current_user.role):
        raise PortalError("forbidden", 403)
    return get_visible_agreement(db.session, current_user, agreement_id)


def _administered_document(document_id: int):
    if not may_administer(current_user.role):
        raise PortalError("forbidden", 403)
    return visible_document(current_user, document_id)


@bp.get("/agreements/<int:agreement_id>/parties/<int:organisation_id>/approval")
@login_required
def approval_form(agreement_id: int, organisation_id: int):
    return _approval_form(_administered_agreement(agreement_id).main_document, organisation_id)


@bp.get("/documents/<int:document_id>/parties/<int:organisation_id>/approval")
@login_required
def document_approval_form(document_id: int, organisation_id: int):
    return _approval_form(_administered_document(document_id), organisation_id)


def _approval_form(document, organisation_id: int, form=None, status: int = 200, headers=None):
    template = "_approval_form.html" if request.headers.get("HX-Request") else "approval.html"
    return render_template(f"agreements/{template}", agreement=document_agreement(document),
                           document=document, party=_party(document, organisation_id),
                           form=form or ApprovalForm(formdata=None)), status, headers or {}


def _party(document, organisation_id: int):
    for state in party_states(db.session, document):
        if state.organisation.id == organisation_id:
            return state
    raise PortalError("not_a_party", 404)


@bp.post("/agreements/<int:agreement_id>/parties/<int:organisation_id>/approval")
@login_required
def approval_post(agreement_id: int, organisation_id: int):
    return _approval_post(_administered_agreement(agreement_id).main_document, organisation_id)


@bp.post("/documents/<int:document_id>/parties/<int:organisation_id>/approval")
@login_required
def document_approval_post(document_id: int, organisation_id: int):
    return _approval_post(_administered_document(document_id), organisation_id)


def _approval_post(document, organisation_id: int):
    form = ApprovalForm()
    if not form.validate_on_submit():
        retarget = {"HX-Retarget": f"#party-{organisation_id}", "HX-Reswap": "outerHTML"}
        return _approval_form(document, organisation_id, form, 422, retarget)
    party = _party(document, organisation_id)
    documents.record_approval(
        db.session, document_context(), document.id, organisation_id, current_user,
        body=form.body.data.strip(), decided_on=form.decided_on.data,
        section=form.section.data.strip(),
        disqualified_members=(form.disqualified_members.data or "").strip())
    db.session.commit()
    return _state_or_redirect(document, _("The approval decision of %(party)s was recorded.",
                                          party=party.organisation.name))


@bp.post("/agreements/<int:agreement_id>/document")
@login_required
def upload(agreement_id: int):
    agreement = _administered_agreement(agreement_id)
    if agreement.status is not Status.draft:
        raise PortalError("document_not_draft", 409)
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        annexes.new_version(db.session, document_context(), agreement.main_document, data,
                            form.file.data.filename or "", current_user)
        db.session.commit()
        start_queued(db.session)
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
        documents.open_for_signature(db.session, document_context(), agreement.main_document,
                                     current_user, title=agreement.title,
                                     language=agreement.language)
        db.session.commit()
        flash(_("The agreement is open for signature."), "success")
    return redirect(url_for("agreements.show", agreement_id=agreement.id))


@bp.get("/documents/<int:document_id>/pdf")
@login_required
def download(document_id: int):
    from portal.documents.views import send_document

    return send_document(document_id, current_user)
