from datetime import date, datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.dbtypes import EnumString
from portal.extensions import Model
from portal.lifecycle.domain import TerminationKind
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
