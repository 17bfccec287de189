from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.dbtypes import EnumString
from portal.extensions import Model
from portal.timeutil import utcnow


class NotificationKind(StrEnum):
    sign_invitation = "sign_invitation"
    sign_reminder = "sign_reminder"
    in_force = "in_force"
    contact_changed = "contact_changed"
    annex_version = "annex_version"
    annex_blocker = "annex_blocker"


class Notification(Model):
    """One event as one user sees it in the portal; the mail about it is in the outbox."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the same key as the mail's: one event, one notification per user
    event_key: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[NotificationKind] = mapped_column(EnumString(NotificationKind, 30))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"))
    #: the portal page concerned, a path such as /agreements/3
    path: Mapped[str] = mapped_column(String(300))
    #: what the message names (agreement title, party, reminder number), rendered in the reader's language
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class SigningRound(Model):
    """When a document opened for signature: the reminders count from here. The reminder pass
    reads only the rounds whose next reminder is due (an index on next_reminder_at), not every
    document in signing."""

    __tablename__ = "signing_round"

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: how many reminders have been queued for this round
    reminders_queued: Mapped[int] = mapped_column(default=0)
    #: when the next reminder falls due; None before the first one is queued (then it falls due
    #: one interval after opened_at) and after the last one
    next_reminder_at: Mapped[datetime | None] = mapped_column(index=True)
