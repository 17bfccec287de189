"""Joining on the agreement's page (R10; seed 000 §11): the secretary records an organisation's
request on its behalf and the steering group's unanimous decision; the accession document the
decision opens is then signed on its own page, as every document is. The services are the
API's (portal.lifecycle.accessions)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.agreements.domain import Status
from portal.agreements.models import Agreement
from portal.agreements.services import get_visible_agreement
from portal.appctx import document_context
from portal.errors import PortalError
from portal.extensions import db
from portal.lifecycle import accessions
from portal.lifecycle.forms import AccessionDecisionForm, AccessionRequestForm, JoinForm
from portal.lifecycle.models import Accession
from portal.organisations.models import Organisation
from portal.permissions import Action, JoinRequest, allowed, is_portal_admin, require
from portal.steering import services as steering
from portal.timeutil import helsinki_today

bp = Blueprint("joining", __name__)


def joining_context(agreement: Agreement) -> dict:
    """What lifecycle/_accessions.html needs: the requests, and the forms for the secretary."""
    found = accessions.accessions_of(db.session(), agreement.id)
    may_record = agreement.status is Status.in_force and allowed(
        current_user, Action.record_accession, agreement
    )
    context: dict = {"accessions": found, "may_record_accession": may_record}
    if may_record:
        asked = {p.organisation_id for p in agreement.parties} | {a.organisation_id for a in found}
        candidates = db.session.scalars(
            select(Organisation).where(Organisation.id.not_in(asked)).order_by(Organisation.name)
        ).all()
        held = [m for m in steering.meetings_of(db.session(), agreement.id) if m.meets_on <= helsinki_today()]
        context["accession_form"] = AccessionRequestForm(formdata=None).with_candidates(candidates)
        context["decision_form"] = AccessionDecisionForm(formdata=None).with_steering_group(
            held, steering.members_of(db.session(), agreement.id)
        )
    return context


def _back(agreement_id: int):
    return redirect(url_for("agreements.show", agreement_id=agreement_id) + "#accessions")


@bp.post("/agreements/<int:agreement_id>/accessions")
@login_required
def request_post(agreement_id: int):
    agreement = get_visible_agreement(db.session(), current_user, agreement_id)
    require(current_user, Action.record_accession, agreement)
    form = AccessionRequestForm()
    organisation = db.session.get(Organisation, form.organisation_id.data or 0)
    if not form.validate_on_submit() or organisation is None:
        raise PortalError("invalid_field", 422, field=_("Organisation"))
    accessions.request_accession(
        db.session(),
        agreement,
        current_user,
        business_id=organisation.business_id,
        requested_on=form.requested_on.data,
    )
    db.session.commit()
    flash(_("Recorded: %(organisation)s asks to join.", organisation=organisation.name), "success")
    return _back(agreement.id)


@bp.post("/accessions/<int:accession_id>/decision")
@login_required
def decision_post(accession_id: int):
    accession = db.session.get(Accession, accession_id)
    if accession is None:
        raise PortalError("not_found", 404)
    agreement = get_visible_agreement(db.session(), current_user, accession.agreement_id)
    require(current_user, Action.record_accession, agreement)
    form = AccessionDecisionForm()
    if not form.validate_on_submit():
        raise PortalError("invalid_field", 422, field=_("The steering group's meeting"))
    accessions.decide_accession(
        db.session(),
        document_context(),
        agreement,
        accession,
        current_user,
        meeting_id=form.meeting_id.data,
        in_favour=set(form.in_favour.data or []),
    )
    db.session.commit()
    flash(
        _(
            "Recorded: the steering group decided unanimously. The accession document is open for "
            "the signatures of %(organisation)s and the chair's party.",
            organisation=accession.organisation.name,
        ),
        "success",
    )
    return _back(agreement.id)


def _joinable(agreement_id: int) -> tuple[Agreement, JoinRequest]:
    """An agreement in force the user's own organisation may ask to join (its representative's
    page); 404 otherwise, as for any agreement the user has no part in."""
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or agreement.status is not Status.in_force or current_user.organisation_id is None:
        raise PortalError("not_found", 404)
    asked = JoinRequest(
        agreement.id, current_user.organisation_id, {p.organisation_id for p in agreement.parties}
    )
    if not allowed(current_user, Action.request_accession, asked) or is_portal_admin(current_user):
        raise PortalError("not_found", 404)
    return agreement, asked


@bp.get("/agreements/<int:agreement_id>/join")
@login_required
def join_form(agreement_id: int):
    agreement, asked = _joinable(agreement_id)
    found = next(
        (
            a
            for a in accessions.accessions_of(db.session(), agreement.id)
            if a.organisation_id == asked.organisation_id
        ),
        None,
    )
    return render_template("lifecycle/join.html", agreement=agreement, accession=found, form=JoinForm())


@bp.post("/agreements/<int:agreement_id>/join")
@login_required
def join_post(agreement_id: int):
    agreement, _asked = _joinable(agreement_id)
    if not JoinForm().validate_on_submit():
        raise PortalError("bad_request", 400)
    accessions.request_accession(
        db.session(), agreement, current_user, business_id=current_user.organisation.business_id
    )
    db.session.commit()
    flash(
        _("Recorded: %(organisation)s asks to join.", organisation=current_user.organisation.name), "success"
    )
    return redirect(url_for("joining.join_form", agreement_id=agreement.id))
