"""Rules of the steering group (DOMAIN.md R13; seed 000 §4-§5): meetings at least six times a
year, the invitation at least 7 days and the agenda at least 3 working days before a meeting, a
quorum of the chair or vice-chair and at least half of the members. Working days follow the
Finnish calendar of the `holidays` package (no hand-written holiday list)."""

from collections.abc import Set
from datetime import date, timedelta
from functools import lru_cache

import holidays

#: seed 000 §5
MIN_MEETINGS_A_YEAR = 6
INVITATION_DAYS = 7
AGENDA_WORKING_DAYS = 3


@lru_cache(maxsize=64)
def _finnish_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FI", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday, except Finland's public holidays and the eves the country takes off
    (Midsummer Eve, Christmas Eve)."""
    return day.weekday() < 5 and day not in _finnish_holidays(day.year)


def working_days_before(day: date, count: int) -> date:
    """The date `count` working days before `day` (the day itself not counted): the agenda of a
    Thursday meeting is due on Monday, that of a meeting on the Tuesday after Easter on the
    Wednesday before Good Friday."""
    if count < 1:
        raise ValueError("count at least one working day")
    current, found = day, 0
    while found < count:
        current -= timedelta(days=1)
        if is_working_day(current):
            found += 1
    return current


def invitation_due_on(meeting_on: date, days: int = INVITATION_DAYS) -> date:
    """The invitation must reach the members at the latest this day (calendar days)."""
    return meeting_on - timedelta(days=days)


def agenda_due_on(meeting_on: date, working_days: int = AGENDA_WORKING_DAYS) -> date:
    """The agenda must reach the members at the latest this day (working days)."""
    return working_days_before(meeting_on, working_days)


def has_quorum(members: Set[int], present: Set[int], chair: int | None, vice_chair: int | None) -> bool:
    """Seed 000 §5: the chair or the vice-chair and at least half of the members are present.
    `members` and `present` are member seats (a deputy present in a member's place counts as that
    member); experts, the secretary and guests are not members and do not count."""
    seated = present & members
    presiding = (chair is not None and chair in seated) or (vice_chair is not None and vice_chair in seated)
    return bool(members) and presiding and 2 * len(seated) >= len(members)


def meetings_missing(held_or_planned: int, minimum: int = MIN_MEETINGS_A_YEAR) -> int:
    """How many more meetings a year needs to reach the minimum (0 when it does)."""
    return max(0, minimum - held_or_planned)


def unanimous(members: Set[int], present: Set[int], in_favour: Set[int]) -> bool:
    """R10: a unanimous decision of the steering group: a quorate meeting where every member
    present voted in favour (none against, none abstaining)."""
    seated = present & members
    return bool(seated) and seated <= in_favour


def seats_taken(present: Set[int], deputy_of: dict[int, int]) -> set[int]:
    """The member seats filled at a meeting: a member present fills their own seat, a deputy
    present fills the seat of the member they stand in for (`deputy_of`: deputy → member)."""
    return {deputy_of.get(person, person) for person in present}


def deadline_missed(due_on: date, sent_on: date) -> bool:
    """Whether an invitation or agenda sent on `sent_on` came later than `due_on`."""
    return sent_on > due_on
