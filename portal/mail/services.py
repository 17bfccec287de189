"""Put mail into the outbox, rendered in the recipient's language. Services flush, never commit."""

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.languages import LANGUAGES
from portal.mail.models import MailStatus, OutboxMail
from portal.queue import wake
from portal.timeutil import utcnow


def render(kind: str, language: str, **context) -> tuple[str, str, str]:
    """(subject, text, html) from templates/mail/<kind>.txt and .html in `language`;
    the text template's first line is the subject."""
    with force_locale(language):
        text = render_template(f"mail/{kind}.txt", language=language, **context)
        html = render_template(f"mail/{kind}.html", language=language, **context)
    subject, _, body = text.lstrip().partition("\n")
    return " ".join(subject.split()), body.lstrip("\n"), html


def enqueue(
    session: Session,
    event_key: str,
    *,
    kind: str,
    recipient: str,
    language: str,
    agreement_id: int | None = None,
    **context,
) -> OutboxMail | None:
    """Add a mail unless one for this event already exists (then None). The unique event_key
    makes a second mail for one event impossible even if two transactions race."""
    if session.scalar(select(OutboxMail.id).where(OutboxMail.event_key == event_key)):
        return None
    language = language if language in LANGUAGES else "fi"
    subject, text, html = render(kind, language, **context)
    mail = OutboxMail(
        event_key=event_key,
        kind=kind,
        agreement_id=agreement_id,
        recipient=recipient,
        language=language,
        subject=subject,
        body_text=text,
        body_html=html,
        status=MailStatus.queued,
        attempts=0,
        next_attempt_at=utcnow(),
    )
    session.add(mail)
    session.flush()
    wake.notify(session)
    return mail


def failed_mails(session: Session) -> list[OutboxMail]:
    return list(
        session.scalars(
            select(OutboxMail).where(OutboxMail.status == MailStatus.failed).order_by(OutboxMail.id.desc())
        )
    )


def retry(session: Session, mail_id: int) -> OutboxMail | None:
    """Put a failed mail back in the queue with a fresh count of attempts."""
    mail = session.get(OutboxMail, mail_id)
    if mail is None or not mail.requeue():
        return None
    session.flush()
    return mail
