"""The states of the work queues and the rule of retries: exponential backoff, then failure."""

from datetime import datetime, timedelta
from enum import StrEnum


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class MailStatus(StrEnum):
    queued = "queued"
    sending = "sending"
    sent = "sent"
    failed = "failed"


def retry_delay(attempts: int, base_seconds: float, cap_seconds: float = 6 * 3600) -> timedelta:
    """After the n-th failed attempt wait base * 2**(n-1), at most cap."""
    return timedelta(seconds=min(cap_seconds, base_seconds * 2 ** max(0, attempts - 1)))


def after_failure(
    attempts: int, max_attempts: int, now: datetime, base_seconds: float
) -> tuple[str, datetime]:
    """(status, next attempt) once `attempts` attempts have failed: "queued" again after the
    backoff, or "failed" for good once `max_attempts` have."""
    if attempts >= max_attempts:
        return "failed", now
    return "queued", now + retry_delay(attempts, base_seconds)
