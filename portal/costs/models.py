from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.costs.domain import CostRule
from portal.dbtypes import EnumString
from portal.extensions import Model
from portal.organisations.models import Organisation
from portal.timeutil import utcnow


class CostTable(Model):
    """R9: the joint costs of one year and how they are shared between the parties."""

    __tablename__ = "cost_table"
    __table_args__ = (UniqueConstraint("agreement_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    year: Mapped[int]
    #: the sum shared, in euros to the cent
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    rule: Mapped[CostRule] = mapped_column(EnumString(CostRule, 20), default=CostRule.by_population)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    rows: Mapped[list["CostShare"]] = relationship(
        order_by="CostShare.position", cascade="all, delete-orphan"
    )


class CostShare(Model):
    """One party's population (with its source and reference date) and its share."""

    __tablename__ = "cost_share"
    __table_args__ = (UniqueConstraint("cost_table_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cost_table_id: Mapped[int] = mapped_column(ForeignKey("cost_table.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    position: Mapped[int]
    population: Mapped[int]
    #: where the population comes from, e.g. "Tilastokeskus"
    source: Mapped[str] = mapped_column(String(200), default="")
    reference_date: Mapped[date | None]
    #: counted as a third of its population (seed 000 §10)
    joint_authority: Mapped[bool] = mapped_column(default=False)
    share: Mapped[Decimal] = mapped_column(Numeric(14, 2))

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def business_id(self) -> str:
        return self.organisation.business_id
