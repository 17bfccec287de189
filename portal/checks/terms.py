"""What the checks read off a text before comparing: its language, and the main agreement's own
terms (notice period, fixed end, dispute forum), so that a new version of the main agreement
changes what its annexes are checked against (R5, R6, R14)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from portal.checks import patterns as P
from portal.checks.clauses import main_forum, notice_months
from portal.checks.reading import read
from portal.checks.text import words

#: frequent function words that only one of the two languages has
_FINNISH = frozenset(
    {
        "ja",
        "on",
        "tai",
        "sekä",
        "että",
        "ovat",
        "tämä",
        "tämän",
        "sen",
        "joka",
        "kuin",
        "osapuolet",
        "sopimuksen",
        "mukaan",
        "myös",
        "ei",
    }
)
_SWEDISH = frozenset(
    {
        "och",
        "är",
        "att",
        "eller",
        "som",
        "för",
        "av",
        "med",
        "den",
        "det",
        "till",
        "parterna",
        "avtalet",
        "enligt",
        "också",
        "inte",
        "på",
        "om",
    }
)


def guess_language(pages: tuple[str, ...] | list[str]) -> Literal["fi", "sv"]:
    """ "sv" when Swedish function words outnumber Finnish ones, else "fi" (the norm)."""
    finnish = swedish = 0
    for page in pages:
        for match in words(page):
            word = match.group().lower()
            finnish += word in _FINNISH
            swedish += word in _SWEDISH
    return "sv" if swedish > finnish else "fi"


@dataclass(frozen=True)
class MainTerms:
    """The main agreement's terms as its text states them; None where the text is silent."""

    notice_months: int | None
    valid_until: date | None
    dispute_forum: str


def main_terms(pages: tuple[str, ...] | list[str], language: str) -> MainTerms:
    """The first notice period, the first fixed end date and the dispute forum the main agreement
    orders: "arbitration", "general" (a general court only) or, as in the model agreement,
    negotiation and then the administrative court or a general court ("courts")."""
    sentences = read(tuple(pages), language)
    notice = next((m for s in sentences if (m := notice_months(s, language)) is not None), None)
    valid_until = None
    for page in pages:
        if valid_until is None and (match := P.END_DATE[language].search(page)):
            valid_until = _date(match.group("date") or match.groupdict()["date2"])
    return MainTerms(notice, valid_until, main_forum(sentences, language))


def _date(text: str) -> date | None:
    day, month, year = (int(x) for x in re.findall(r"\d+", text))
    try:
        return date(year, month, day)
    except ValueError:
        return None
