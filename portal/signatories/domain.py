"""A representative's signing authority (000 §13: "toimivaltaisten edustajien toimesta"): who may
sign for a party follows its administrative regulation (hallintosääntö) or a delegation
decision; a title and that basis belong to the signature."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

TITLE_MAX, BODY_MAX, SECTION_MAX = 200, 200, 40


class Basis(StrEnum):
    #: a section of the party's administrative regulation
    regulation = "regulation"
    #: a delegation decision of a named body, dated and numbered (R12)
    delegation = "delegation"


@dataclass(frozen=True)
class Mandate:
    """A signing authority as recorded: `section` is the regulation's section or the decision's
    §; `body` and `decided_on` name a delegation decision."""

    title: str
    basis: Basis
    section: str
    valid_from: date
    valid_to: date | None = None
    body: str = ""
    decided_on: date | None = None


def mandate_problem(mandate: Mandate, today: date) -> str | None:
    """What is wrong with a signing authority, or None (a code for portal.messages)."""
    if not mandate.title.strip() or len(mandate.title) > TITLE_MAX:
        return "authority_title"
    if not mandate.section.strip() or len(mandate.section) > SECTION_MAX:
        return "authority_section"
    if mandate.basis is Basis.delegation:
        if not mandate.body.strip() or len(mandate.body) > BODY_MAX or mandate.decided_on is None:
            return "authority_decision"
        if mandate.decided_on > today:  # a decision is never dated in the future (001)
            return "authority_decision_future"
    if mandate.valid_to is not None and mandate.valid_to < mandate.valid_from:
        return "authority_period"
    return None


def valid_on(valid_from: date, valid_to: date | None, day: date) -> bool:
    return valid_from <= day and (valid_to is None or day <= valid_to)
