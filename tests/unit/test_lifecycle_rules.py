"""Termination, dissolution and council terms (R4, R5; seed 000 §12, 002 §5.2, 004 §5)."""

from datetime import date

import pytest

from portal.lifecycle.domain import (
    add_months,
    agreement_ends_for_all,
    council_term_start,
    dissolution,
    ended_on,
    party_in_force,
    review_due_on,
    termination_ends_on,
)


@pytest.mark.parametrize(
    ("received", "months", "ends"),
    [
        # seeds 000 §12 and 004 §5: twelve months' written notice
        (date(2026, 3, 15), 12, date(2027, 3, 15)),
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
        (date(2024, 1, 15), 12, date(2025, 1, 15)),
        # leap years: 29 February has no twin in 2025, but has one four years on
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        # month ends: a day the target month lacks becomes its last day
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        # "kolmen kuukauden kuluttua irtisanomisesta"
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 10, 1), 3, date(2027, 1, 1)),
        (date(2026, 5, 20), 0, date(2026, 5, 20)),
    ],
)
def test_a_termination_ends_the_agreement_after_the_notice_in_calendar_months(received, months, ends):
    assert termination_ends_on(received, months) == ends


def test_the_default_notice_is_twelve_months_and_never_negative():
    assert termination_ends_on(date(2026, 6, 1)) == date(2027, 6, 1)
    with pytest.raises(ValueError):
        termination_ends_on(date(2026, 6, 1), -1)


@pytest.mark.parametrize(
    ("day", "months", "moved"),
    [
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2027, 1, 15), -1, date(2026, 12, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 1), 25, date(2028, 2, 1)),
    ],
)
def test_months_are_added_across_years_both_ways(day, months, moved):
    assert add_months(day, months) == moved


@pytest.mark.parametrize(
    ("decided", "payable_until"),
    [
        (date(2026, 9, 15), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 12, 31)),
        (date(2026, 12, 31), date(2026, 12, 31)),
    ],
)
def test_a_dissolution_ends_at_once_and_the_budget_period_is_still_paid(decided, payable_until):
    ended = dissolution(decided)
    assert ended.ends_on == decided
    assert ended.costs_payable_until == payable_until


@pytest.mark.parametrize(
    ("on", "joined", "ends", "bound"),
    [
        (date(2026, 6, 1), date(2026, 1, 1), None, True),
        (date(2025, 12, 31), date(2026, 1, 1), None, False),
        (date(2027, 3, 14), date(2026, 1, 1), date(2027, 3, 15), True),
        (date(2027, 3, 15), date(2026, 1, 1), date(2027, 3, 15), False),
        (date(2026, 6, 1), None, None, False),
    ],
)
def test_a_party_is_bound_from_joining_until_its_end_date(on, joined, ends, bound):
    assert party_in_force(on, joined, ends) is bound


@pytest.mark.parametrize(
    ("remaining", "minimum", "ends"),
    [
        (25, 2, False),
        (2, 2, False),
        (1, 2, True),
        (0, 2, True),
        (3, 4, True),
        (4, 4, False),
        (1, 0, True),
    ],
)
def test_an_agreement_with_too_few_parties_ends_for_everyone(remaining, minimum, ends):
    assert agreement_ends_for_all(remaining, minimum) is ends


@pytest.mark.parametrize(
    ("on", "start", "review"),
    [
        (date(2026, 12, 2), date(2025, 6, 1), date(2029, 6, 1)),
        (date(2025, 6, 1), date(2025, 6, 1), date(2029, 6, 1)),
        (date(2025, 5, 31), date(2021, 8, 1), date(2025, 6, 1)),
        # seed 001: Porvoo approved the Itä-Uusimaa agreement on 21.08.2023
        (date(2023, 8, 21), date(2021, 8, 1), date(2025, 6, 1)),
        (date(2021, 7, 31), date(2017, 6, 1), date(2021, 8, 1)),
        (date(2029, 5, 31), date(2025, 6, 1), date(2029, 6, 1)),
        (date(2029, 6, 1), date(2029, 6, 1), date(2033, 6, 1)),
        (date(2040, 1, 1), date(2037, 6, 1), date(2041, 6, 1)),
    ],
)
def test_the_review_is_due_when_the_next_council_term_begins(on, start, review):
    assert council_term_start(on) == start
    assert review_due_on(on) == review


@pytest.mark.parametrize(
    ("on", "parties", "ends", "everyone", "ended"),
    [
        # nobody has given notice
        (date(2026, 6, 1), 3, {}, False, set()),
        # party 1's end date has come, party 2's has not; three parties, two still bound
        (date(2026, 6, 1), 3, {1: date(2026, 6, 1), 2: date(2026, 6, 2)}, False, {1}),
        # the day before its end date a party is still bound
        (date(2026, 5, 31), 3, {1: date(2026, 6, 1)}, False, set()),
        # two parties, one leaves: the agreement ends for both on that day
        (date(2026, 6, 1), 2, {1: date(2026, 6, 1)}, True, {1}),
        (date(2026, 5, 31), 2, {1: date(2026, 6, 1)}, False, set()),
    ],
)
def test_who_has_ended_on_a_day(on, parties, ends, everyone, ended):
    found = ended_on(on, parties, ends)
    assert found.everyone is everyone and found.parties == ended
    assert all(found.party(p) for p in ended)
    assert found.party(99) is everyone
