"""Joining on the agreement's page (R10; seed 000 §11): the secretary records an organisation's
request on its behalf and the steering group's unanimous decision; the accession document the
decision opens is then signed on its own page, as every document is. The services are the
API's (portal.lifecycle.accessions)."""

from flask import Blueprint, flash, redirect, url_for
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
from portal.lifecycle.forms import AccessionDecisionForm, AccessionRequestForm
from portal.lifecycle.models import Accession
from portal.organisations.models import Organisation
from portal.permissions import Action, allowed, require
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
