"""The steering group (R13; seed 000 §4-§5): members and deputies per party, meetings with their
invitation (7 days) and agenda (3 Finnish working days) deadlines, the invitation mailed to
every member and deputy, attendance and quorum, the minutes; the worker's reminders of the
minimum meetings a year and of the review after each council term. Services flush only."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.agreements.domain import Status
from portal.agreements.models import Agreement
from portal.audit.services import record
from portal.auth.domain import Role
from portal.auth.models import User
from portal.documents.services import Context, store_minutes
from portal.errors import PortalError
from portal.lifecycle.domain import review_due_on
from portal.links import Links
from portal.mail.services import enqueue
from portal.permissions import Action, require
from portal.steering import domain
from portal.steering.models import Attendance, Meeting, Office, Seat, SteeringMember
from portal.timeutil import helsinki_today, utcnow


def members_of(session: Session, agreement_id: int) -> list[SteeringMember]:
    return list(
        session.scalars(
            select(SteeringMember)
            .where(SteeringMember.agreement_id == agreement_id, SteeringMember.active.is_(True))
            .order_by(SteeringMember.organisation_id, SteeringMember.seat, SteeringMember.id)
        )
    )


def add_member(
    session: Session,
    agreement: Agreement,
    actor: User,
    *,
    organisation_id: int,
    name: str,
    email: str,
    seat: Seat = Seat.member,
    office: Office = Office.none,
    deputy_of_id: int | None = None,
    language: str = "fi",
) -> SteeringMember:
    require(actor, Action.manage_meetings, agreement)
    if organisation_id not in {p.organisation_id for p in agreement.parties}:
        raise PortalError("not_a_party", 422)
    if seat is Seat.deputy:
        member = session.get(SteeringMember, deputy_of_id) if deputy_of_id else None
        if member is None or member.agreement_id != agreement.id or member.seat is not Seat.member:
            raise PortalError("deputy_needs_member", 422)
        office = Office.none
    else:
        deputy_of_id = None
    if office is not Office.none:
        for holder in members_of(session, agreement.id):
            if holder.office is office:
                holder.office = Office.none  # one chair, one vice-chair
    member = SteeringMember(
        agreement_id=agreement.id,
        organisation_id=organisation_id,
        name=name.strip(),
        email=email.strip(),
        seat=seat,
        office=office,
        deputy_of_id=deputy_of_id,
        language=language,
    )
    session.add(member)
    session.flush()
    record(
        session,
        "steering_member",
        actor_id=actor.id,
        agreement_id=agreement.id,
        member=member.id,
        organisation_id=organisation_id,
        seat=str(seat),
        office=str(office),
    )
    return member


def meetings_of(session: Session, agreement_id: int) -> list[Meeting]:
    return list(
        session.scalars(
            select(Meeting)
            .where(Meeting.agreement_id == agreement_id)
            .order_by(Meeting.meets_on.desc(), Meeting.id.desc())
        )
    )


def create_meeting(
    session: Session,
    links: Links,
    agreement: Agreement,
    actor: User,
    *,
    meets_on: date,
    place: str,
    agenda: str = "",
) -> Meeting:
    """Schedule a meeting and mail its invitation (with the agenda, when given) to every member
    and deputy at once; the deadlines are shown, and whether they were kept."""
    require(actor, Action.manage_meetings, agreement)
    if not date(2000, 1, 1) <= meets_on <= date(2999, 12, 31):
        raise PortalError("invalid_field", 422, field="date")
    meeting = Meeting(
        agreement_id=agreement.id,
        meets_on=meets_on,
        place=place.strip(),
        agenda=agenda.strip(),
        invitation_due_on=domain.invitation_due_on(meets_on),
        agenda_due_on=domain.agenda_due_on(meets_on),
        created_by_id=actor.id,
    )
    session.add(meeting)
    session.flush()
    invited = invite(session, links, agreement, meeting)
    record(
        session,
        "meeting",
        actor_id=actor.id,
        agreement_id=agreement.id,
        meeting=meeting.id,
        on=meets_on.isoformat(),
        place=meeting.place,
        invited=invited,
        invitation_due_on=meeting.invitation_due_on.isoformat(),
        agenda_due_on=meeting.agenda_due_on.isoformat(),
    )
    return meeting


def invite(session: Session, links: Links, agreement: Agreement, meeting: Meeting) -> int:
    people = members_of(session, agreement.id)
    path = links.external(links.steering(agreement.id))
    for person in people:
        enqueue(
            session,
            f"meeting:{meeting.id}:invitation:{person.id}",
            kind="meeting_invitation",
            recipient=person.email,
            language=person.language,
            agreement_id=agreement.id,
            agreement=agreement,
            meeting=meeting,
            person=person,
            link=path,
        )
    meeting.invited_at = utcnow()
    session.flush()
    return len(people)


@dataclass(frozen=True)
class Timeliness:
    invitation_late: bool
    agenda_late: bool


def timeliness(meeting: Meeting) -> Timeliness:
    """Whether the invitation (and the agenda, sent with it or still to come) missed its day."""
    today = helsinki_today()
    sent = meeting.invited_at.date() if meeting.invited_at else today
    return Timeliness(
        domain.deadline_missed(meeting.invitation_due_on, sent),
        domain.deadline_missed(meeting.agenda_due_on, sent if meeting.agenda else today),
    )


def record_attendance(
    session: Session, agreement: Agreement, meeting: Meeting, actor: User, present_ids: set[int]
) -> bool:
    """Who was present (members and deputies); whether that made a quorum (seed 000 §5)."""
    require(actor, Action.manage_meetings, agreement)
    people = {m.id: m for m in members_of(session, agreement.id)}
    if not present_ids <= set(people):
        raise PortalError("not_a_member", 422)
    meeting.attendance = [Attendance(member_id=i) for i in sorted(present_ids)]
    seats = {i for i, m in people.items() if m.seat is Seat.member}
    chair = next((i for i, m in people.items() if m.office is Office.chair), None)
    vice = next((i for i, m in people.items() if m.office is Office.vice_chair), None)
    deputy_of = {i: m.deputy_of_id for i, m in people.items() if m.deputy_of_id}
    meeting.quorate = domain.has_quorum(seats, domain.seats_taken(present_ids, deputy_of), chair, vice)
    session.flush()
    record(
        session,
        "meeting_attendance",
        actor_id=actor.id,
        agreement_id=agreement.id,
        meeting=meeting.id,
        present=sorted(present_ids),
        quorate=meeting.quorate,
    )
    return meeting.quorate


def upload_minutes(
    session: Session, ctx: Context, agreement: Agreement, meeting: Meeting, actor: User, data: bytes
) -> None:
    require(actor, Action.manage_meetings, agreement)
    meeting.minutes_sha256 = store_minutes(session, ctx, data)
    session.flush()
    record(
        session,
        "meeting_minutes",
        actor_id=actor.id,
        agreement_id=agreement.id,
        meeting=meeting.id,
        sha256=meeting.minutes_sha256,
    )


def queue_steering_reminders(session: Session, links: Links, today: date | None = None) -> int:
    """The worker's pass: for every agreement in force with a steering group, tell the
    secretaries when the year has fewer meetings held or planned than the minimum (once a month
    from June on), and when the review after a new council term is due (once per term)."""
    today = today or helsinki_today()
    admins = list(session.scalars(select(User).where(User.role == Role.administrator, User.active.is_(True))))
    queued = 0
    with_group = select(SteeringMember.agreement_id).where(SteeringMember.active.is_(True))
    for agreement in session.scalars(
        select(Agreement).where(Agreement.id.in_(with_group)).order_by(Agreement.id)
    ):
        if agreement.status is not Status.in_force or agreement.entered_into_force_on is None:
            continue
        held = (
            session.scalar(
                select(func.count(Meeting.id)).where(
                    Meeting.agreement_id == agreement.id,
                    Meeting.meets_on.between(date(today.year, 1, 1), date(today.year, 12, 31)),
                )
            )
            or 0
        )
        missing = domain.meetings_missing(held)
        path = links.external(links.steering(agreement.id))
        for user in admins:
            if missing and today.month >= 6:
                queued += (
                    enqueue(
                        session,
                        f"steering:{agreement.id}:{today:%Y-%m}:min:{user.id}",
                        kind="steering_reminder",
                        recipient=user.email,
                        language=user.locale,
                        agreement_id=agreement.id,
                        agreement=agreement,
                        missing=missing,
                        held=held,
                        link=path,
                    )
                    is not None
                )
            due = review_due_on(agreement.entered_into_force_on)
            if due <= today:
                queued += (
                    enqueue(
                        session,
                        f"review:{agreement.id}:{due}:{user.id}",
                        kind="review_due",
                        recipient=user.email,
                        language=user.locale,
                        agreement_id=agreement.id,
                        agreement=agreement,
                        due=due,
                        link=links.external(links.agreement(agreement.id)),
                    )
                    is not None
                )
    return queued
