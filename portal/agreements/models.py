from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.agreements.domain import AnnexProcedure, Status
from portal.dbtypes import EnumString
from portal.documents.models import Document
from portal.extensions import Model
from portal.organisations.models import Organisation
from portal.timeutil import utcnow


class Agreement(Model):
    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    #: the title in Swedish, where the agreement has one
    title_sv: Mapped[str | None] = mapped_column(String(300))
    #: language of the agreement text and its signature page
    language: Mapped[str] = mapped_column(String(5), default="fi")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: the terms the compatibility checks compare annexes with, as the administrator states them;
    #: None: read from the agreement's text (portal.checks.terms)
    notice_months: Mapped[int | None]
    #: None: valid until further notice (R4)
    valid_until: Mapped[date | None]
    #: "courts" (negotiation, then the administrative or a general court, R14), "general" or
    #: "arbitration"; None: read from the text
    dispute_forum: Mapped[str | None] = mapped_column(String(20))
    #: how an annex is added or updated after entry into force (issue 12)
    annex_procedure: Mapped[AnnexProcedure] = mapped_column(
        EnumString(AnnexProcedure, 20), default=AnnexProcedure.steering_group, server_default="steering_group"
    )
    #: the main agreement's signable document; its state is the agreement's state
    main_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", use_alter=True), index=True
    )

    parties: Mapped[list["AgreementParty"]] = relationship(
        back_populates="agreement", order_by="AgreementParty.position", cascade="all, delete-orphan"
    )
    goals: Mapped[list["Goal"]] = relationship(order_by="Goal.number", cascade="all, delete-orphan")
    main_document: Mapped["Document | None"] = relationship(foreign_keys=[main_document_id], post_update=True)

    @property
    def approvals_required(self) -> bool:
        """Whether the parties' approval decisions are needed for entry into force (R3); when
        not, the signatures alone bring it into force (seed 000). Kept on the main document,
        which the entry-into-force rule reads, as for annex agreements."""
        return self.main_document.requires_approval if self.main_document else True

    @property
    def status(self) -> Status:
        return self.main_document.status if self.main_document else Status.draft

    @property
    def entered_into_force_on(self) -> date | None:
        return self.main_document.entered_into_force_on if self.main_document else None


class AgreementParty(Model):
    __tablename__ = "agreement_party"
    __table_args__ = (UniqueConstraint("agreement_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    #: the party's number in the agreement's list of parties (1, 2, …)
    position: Mapped[int]

    agreement: Mapped[Agreement] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class Goal(Model):
    """A joint goal of the agreement (R11)."""

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    indicators: Mapped[str] = mapped_column(Text, default="")
