"""Rules of a mail: its Message-ID. (The rule of retries is the queues': queue.domain.)"""

import hashlib
import hmac
from datetime import datetime
from urllib.parse import urlsplit


def message_id(
    mail_id: int | None, event_key: str, created_at: datetime | None, installation_key: str, base_url: str
) -> str:
    """The Message-ID of one outbox mail: the same on every attempt, so that a mail client folds
    the duplicate a worker killed after the SMTP server took the mail leaves behind, and unique
    per row and installation (an event key such as "contact-change:12:34" recurs in every
    installation): an HMAC of the row's id, event key and creation time under a per-installation
    secret, at the portal's host."""
    stamp = created_at.replace(tzinfo=None).isoformat(timespec="seconds") if created_at else ""
    digest = hmac.new(
        installation_key.encode(), f"sopu-message-id:{mail_id}:{event_key}:{stamp}".encode(), hashlib.sha256
    ).hexdigest()[:40]
    return f"<{digest}@{urlsplit(base_url).hostname or 'sopu.invalid'}>"
