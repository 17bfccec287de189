"""Rules of delivery: retries with exponential backoff, then failure."""

import hashlib
import hmac
from datetime import datetime, timedelta
from urllib.parse import urlsplit


def retry_delay(attempts: int, base_seconds: float, cap_seconds: float = 6 * 3600) -> timedelta:
    """After the n-th failed attempt wait base * 2**(n-1), at most cap."""
    return timedelta(seconds=min(cap_seconds, base_seconds * 2 ** max(0, attempts - 1)))


def after_failure(attempts: int, max_attempts: int, now: datetime,
                  base_seconds: float) -> tuple[str, datetime]:
    """(status, next attempt) once `attempts` attempts have failed."""
    if attempts >= max_attempts:
        return "failed", now
    return "queued", now + retry_delay(attempts, base_seconds)



def message_id(mail_id: int | None, event_key: str, created_at: datetime | None,
               installation_key: str, base_url: str) -> str:
    """The Message-ID of one outbox mail: the same on every attempt, so that a mail client folds
    the duplicate a worker killed after the SMTP server took the mail leaves behind, and unique
    per row and installation (an event key such as "contact-change:12:34" recurs in every
    installation): an HMAC of the row's id, event key and creation time under a per-installation
    secret, at the portal's host."""
    stamp = created_at.replace(tzinfo=None).isoformat(timespec="seconds") if created_at else ""
    digest = hmac.new(installation_key.encode(), f"sopu-message-id:{mail_id}:{event_key}:{stamp}".encode(),
                      hashlib.sha256).hexdigest()[:40]
    return f"<{digest}@{urlsplit(base_url).hostname or 'sopu.invalid'}>"
