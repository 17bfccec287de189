from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.dbtypes import EnumString
from portal.extensions import db
from portal.organisations.models import Organisation
from portal.signatories.domain import Basis
from portal.timeutil import utcnow


class SigningAuthority(db.Model):
    """A person's authority to sign for a party: in every agreement of the party, or in one."""

    __tablename__ = "signing_authority"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: None: for every agreement of the party
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)
    #: as the stamp shows it, e.g. "kaupunginjohtaja"
    title: Mapped[str] = mapped_column(String(200))
    basis: Mapped[Basis] = mapped_column(EnumString(Basis, 20))
    #: the regulation's section ("45 §") or the delegation decision's § ("230")
    section: Mapped[str] = mapped_column(String(40))
    #: a delegation decision's body and date
    decision_body: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[date | None]
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
