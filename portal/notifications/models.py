from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.dbtypes import EnumString
from portal.extensions import Model
from portal.notifications.domain import Delivery, NotificationKind
from portal.timeutil import utcnow

__all__ = ["Delivery", "MailPreference", "Notification", "NotificationKind", "SigningRound"]


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
    #: the document it is about (None: the agreement as a whole, e.g. a contact change)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), index=True)
    #: when the person (or their party) did what it asked: signed, reviewed, acknowledged
    done_at: Mapped[datetime | None]
    #: its mail waits for the person's daily digest (domain.Delivery.daily)
    digest_pending: Mapped[bool] = mapped_column(default=False, index=True)


class MailPreference(Model):
    """How one person receives one kind of mail; no row: at once. Required kinds have none."""

    __tablename__ = "mail_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    kind: Mapped[NotificationKind] = mapped_column(EnumString(NotificationKind, 30), primary_key=True)
    delivery: Mapped[Delivery] = mapped_column(EnumString(Delivery, 10))


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
