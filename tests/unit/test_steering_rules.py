"""The steering group's deadlines and quorum (R13; seed 000 §5), on the Finnish calendar."""

from datetime import date

import pytest

from portal.steering.domain import (
    agenda_due_on,
    has_quorum,
    invitation_due_on,
    is_working_day,
    meetings_missing,
    unanimous,
)


@pytest.mark.parametrize(
    ("meeting", "agenda"),
    [
        # an ordinary week: Thursday's agenda is due on Monday
        (date(2026, 11, 12), date(2026, 11, 9)),
        # Monday's agenda is due on the Wednesday before
        (date(2026, 11, 16), date(2026, 11, 11)),
        # Easter 2026: Good Friday 3.4. and Easter Monday 6.4. are not working days
        (date(2026, 4, 9), date(2026, 4, 2)),
        (date(2026, 4, 7), date(2026, 3, 31)),
        # Easter 2027: Good Friday 26.3., Easter Monday 29.3.
        (date(2027, 3, 31), date(2027, 3, 24)),
        (date(2027, 3, 30), date(2027, 3, 23)),
        # Midsummer 2026: Midsummer Eve (Friday 19.6.) is taken off
        (date(2026, 6, 23), date(2026, 6, 17)),
        # Christmas 2026: Christmas Eve, Christmas Day and Boxing Day
        (date(2026, 12, 29), date(2026, 12, 22)),
        # New Year and Epiphany 2027 (Friday 1.1., Wednesday 6.1.)
        (date(2027, 1, 7), date(2026, 12, 31)),
        # Independence Day 2027 is a Monday; May Day and Ascension Day 2026
        (date(2027, 12, 9), date(2027, 12, 3)),
        (date(2026, 5, 5), date(2026, 4, 29)),
        (date(2026, 5, 18), date(2026, 5, 12)),
    ],
)
def test_the_agenda_is_due_three_working_days_before_the_meeting(meeting, agenda):
    assert agenda_due_on(meeting) == agenda


@pytest.mark.parametrize(
    ("meeting", "invitation"),
    [
        (date(2026, 11, 12), date(2026, 11, 5)),
        (date(2027, 1, 5), date(2026, 12, 29)),
        (date(2026, 4, 9), date(2026, 4, 2)),
    ],
)
def test_the_invitation_is_due_seven_days_before_the_meeting(meeting, invitation):
    assert invitation_due_on(meeting) == invitation


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 6, 19), False),  # Midsummer Eve
        (date(2026, 12, 24), False),  # Christmas Eve
        (date(2026, 12, 6), False),  # Independence Day (a Sunday)
        (date(2026, 11, 28), False),  # a Saturday
        (date(2026, 12, 23), True),
        (date(2026, 10, 30), True),  # the Friday before All Saints' Day (Saturday 31.10.)
    ],
)
def test_working_days_follow_the_finnish_calendar(day, working):
    assert is_working_day(day) is working


MEMBERS = set(range(1, 11))  # ten member seats; seat 1 chairs, seat 2 is the vice-chair


@pytest.mark.parametrize(
    ("present", "quorate"),
    [
        ({1, 3, 4, 5, 6}, True),  # the chair and half of the members
        ({1, 3, 4, 5}, False),  # the chair but fewer than half
        ({3, 4, 5, 6, 7, 8}, False),  # more than half, but neither chair nor vice-chair
        ({2, 3, 4, 5, 6}, True),  # the vice-chair presides
        (MEMBERS, True),
        ({1, 3, 4, 5, 11, 12}, False),  # experts and the secretary (11, 12) do not count
        (set(), False),
    ],
)
def test_the_quorum_is_the_chair_or_vice_chair_and_half_of_the_members(present, quorate):
    assert has_quorum(MEMBERS, present, chair=1, vice_chair=2) is quorate


def test_an_odd_number_of_members_needs_the_larger_half():
    nine = set(range(1, 10))
    assert not has_quorum(nine, {1, 3, 4, 5}, chair=1, vice_chair=2)
    assert has_quorum(nine, {1, 3, 4, 5, 6}, chair=1, vice_chair=2)


def test_no_quorum_without_a_chair_elected():
    assert not has_quorum(MEMBERS, MEMBERS, chair=None, vice_chair=None)


@pytest.mark.parametrize(("held", "missing"), [(0, 6), (4, 2), (6, 0), (9, 0)])
def test_at_least_six_meetings_a_year(held, missing):
    assert meetings_missing(held) == missing


def test_a_unanimous_decision_needs_every_member_present_in_favour():
    assert unanimous(MEMBERS, {1, 2, 3}, {1, 2, 3})
    assert not unanimous(MEMBERS, {1, 2, 3}, {1, 2})
    assert unanimous(MEMBERS, {1, 2, 3, 11}, {1, 2, 3})  # a guest has no vote
    assert not unanimous(MEMBERS, set(), set())
