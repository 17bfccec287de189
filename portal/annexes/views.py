from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from htmx_flask import request

from portal.agreements.domain import Status
from portal.agreements.models import Agreement
from portal.agreements.services import get_visible_agreement
from portal.annexes import services
from portal.annexes.forms import AcknowledgeForm, DocumentUploadForm, OpenDocumentForm, VersionUploadForm
from portal.appctx import document_context
from portal.documents.domain import DocumentKind
from portal.documents.views import state_context, visible_document
from portal.errors import PortalError
from portal.extensions import db
from portal.i18n import party_label
from portal.jobs import services as jobs
from portal.jobs.inline import start_queued
from portal.lifecycle.views import adoption_context
from portal.messages import message
from portal.notifications import services as notifications
from portal.paging import Paged, page_arg
from portal.permissions import Action, allowed, require

bp = Blueprint("annexes", __name__)


#: the documents section lists this many a page
DOCUMENTS_PER_PAGE = 20


def annex_list_context(agreement) -> dict:
    """The agreement page's list of annexes, annex agreements and amendments, a page at a time
    (`?page=`: a fixed number of queries for the documents and their flags), and the upload form
    for those who may upload."""
    total = services.annex_count(db.session(), agreement.id)
    pages = max(1, -(-total // DOCUMENTS_PER_PAGE))
    page = min(page_arg(), pages)
    found = services.annex_documents(
        db.session(), agreement.id, (page - 1) * DOCUMENTS_PER_PAGE, DOCUMENTS_PER_PAGE
    )
    flags = services.current_flags_of(db.session(), [d.latest_version for d in found if d.latest_version])
    may_upload = allowed(current_user, Action.upload_document, agreement)
    return {
        "annex_documents": found,
        "document_page": Paged(found, page, pages, total),
        "annex_flags": flags,
        "may_upload": may_upload,
        "document_form": DocumentUploadForm(formdata=None).with_choices(agreement),
    }


def _checks_context(document) -> dict:
    version = document.latest_version
    job = version and jobs.latest_job(db.session(), services.check_subject(version))
    return {
        "document": document,
        "version": version,
        "job": job,
        "flags": services.current_flags(db.session(), version),
        "may_acknowledge": allowed(current_user, Action.handle_document, document)
        and document.status is Status.draft,
        "may_administer": allowed(current_user, Action.administer, document),
        "ack_form": AcknowledgeForm(formdata=None),
    }


def _document(document_id: int):
    """A visible annex, annex agreement or amendment (the main agreement has its own page)."""
    document = visible_document(current_user, document_id)
    if document.kind is DocumentKind.main:
        raise PortalError("not_found", 404)
    return document


@bp.post("/agreements/<int:agreement_id>/documents")
@login_required
def upload(agreement_id: int):
    agreement = get_visible_agreement(db.session(), current_user, agreement_id)
    require(current_user, Action.upload_document, agreement)
    form = DocumentUploadForm().with_choices(agreement)
    if not form.validate_on_submit():
        if request.htmx:
            return (
                render_template("annexes/_upload_form.html", agreement=agreement, document_form=form),
                422,
                {"HX-Retarget": "#document-upload", "HX-Reswap": "outerHTML"},
            )
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("agreements.show", agreement_id=agreement.id))
    version = services.upload(
        db.session(),
        document_context(),
        agreement,
        current_user,
        kind=form.kind.data,
        title=form.title.data or "",
        data=form.file.data.read(),
        filename=form.file.data.filename or "",
        business_ids=form.parties.data or [],
        goals=form.goals.data or [],
        changes=form.changes.data or "",
        requires_approval=form.requires_approval.data,
    )
    db.session.commit()
    start_queued(db.session())
    document = visible_document(current_user, version.document_id)
    done = _("%(title)s was uploaded and is being checked.", title=document.title)
    if not request.htmx:
        flash(done, "success")
        return redirect(url_for("annexes.show", document_id=document.id))
    flags = services.current_flags_of(db.session(), [version])
    return render_template(
        "annexes/_uploaded.html",
        agreement=agreement,
        document=document,
        annex_flags=flags,
        message=done,
        document_form=DocumentUploadForm(formdata=None).with_choices(agreement),
    )


@bp.get("/documents/<int:document_id>/row")
@login_required
def row(document_id: int):
    document = _document(document_id)
    flags = services.current_flags_of(db.session(), [document.latest_version])
    agreement = db.session.get(Agreement, document.agreement_id)
    return render_template(
        "annexes/_document_row.html", document=document, annex_flags=flags, agreement=agreement
    )


@bp.get("/documents/<int:document_id>")
@login_required
def show(document_id: int):
    document = _document(document_id)
    notifications.reviewed(db.session(), current_user, document.id)  # its new version is read
    db.session.commit()
    refusal = services.gate(db.session(), document)
    state = state_context(document)
    party_names = {
        p.organisation.business_id: party_label(p.organisation) for p in state["agreement"].parties
    }
    return render_template(
        "annexes/show.html",
        open_form=OpenDocumentForm(),
        version_form=VersionUploadForm(formdata=None).with_parties(state["agreement"], document),
        gate_refusal=refusal and message(f"gate_{refusal}"),
        party_names=party_names,
        may_upload=allowed(current_user, Action.add_version, document),
        **_checks_context(document) | state | adoption_context(document),
    )


@bp.get("/documents/<int:document_id>/checks")
@login_required
def checks(document_id: int):
    return render_template("annexes/_checks.html", **_checks_context(_document(document_id)))


@bp.post("/documents/<int:document_id>/versions")
@login_required
def new_version(document_id: int):
    document = _document(document_id)
    require(current_user, Action.add_version, document)  # before the file is read
    form = VersionUploadForm()
    form.parties.choices = [(b, b) for b in form.parties.data or ()]  # any ID; the service checks
    if form.validate_on_submit():
        parties = form.parties.data if document.kind is DocumentKind.annex_agreement else None
        try:
            version = services.new_version(
                db.session(),
                document_context(),
                document,
                form.file.data.read(),
                form.file.data.filename or "",
                current_user,
                business_ids=parties or None,
            )
        except PortalError as refused:
            if refused.status != 422:
                raise
            db.session.rollback()  # a refused file (not a PDF, too big): said on the same page
            form.file.errors.append(message(refused.code, **refused.params))
        else:
            db.session.commit()
            start_queued(db.session())
            done = _("Version %(number)s was uploaded and is being checked.", number=version.number)
            flash(done, "success")
    for error in form.file.errors:
        flash(error, "error")
    return redirect(url_for("annexes.show", document_id=document.id))


@bp.post("/documents/<int:document_id>/flags/<int:flag_id>/acknowledge")
@login_required
def acknowledge(document_id: int, flag_id: int):
    document = _document(document_id)
    require(current_user, Action.handle_document, document)  # before the form is read
    flag = services.get_flag(db.session(), document, flag_id)
    form = AcknowledgeForm()
    context = _checks_context(document)
    if not form.validate_on_submit():
        return render_template(
            "annexes/_flag.html",
            flag=flag,
            ack_form=form,
            **{k: v for k, v in context.items() if k != "ack_form"},
        ), 422
    services.acknowledge(db.session(), document, [flag], current_user, form.justification.data or "")
    db.session.commit()
    if not request.htmx:
        flash(_("The warning was acknowledged."), "success")
        return redirect(url_for("annexes.show", document_id=document.id))
    return (render_template("annexes/_flag.html", flag=flag, **context), {"HX-Trigger": "flags-changed"})


@bp.post("/documents/<int:document_id>/open")
@login_required
def open_for_signature(document_id: int):
    document = _document(document_id)
    require(current_user, Action.administer, document)
    if OpenDocumentForm().validate_on_submit():
        services.open_document(db.session(), document_context(), document, current_user)
        db.session.commit()
        flash(_("%(title)s is open for signature.", title=document.title), "success")
    return redirect(url_for("annexes.show", document_id=document.id))
