from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.dbtypes import EnumString
from portal.extensions import Model
from portal.lifecycle.domain import AccessionStatus, TerminationKind
from portal.organisations.models import Organisation
from portal.timeutil import utcnow


class Termination(Model):
    """R5, seed 000 §12: the agreement ends for one party, by its notice or by dissolution. Kept
    for good: an ended party's records stay, read-only."""

    __tablename__ = "termination"
    __table_args__ = (UniqueConstraint("agreement_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    kind: Mapped[TerminationKind] = mapped_column(EnumString(TerminationKind, 20))
    #: the day the written notice reached the other parties, or the day of the steering group's
    #: decision to dissolve
    received_on: Mapped[date]
    #: the notice period applied, in calendar months (None for a dissolution)
    notice_months: Mapped[int | None]
    #: the first day the party is no longer bound
    ends_on: Mapped[date]
    #: a dissolution: the party still pays its share until the end of this budget period
    costs_payable_until: Mapped[date | None]
    #: the decision behind it, e.g. "Kaupunginvaltuusto 3.3.2027 § 12" or the steering group's
    decision: Mapped[str] = mapped_column(Text, default="")
    notice_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def business_id(self) -> str:
        return self.organisation.business_id


class Accession(Model):
    """R10, seed 000 §11: an organisation asks to join; the steering group decides unanimously;
    the accession document is signed by the new party and the chair's party; from its entry into
    force the organisation is a party."""

    __tablename__ = "accession"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    status: Mapped[AccessionStatus] = mapped_column(
        EnumString(AccessionStatus, 20), default=AccessionStatus.requested
    )
    requested_on: Mapped[date]
    #: the steering group's meeting that decided, the day, and the members in favour
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("steering_meeting.id"))
    decided_on: Mapped[date | None]
    in_favour: Mapped[list] = mapped_column(JSON, default=list)
    #: the accession document the new party and the chair's party sign
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    #: the day the organisation became a party (the document's entry into force)
    joined_on: Mapped[date | None]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def business_id(self) -> str:
        return self.organisation.business_id
