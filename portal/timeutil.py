from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


def utcnow() -> datetime:
    """Naive UTC: the same in SQLite and PostgreSQL columns."""
    return datetime.now(UTC).replace(tzinfo=None)


def helsinki_today() -> date:
    """Today's calendar date in Finland: what decisions, notices and deadlines are dated by."""
    return datetime.now(HELSINKI).date()
