"""Termination and dissolution on the agreement's page (R5, seed 000 §12)."""

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

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
from portal.messages import DISPUTE_FORUM_TITLES
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
        "termination_form": (form or TerminationForm(formdata=None)).with_parties(agreement, recorded),
    }


@bp.post("/agreements/<int:agreement_id>/terminations")
@login_required
def termination_post(agreement_id: int):
    agreement = get_visible_agreement(db.session(), current_user, agreement_id)
    require(current_user, Action.record_termination, agreement)
    form = TerminationForm().with_parties(agreement, set())
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("agreements.show", agreement_id=agreement.id) + "#terminations")
    upload = form.notice.data
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
    db.session.commit()
    flash(
        _(
            "Recorded: the agreement ends for %(party)s on %(date)s.",
            party=party_name(termination.organisation),
            date=format_date(termination.ends_on),
        ),
        "success",
    )
    return redirect(url_for("agreements.show", agreement_id=agreement.id) + "#terminations")


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


@bp.post("/adoptions/<int:adoption_id>")
@login_required
def adopt_post(adoption_id: int):
    found = db.session.get(AnnexAdoption, adoption_id)
    if found is None:
        raise PortalError("not_found", 404)
    visible_document(current_user, found.document_id)
    form = AdoptionForm().with_meetings([])
    if not form.validate_on_submit():
        raise PortalError("bad_request", 400)
    adoption.adopt(
        db.session(),
        found,
        current_user,
        meeting_id=form.meeting_id.data or None,
        decision=form.decision.data or "",
        decided_on=form.decided_on.data,
    )
    db.session.commit()
    flash(_("Recorded: the new version of the annex is in force."), "success")
    return redirect(url_for("annexes.show", document_id=found.document_id) + "#adoption")
