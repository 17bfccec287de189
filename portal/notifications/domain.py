"""Rules of notification: when a signature reminder is due, and the event keys that make each
mail and each portal notification unique per recipient."""

from datetime import datetime, timedelta


def reminder_due(opened_at: datetime, now: datetime, interval_days: float, max_count: int) -> int:
    """The number of the latest reminder due at `now` (0: none yet).

    Reminder n falls due `n * interval_days` after the document opened for signature; no more
    than `max_count` are ever sent. A worker that was down for a while queues only the latest
    one due, so nobody gets a burst of reminders at once."""
    if interval_days <= 0 or max_count <= 0 or now < opened_at:
        return 0
    elapsed = (now - opened_at) / timedelta(days=interval_days)
    return min(int(elapsed), max_count)


def next_reminder_at(
    opened_at: datetime, queued: int, interval_days: float, max_count: int
) -> datetime | None:
    """When reminder `queued + 1` falls due, or None once `max_count` have been queued."""
    if interval_days <= 0 or queued >= max_count:
        return None
    return opened_at + (queued + 1) * timedelta(days=interval_days)


def invitation_key(document_id: int, user_id: int) -> str:
    return f"sign-invitation:{document_id}:{user_id}"


def reminder_key(document_id: int, number: int, user_id: int) -> str:
    return f"sign-reminder:{document_id}:{number}:{user_id}"


def in_force_key(document_id: int, user_id: int) -> str:
    return f"in-force:{document_id}:{user_id}"


def annex_version_key(version_id: int, user_id: int) -> str:
    return f"annex-version:{version_id}:{user_id}"


def annex_blocker_key(version_id: int, run: int, user_id: int) -> str:
    return f"annex-blocker:{version_id}:{run}:{user_id}"
