from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.dbtypes import EnumString
from portal.extensions import Model
from portal.organisations.models import Organisation
from portal.timeutil import utcnow


class Seat(StrEnum):
    member = "member"
    deputy = "deputy"


class Office(StrEnum):
    none = "none"
    chair = "chair"
    vice_chair = "vice_chair"


class SteeringMember(Model):
    """R13: a member of the steering group (johtoryhmä) named by a party, or a member's deputy."""

    __tablename__ = "steering_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    #: the language of the mail the person receives
    language: Mapped[str] = mapped_column(String(5), default="fi")
    seat: Mapped[Seat] = mapped_column(EnumString(Seat, 10), default=Seat.member)
    office: Mapped[Office] = mapped_column(EnumString(Office, 12), default=Office.none)
    #: a deputy: the member whose seat they take when that member is absent
    deputy_of_id: Mapped[int | None] = mapped_column(ForeignKey("steering_member.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class Meeting(Model):
    """R13: a meeting of the steering group, its deadlines, attendance and minutes."""

    __tablename__ = "steering_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    meets_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200))
    agenda: Mapped[str] = mapped_column(Text, default="")
    #: the invitation must reach the members by this day (7 days before)
    invitation_due_on: Mapped[date]
    #: the agenda must reach the members by this day (3 Finnish working days before)
    agenda_due_on: Mapped[date]
    invited_at: Mapped[datetime | None]
    minutes_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"))
    #: whether the recorded attendance made a quorum (None: not recorded yet)
    quorate: Mapped[bool | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    attendance: Mapped[list["Attendance"]] = relationship(cascade="all, delete-orphan")


class Attendance(Model):
    __tablename__ = "steering_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("steering_meeting.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("steering_member.id"))
