"""Deliver the outbox: claim due mails, send each, mark it sent or schedule a retry.

Guarantees. A mail is committed with the change that caused it, so nothing is lost while the
SMTP server is down: a failed attempt only moves next_attempt_at (exponential backoff) until
PORTAL_MAIL_MAX_ATTEMPTS, then the mail is `failed` and shown on /admin/outbox.
Claiming is a conditional UPDATE (queued -> sending, with a random claim token) committed before
sending; on PostgreSQL the candidate rows are picked with FOR UPDATE SKIP LOCKED, so workers on
several machines take disjoint mails without waiting for each other; SQLite serialises writers.
A mail is marked sent only by the worker whose token it still carries.

The honest window (at-least-once): if a worker dies after the SMTP server accepted a mail and
before its `sent` commit, the claim's lease (PORTAL_MAIL_CLAIM_LEASE_SECONDS, a minute) expires
and another worker sends it again. Each message carries a Message-ID that is the same on every
attempt and unique per outbox row (domain.message_id), so mail clients fold the duplicate. A live
worker renews its lease while it sends (queue.lease_kept), so it never loses its claim however
slow the SMTP server is, and a killed worker's mails wait one lease, not a guessed maximum."""

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from sqlalchemy.orm import Session

from portal.audit.services import record
from portal.mail.domain import message_id
from portal.mail.models import MailStatus, OutboxMail
from portal.timeutil import utcnow

SMTP_TIMEOUT = 30


@dataclass
class Drained:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def build_message(
    mail: OutboxMail, sender: str, *, installation_key: str = "", base_url: str = ""
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = mail.recipient
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id(mail.id, mail.event_key, mail.created_at, installation_key, base_url)
    msg["X-Sopu-Event"] = mail.event_key
    msg.set_content(mail.body_text)
    msg.add_alternative(mail.body_html, subtype="html")
    msg["Content-Language"] = mail.language  # after the parts: content headers move into them
    return msg


def send(msg: EmailMessage, config: dict) -> None:
    """Over SMTP when PORTAL_SMTP_HOST is set, else as a .eml file under <data>/mail/."""
    host = config.get("PORTAL_SMTP_HOST")
    if not host:
        folder = Path(config["PORTAL_DATA_DIR"]) / "mail"
        folder.mkdir(parents=True, exist_ok=True)
        name = msg["X-Sopu-Event"].replace(":", "-")
        tmp = folder / f".{name}.tmp"
        tmp.write_bytes(bytes(msg))
        tmp.replace(folder / f"{name}.eml")
        return
    with smtplib.SMTP(host, int(config.get("PORTAL_SMTP_PORT") or 25), timeout=SMTP_TIMEOUT) as smtp:
        if config.get("PORTAL_SMTP_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("PORTAL_SMTP_USER"):
            smtp.login(config["PORTAL_SMTP_USER"], config.get("PORTAL_SMTP_PASSWORD") or "")
        smtp.send_message(msg)


def claim(session: Session, limit: int, lease_seconds: float) -> tuple[str, list[OutboxMail]]:
    """Claim up to `limit` due mails for this worker and commit the claim."""
    return OutboxMail.claim(session, limit, lease_seconds)


def deliver_due(session: Session, config: dict, limit: int = 50) -> Drained:
    """One pass over the due mails; commits after each mail."""
    lease = float(config.get("PORTAL_MAIL_CLAIM_LEASE_SECONDS", 60))
    token, mails = claim(session, limit, lease)
    drained = Drained()
    if not mails:
        return drained
    with OutboxMail.lease_kept(session, token, lease):
        for mail in mails:
            # a worker that stalled past its lease (its renewals too) lets go of what was taken over
            ours = OutboxMail.still_ours(session, mail.id, token, claimed_at=utcnow())
            session.commit()
            if ours:
                _deliver(session, mail, token, config, drained)
                session.commit()
    return drained


def _deliver(session: Session, mail: OutboxMail, token: str, config: dict, drained: Drained) -> None:
    try:
        # the key that encrypts the signers' keys never changes in an installation: the same
        # Message-ID on every attempt, whichever worker makes it
        msg = build_message(
            mail,
            config.get("PORTAL_SMTP_FROM") or "sopu@localhost",
            installation_key=config.get("PORTAL_KEY_ENCRYPTION_KEY") or "",
            base_url=config.get("PORTAL_BASE_URL") or "",
        )
        send(msg, config)
    except (OSError, smtplib.SMTPException, ValueError) as error:  # ValueError: a bad address
        _failed(session, mail, token, error, config, drained)
    else:
        _sent(session, mail, token, drained)


def _sent(session: Session, mail: OutboxMail, token: str, drained: Drained) -> None:
    if OutboxMail.finish(session, mail.id, token, sent_at=utcnow()):
        record(
            session,
            "mail.sent",
            agreement_id=mail.agreement_id,
            mail_id=mail.id,
            event_key=mail.event_key,
            mail_kind=mail.kind,
            recipient=mail.recipient,
            language=mail.language,
        )
        drained.sent += 1


def _failed(session, mail, token, error, config, drained) -> None:
    attempts = mail.attempts + 1
    state = OutboxMail.fail(
        session,
        mail.id,
        token,
        error,
        failed_attempts=attempts,
        max_attempts=int(config.get("PORTAL_MAIL_MAX_ATTEMPTS", 8)),
        retry_seconds=float(config.get("PORTAL_MAIL_RETRY_BASE_SECONDS", 60)),
        attempts=attempts,
    )
    if state is MailStatus.failed:
        record(
            session,
            "mail.failed",
            agreement_id=mail.agreement_id,
            mail_id=mail.id,
            event_key=mail.event_key,
            attempts=attempts,
        )
        drained.failed += 1
    elif state is not None:
        drained.retried += 1
