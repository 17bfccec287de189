from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.agreements.models import Agreement
from portal.auth.domain import Role
from portal.dbtypes import EnumString
from portal.extensions import db
from portal.invitations.domain import InvitationState, state
from portal.organisations.models import Organisation
from portal.timeutil import utcnow


class Invitation(db.Model):
    """An invitation to hold `role` in an agreement for one of its parties; or, with `user_id`
    and no agreement, to set the password of an account made for the person (the first
    administrator of an installation, made at the console). The link's secret is never stored:
    only its SHA-256."""

    __tablename__ = "invitation"
    __table_args__ = (Index("ix_invitation_agreement_email", "agreement_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    role: Mapped[Role | None] = mapped_column(EnumString(Role, 30))
    #: the account whose password the link sets (an invitation to the portal, not to an agreement)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: as typed by the administrator, lower-cased
    email: Mapped[str] = mapped_column(String(254))
    #: the language of the mail and of the pages the link opens: fi, sv or en
    language: Mapped[str] = mapped_column(String(5))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: how many mails were sent (a second invitation to the same seat sends a new link)
    sent_count: Mapped[int] = mapped_column(default=1)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_at: Mapped[datetime | None]

    agreement: Mapped[Agreement | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    def state(self, now: datetime | None = None) -> InvitationState:
        return state(self.accepted_at, self.withdrawn_at, self.expires_at, now or utcnow())
