"""The agreement as amended (R8; issue 12): what an amendment's text changes of the terms the
checks read (notice period, fixed end, dispute forum, goals), and the consolidation of the main
agreement with the amendments in force, in the order they entered into force. Pure."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from portal.checks.clauses import forums, main_forum
from portal.checks.model import Goal, MainAgreement
from portal.checks.reading import read
from portal.checks.terms import main_terms

#: an amendment states a goal as a heading of its own line: "Tavoite 10: Ikääntyneiden kotona
#: asuminen" / "Mål 10: Äldre som bor hemma" (a new goal, or a new title for that number)
GOAL_HEADING = {
    "fi": re.compile(
        r"^[ \t]*tavoite[ \t]+(?P<number>\d{1,2})[ \t]*[:.][ \t]*(?P<title>\S[^\n]*)$", re.I | re.M
    ),
    "sv": re.compile(r"^[ \t]*mål[ \t]+(?P<number>\d{1,2})[ \t]*[:.][ \t]*(?P<title>\S[^\n]*)$", re.I | re.M),
}


@dataclass(frozen=True)
class AmendedTerms:
    """What an amendment's text states; None (or no goals) where it is silent."""

    notice_months: int | None = None
    valid_until: date | None = None
    dispute_forum: str | None = None
    goals: Mapping[int, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """One term an amendment changed: `term` is notice_months, valid_until, dispute_forum or goal
    (then `number` is the goal's; `before` None for a new goal)."""

    term: str
    before: object
    after: object
    number: int | None = None


def amendment_terms(pages: tuple[str, ...] | list[str], language: str) -> AmendedTerms:
    """The terms an amendment states: its notice period and fixed end as the main agreement's are
    read, its dispute forum only when it speaks of disputes, its goals from their headings."""
    stated = main_terms(pages, language)
    sentences = read(tuple(pages), language)
    forum = main_forum(sentences, language) if forums(sentences, language).clause else None
    pattern = GOAL_HEADING["sv" if language == "sv" else "fi"]
    goals = {
        int(m.group("number")): " ".join(m.group("title").split()).rstrip(".")
        for page in pages
        for m in pattern.finditer(page)
    }
    return AmendedTerms(stated.notice_months, stated.valid_until, forum, goals)


def amend(main: MainAgreement, terms: AmendedTerms) -> tuple[MainAgreement, tuple[Change, ...]]:
    """The main agreement as `terms` amend it, and what changed (a term restated unchanged is no
    change). A goal keeps its number: the amendment adds it or gives it a new title."""
    changes: list[Change] = []
    updates: dict[str, object] = {}
    for term in ("notice_months", "valid_until", "dispute_forum"):
        after = getattr(terms, term)
        if after is not None and after != getattr(main, term):
            changes.append(Change(term, getattr(main, term), after))
            updates[term] = after
    goals = {g.number: g.title for g in main.goals}
    for number, title in sorted(terms.goals.items()):
        if goals.get(number) != title:
            changes.append(Change("goal", goals.get(number), title, number))
            goals[number] = title
    if any(c.term == "goal" for c in changes):
        updates["goals"] = tuple(Goal(n, t) for n, t in sorted(goals.items()))
    return dataclasses.replace(main, **updates), tuple(changes)  # type: ignore[arg-type]
