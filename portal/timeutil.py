from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC: the same in SQLite and PostgreSQL columns."""
    return datetime.now(UTC).replace(tzinfo=None)
