"""When a signature reminder is due: a pure rule, 'now' passed in."""

from datetime import datetime, timedelta

from portal.notifications.domain import reminder_due

OPENED = datetime(2026, 11, 2, 9, 0)


def at(days: float) -> datetime:
    return OPENED + timedelta(days=days)


def test_nothing_is_due_before_the_first_interval():
    assert reminder_due(OPENED, at(0), 7, 3) == 0
    assert reminder_due(OPENED, at(7) - timedelta(seconds=1), 7, 3) == 0


def test_reminder_n_falls_due_after_n_intervals():
    assert reminder_due(OPENED, at(7), 7, 3) == 1
    assert reminder_due(OPENED, at(13.9), 7, 3) == 1
    assert reminder_due(OPENED, at(14), 7, 3) == 2
    assert reminder_due(OPENED, at(21), 7, 3) == 3


def test_the_cap_holds_however_long_it_takes():
    assert reminder_due(OPENED, at(365), 7, 3) == 3
    assert reminder_due(OPENED, at(365), 2, 1) == 1


def test_no_reminders_when_switched_off_or_clock_behind():
    assert reminder_due(OPENED, at(100), 7, 0) == 0
    assert reminder_due(OPENED, at(100), 0, 3) == 0
    assert reminder_due(OPENED, at(-1), 7, 3) == 0
