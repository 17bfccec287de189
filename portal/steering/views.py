"""The steering group's page (R13): members and deputies, meetings with their deadlines,
attendance and quorum, the minutes."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.agreements.models import Agreement
from portal.agreements.services import get_visible_agreement
from portal.appctx import document_context, links
from portal.documents.views import send_blob
from portal.errors import PortalError
from portal.extensions import db
from portal.formdata import validated
from portal.i18n import party_name
from portal.permissions import Action, allowed, require
from portal.steering import domain, services
from portal.steering.forms import (
    OFFICE_TITLES,
    SEAT_TITLES,
    AttendanceForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
)
from portal.steering.models import Meeting, Office, Seat

bp = Blueprint("steering", __name__)


def _page(
    agreement: Agreement,
    status: int = 200,
    *,
    member_form: MemberForm | None = None,
    meeting_form: MeetingForm | None = None,
):
    members = services.members_of(db.session(), agreement.id)
    meetings = services.meetings_of(db.session(), agreement.id)
    attendance = {}
    for meeting in meetings:
        form = AttendanceForm(formdata=None, prefix=f"meeting-{meeting.id}")
        form.present.choices = [(m.id, f"{m.name} ({party_name(m.organisation)})") for m in members]
        form.present.data = [a.member_id for a in meeting.attendance]
        attendance[meeting.id] = form
    return render_template(
        "steering/index.html",
        agreement=agreement,
        members=members,
        meetings=meetings,
        timeliness={m.id: services.timeliness(m) for m in meetings},
        attendance=attendance,
        minutes_form=MinutesForm(formdata=None),
        seat_titles=SEAT_TITLES,
        office_titles=OFFICE_TITLES,
        Seat=Seat,
        Office=Office,
        minimum=domain.MIN_MEETINGS_A_YEAR,
        may_manage=allowed(current_user, Action.manage_meetings, agreement),
        member_form=(member_form or MemberForm(formdata=None)).with_choices(agreement, members),
        meeting_form=meeting_form or MeetingForm(formdata=None),
    ), status


def _managed(agreement_id: int) -> Agreement:
    agreement = get_visible_agreement(db.session(), current_user, agreement_id)
    require(current_user, Action.manage_meetings, agreement)
    return agreement


def _meeting(meeting_id: int) -> tuple[Meeting, Agreement]:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise PortalError("not_found", 404)
    return meeting, get_visible_agreement(db.session(), current_user, meeting.agreement_id)


@bp.get("/agreements/<int:agreement_id>/steering")
@login_required
def index(agreement_id: int):
    return _page(get_visible_agreement(db.session(), current_user, agreement_id))


@bp.post("/agreements/<int:agreement_id>/steering/members")
@login_required
def add_member(agreement_id: int):
    agreement = _managed(agreement_id)
    form = MemberForm().with_choices(agreement, services.members_of(db.session(), agreement.id))
    if not form.validate_on_submit():
        return _page(agreement, 422, member_form=form)
    services.add_member(
        db.session(),
        agreement,
        current_user,
        organisation_id=form.organisation_id.data,
        name=validated(form.name.data),
        email=validated(form.email.data),
        seat=Seat(form.seat.data),
        office=Office(form.office.data),
        deputy_of_id=form.deputy_of_id.data or None,
        language=form.language.data,
    )
    db.session.commit()
    flash(_("The member was added."), "success")
    return redirect(url_for("steering.index", agreement_id=agreement.id))


@bp.post("/agreements/<int:agreement_id>/steering/meetings")
@login_required
def create_meeting(agreement_id: int):
    agreement = _managed(agreement_id)
    form = MeetingForm()
    if not form.validate_on_submit():
        return _page(agreement, 422, meeting_form=form)
    services.create_meeting(
        db.session(),
        links(),
        agreement,
        current_user,
        meets_on=validated(form.meets_on.data),
        place=validated(form.place.data),
        agenda=form.agenda.data or "",
    )
    db.session.commit()
    flash(_("The meeting was scheduled and its invitation sent to the members."), "success")
    return redirect(url_for("steering.index", agreement_id=agreement.id))


@bp.post("/meetings/<int:meeting_id>/attendance")
@login_required
def attendance(meeting_id: int):
    meeting, agreement = _meeting(meeting_id)
    require(current_user, Action.manage_meetings, agreement)
    form = AttendanceForm(prefix=f"meeting-{meeting.id}")
    form.present.choices = [(m.id, m.name) for m in services.members_of(db.session(), agreement.id)]
    if form.validate_on_submit():
        quorate = services.record_attendance(
            db.session(), agreement, meeting, current_user, set(form.present.data or [])
        )
        db.session.commit()
        flash(
            _("Attendance recorded: the meeting had a quorum.")
            if quorate
            else _("Attendance recorded: the meeting did not have a quorum."),
            "success" if quorate else "error",
        )
    return redirect(url_for("steering.index", agreement_id=agreement.id) + f"#meeting-{meeting.id}")


@bp.post("/meetings/<int:meeting_id>/minutes")
@login_required
def minutes_post(meeting_id: int):
    meeting, agreement = _meeting(meeting_id)
    require(current_user, Action.manage_meetings, agreement)
    form = MinutesForm()
    if form.validate_on_submit():
        services.upload_minutes(
            db.session(), document_context(), agreement, meeting, current_user, form.minutes.data.read()
        )
        db.session.commit()
        flash(_("The minutes were stored."), "success")
    else:
        for error in form.minutes.errors:
            flash(error, "error")
    return redirect(url_for("steering.index", agreement_id=agreement.id) + f"#meeting-{meeting.id}")


@bp.get("/meetings/<int:meeting_id>/minutes")
@login_required
def minutes_pdf(meeting_id: int):
    meeting, _agreement = _meeting(meeting_id)
    if meeting.minutes_sha256 is None:
        raise PortalError("not_found", 404)
    return send_blob(document_context().storage, meeting.minutes_sha256, f"minutes-meeting-{meeting.id}.pdf")
