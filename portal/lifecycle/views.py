"""Termination and dissolution on the agreement's page (R5, seed 000 §12)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from htmx_flask import request

from portal.agreements.domain import Status
from portal.agreements.models import Agreement
from portal.agreements.services import get_visible_agreement
from portal.annexes import adoption
from portal.annexes.checking import consolidated
from portal.annexes.domain import AdoptionStatus
from portal.annexes.models import AnnexAdoption
from portal.appctx import document_context
from portal.documents.views import send_blob, visible_document
from portal.errors import PortalError
from portal.extensions import db
from portal.formdata import validated
from portal.i18n import format_date, party_name
from portal.lifecycle import services
from portal.lifecycle.domain import TerminationKind
from portal.lifecycle.forms import AdoptionForm, TerminationForm
from portal.lifecycle.joining import joining_context
from portal.lifecycle.models import Termination
from portal.messages import DISPUTE_FORUM_TITLES, message
from portal.permissions import Action, allowed, require
from portal.steering import services as steering
from portal.timeutil import helsinki_today

bp = Blueprint("lifecycle", __name__)


def termination_context(agreement: Agreement, form: TerminationForm | None = None) -> dict:
    """What lifecycle/_terminations.html needs on the agreement's page."""
    state = services.lifecycle(db.session(), agreement)
    may_record = agreement.status is Status.in_force and allowed(
        current_user, Action.record_termination, agreement
    )
    recorded = {t.organisation_id for t in state.terminations}
    in_force = agreement.status is Status.in_force
    return {
        "lifecycle": state,
        "may_record_termination": may_record,
        **joining_context(agreement),
        "consolidated": consolidated(db.session(), document_context(), agreement) if in_force else None,
        "forum_titles": DISPUTE_FORUM_TITLES,
        "pending_annexes": adoption.pending_in(db.session(), agreement.id) if in_force else [],
        "termination_form": (form or TerminationForm(formdata=None)).with_parties(agreement, recorded)
        if may_record
        else None,
    }


#: the termination service's refusals that answer one field of the form
TERMINATION_FIELDS = {"not_a_party": "organisation_id", "received_in_future": "received_on"}


def refused_field(form: FlaskForm, refusal: PortalError, fields: dict[str, str]) -> bool:
    """Put a service's refusal on the form's field it is about, as that field's error; False if
    it is about none of them (it is then answered as any other refusal)."""
    name = fields.get(refusal.code)
    if name is None:
        return False
    form[name].errors = [*form[name].errors, message(refusal.code, **refusal.params)]
    return True


def _section_answer(template: str, context: dict, form: FlaskForm, done: str, url: str):
    """A lifecycle form's answer beside it: with htmx its section again (the form's errors in
    place, or the success message at the top of it); without JavaScript the page again with the
    message (a service's refusal is then its own page, as every refusal is)."""
    if request.htmx:
        status = 422 if form.errors else 200
        return render_template(template, section_message=None if form.errors else done, **context), status
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")
    if not form.errors:
        flash(done, "success")
    return redirect(url)


@bp.post("/agreements/<int:agreement_id>/terminations")
@login_required
def termination_post(agreement_id: int):
    agreement = get_visible_agreement(db.session(), current_user, agreement_id)
    require(current_user, Action.record_termination, agreement)
    form = TerminationForm().with_parties(agreement, set())
    done = ""
    if form.validate_on_submit():
        upload = form.notice.data
        try:
            termination = services.record_termination(
                db.session(),
                document_context(),
                agreement,
                form.organisation_id.data,
                current_user,
                received_on=validated(form.received_on.data),
                kind=TerminationKind(form.kind.data),
                decision=form.decision.data or "",
                notice=upload.read() if upload else None,
            )
        except PortalError as refusal:
            db.session.rollback()
            if not (request.htmx and refused_field(form, refusal, TERMINATION_FIELDS)):
                raise
        else:
            db.session.commit()
            done = _(
                "Recorded: the agreement ends for %(party)s on %(date)s.",
                party=party_name(termination.organisation),
                date=format_date(termination.ends_on),
            )
    url = url_for("agreements.show", agreement_id=agreement.id) + "#terminations"
    context = {"agreement": agreement, **termination_context(agreement, form if form.errors else None)}
    return _section_answer("lifecycle/_terminations.html", context, form, done, url)


@bp.get("/terminations/<int:termination_id>/notice")
@login_required
def notice_pdf(termination_id: int):
    termination = db.session.get(Termination, termination_id)
    if termination is None or termination.notice_sha256 is None:
        raise PortalError("not_found", 404)
    get_visible_agreement(db.session(), current_user, termination.agreement_id)
    return send_blob(document_context().storage, termination.notice_sha256, f"notice-{termination.id}.pdf")


def adoption_context(document, form: AdoptionForm | None = None) -> dict:
    """What lifecycle/_annex_adoption.html needs on an annex's page (issue 12, item 4)."""
    found = adoption.adoptions_of(db.session(), document.id)
    pending = next((a for a in found if a.status is AdoptionStatus.pending), None)
    meetings = [
        m for m in steering.meetings_of(db.session(), document.agreement_id) if m.meets_on <= helsinki_today()
    ]
    return {
        "adoptions": found,
        "pending_adoption": pending,
        "may_adopt": pending is not None and allowed(current_user, Action.adopt_annex, pending),
        "adoption_form": (form or AdoptionForm(formdata=None)).with_meetings(meetings),
        "versions_by_id": {v.id: v for v in document.versions},
    }


#: the adoption service's refusals that answer one field of the form
ADOPTION_FIELDS = {
    "adoption_meeting_missing": "meeting_id",
    "adoption_decision_missing": "decision",
    "decision_in_future": "decided_on",
}


@bp.post("/adoptions/<int:adoption_id>")
@login_required
def adopt_post(adoption_id: int):
    found = db.session.get(AnnexAdoption, adoption_id)
    if found is None:
        raise PortalError("not_found", 404)
    document = visible_document(current_user, found.document_id)
    form = AdoptionForm().with_meetings([])
    done = ""
    if form.validate_on_submit():
        try:
            adoption.adopt(
                db.session(),
                found,
                current_user,
                meeting_id=form.meeting_id.data or None,
                decision=form.decision.data or "",
                decided_on=form.decided_on.data,
            )
        except PortalError as refusal:
            db.session.rollback()
            if not (request.htmx and refused_field(form, refusal, ADOPTION_FIELDS)):
                raise
        else:
            db.session.commit()
            done = _("Recorded: the new version of the annex is in force.")
    url = url_for("annexes.show", document_id=found.document_id) + "#adoption"
    context = adoption_context(document, form if form.errors else None)
    return _section_answer("lifecycle/_annex_adoption.html", context, form, done, url)
