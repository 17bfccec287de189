from datetime import datetime

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.domain import Role
from portal.auth.models import User
from portal.dbtypes import EnumString
from portal.extensions import Model
from portal.organisations.models import Organisation
from portal.timeutil import utcnow


class Membership(Model):
    """A person's role in one agreement for one of its parties. Ending it keeps the row (who held
    what, when, for the audit trail); only memberships with no `ended_at` decide anything."""

    __tablename__ = "membership"
    __table_args__ = (
        Index("ix_membership_agreement_party", "agreement_id", "organisation_id"),
        # Of the active memberships only (every query by person asks for those): a person's
        # memberships in the agreements a request asks about (portal.memberships.held), and the
        # agreements of their list, read from the index alone
        Index(
            "ix_membership_user_agreement_active",
            "user_id",
            "agreement_id",
            postgresql_where=text("ended_at IS NULL"),
            sqlite_where=text("ended_at IS NULL"),
        ),
        # the roles a person holds anywhere (held.roles), read from the index alone
        Index(
            "ix_membership_user_role_active",
            "user_id",
            "role",
            postgresql_where=text("ended_at IS NULL"),
            sqlite_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"))
    #: the party the person acts for: one of the agreement's parties
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    role: Mapped[Role] = mapped_column(EnumString(Role, 30))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Membership {self.user_id} {self.agreement_id}/{self.organisation_id} {self.role}>"
