from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, synonym

from portal.extensions import Model
from portal.queue.domain import MailStatus
from portal.queue.models import QueueRow

__all__ = ["MailStatus", "OutboxMail"]


class OutboxMail(QueueRow, Model):
    """A mail to send, written in the same transaction as the change that causes it."""

    __tablename__ = "outbox_mail"
    __table_args__ = (Index("ix_outbox_mail_due", "status", "next_attempt_at"),)
    State, working, finished = MailStatus, MailStatus.sending, MailStatus.sent
    due_column = "next_attempt_at"

    #: names the event and the recipient ("contact-change:12:34"): one event, one mail
    event_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(50))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    #: the stored name of run_after
    next_attempt_at = synonym("run_after")
