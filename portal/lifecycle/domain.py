"""Rules of an agreement's life after entry into force (DOMAIN.md R4, R5; seed 000 §12, seed 002
§5.2, seed 004 §5). Pure: dates and numbers in, dates and verdicts out."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

#: R5: 12 months' notice in seeds 000, 002 and 004, unless the agreement says otherwise
DEFAULT_NOTICE_MONTHS = 12
#: the municipal council term that began on 1 June 2025 (Kuntavaalit 2025); terms last four years
COUNCIL_TERM_ANCHOR = date(2025, 6, 1)
COUNCIL_TERM_YEARS = 4
#: the 2021–2025 term began late, on 1 August 2021 (the elections were moved to June 2021)
EARLIER_COUNCIL_TERM_STARTS = (date(2017, 6, 1), date(2021, 8, 1))


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` calendar months; a day the target month lacks becomes its last
    day (31 January + 1 month = 28 or 29 February; 29 February 2024 + 12 months = 28 February
    2025)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, 1)).days


def termination_ends_on(received_on: date, notice_months: int = DEFAULT_NOTICE_MONTHS) -> date:
    """R5: a party that gives written notice on `received_on` (the day the notice reached the
    other parties) is bound until the same day `notice_months` calendar months later ("irtisanoa
    sopimuksen päättymään 12 kuukauden kuluttua irtisanomisesta"); the agreement ends for it on
    that day."""
    if notice_months < 0:
        raise ValueError("a notice period cannot be negative")
    return add_months(received_on, notice_months)


def budget_period_end(day: date) -> date:
    """The last day of the budget period that `day` falls in: a municipality's budget year is the
    calendar year (kuntalaki 110 §)."""
    return date(day.year, 12, 31)


@dataclass(frozen=True)
class Dissolution:
    """Seed 000 §12: the steering group dissolves the agreement for one party at once; the party
    still pays its share of the costs of the current budget period."""

    ends_on: date
    costs_payable_until: date


def dissolution(decided_on: date) -> Dissolution:
    """The agreement ends for the party on the day of the steering group's decision."""
    return Dissolution(ends_on=decided_on, costs_payable_until=budget_period_end(decided_on))


def party_in_force(on: date, joined_on: date | None, ends_on: date | None) -> bool:
    """Whether a party is bound on `on`: from the day it joined (or the agreement entered into
    force) until the day its termination or dissolution takes effect, that day excluded."""
    return joined_on is not None and joined_on <= on and (ends_on is None or on < ends_on)


def agreement_ends_for_all(remaining_parties: int, minimum_parties: int = 2) -> bool:
    """An agreement between fewer parties than it requires (at least two: one cannot agree with
    oneself) ends for everyone."""
    return remaining_parties < max(2, minimum_parties)


def council_term_start(on: date) -> date:
    """The first day of the municipal council term that `on` falls in."""
    if on < COUNCIL_TERM_ANCHOR:
        earlier = [start for start in EARLIER_COUNCIL_TERM_STARTS if start <= on]
        if not earlier:
            raise ValueError("dates before the 2017 council term are not covered")
        return earlier[-1]
    terms = (on.year - COUNCIL_TERM_ANCHOR.year) // COUNCIL_TERM_YEARS
    start = date(COUNCIL_TERM_ANCHOR.year + terms * COUNCIL_TERM_YEARS, 6, 1)
    return start if start <= on else date(start.year - COUNCIL_TERM_YEARS, 6, 1)


def review_due_on(entered_into_force_on: date) -> date:
    """Seed 002 §5.2: the agreement holds until a new one replaces it after the next council term
    has begun; the review is due on the first day of the term after the one it entered into force
    in."""
    start = council_term_start(entered_into_force_on)
    if start < COUNCIL_TERM_ANCHOR:
        later = [s for s in (*EARLIER_COUNCIL_TERM_STARTS, COUNCIL_TERM_ANCHOR) if s > start]
        return later[0]
    return date(start.year + COUNCIL_TERM_YEARS, 6, 1)


class TerminationKind(StrEnum):
    """How the agreement ends for one party: its own written notice (R5), or the steering
    group's decision to dissolve it for that party at once (seed 000 §12)."""

    notice = "notice"
    dissolution = "dissolution"


def agreement_ends_on(
    party_count: int, party_end_dates: Sequence[date], minimum_parties: int = 2
) -> date | None:
    """The day the agreement ends for everyone: the day the parties still bound fall below what
    it requires (at least two), or None while enough remain. `party_end_dates`: the day the
    agreement ends for each party that terminated or was dissolved."""
    remaining = party_count
    for ends_on in sorted(party_end_dates):
        remaining -= 1
        if agreement_ends_for_all(remaining, minimum_parties):
            return ends_on
    return None


def party_ended(on: date, ends_on: date | None) -> bool:
    """A party's obligations end on its end date: from that day on it is no longer bound."""
    return ends_on is not None and on >= ends_on


class AccessionStatus(StrEnum):
    """R10: asked, decided unanimously (the accession document out for signature), joined."""

    requested = "requested"
    decided = "decided"
    joined = "joined"


@dataclass(frozen=True)
class Ended:
    """Who is no longer bound on a day: everyone (the agreement ended for all) or these parties
    (their end date has come). Ended agreements and parties are read-only and kept."""

    everyone: bool = False
    parties: frozenset[int] = frozenset()

    def party(self, organisation_id: int) -> bool:
        return self.everyone or organisation_id in self.parties


def ended_on(on: date, party_count: int, end_dates: Mapping[int, date], minimum_parties: int = 2) -> Ended:
    """The parties whose end date (`end_dates`: party -> the first day it is no longer bound) has
    come on `on`, and whether the agreement has ended for everyone (too few parties remain)."""
    everyone = agreement_ends_on(party_count, list(end_dates.values()), minimum_parties)
    return Ended(
        party_ended(on, everyone),
        frozenset(party for party, ends_on in end_dates.items() if party_ended(on, ends_on)),
    )
