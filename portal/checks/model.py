"""Plain values the checks take and return."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from portal.documents.domain import DocumentKind
from signing import PdfFacts

QUOTE_MAX = 200


class Severity(StrEnum):
    """ok < info < warning < blocker."""

    ok = "ok"
    info = "info"
    warning = "warning"
    blocker = "blocker"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


_ORDER = (Severity.ok, Severity.info, Severity.warning, Severity.blocker)


@dataclass(frozen=True)
class Evidence:
    """A quote (at most QUOTE_MAX characters) from page `page` (1-based)."""

    page: int
    text: str


@dataclass(frozen=True)
class Flag:
    """One finding. `message_id` is the English source text (a gettext msgid) with %(name)s
    placeholders filled from `params`."""

    code: str
    severity: Severity
    message_id: str
    params: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()

    @property
    def message(self) -> str:
        """The English text (the portal translates `message_id` instead)."""
        return self.message_id % self.params


@dataclass(frozen=True)
class Party:
    """A party of the main agreement; `aliases` are other names (e.g. the Swedish one)."""

    name: str
    business_id: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Goal:
    number: int
    title: str


@dataclass(frozen=True)
class MainAgreement:
    """What the checks need of the main agreement. `dispute_forum`: "courts" (negotiations,
    then the administrative court or a general court, R14), "general" (a general court only)
    or "arbitration"; None if unknown."""

    parties: tuple[Party, ...]
    goals: tuple[Goal, ...]
    notice_months: int | None = 12
    valid_until: date | None = None
    dispute_forum: str | None = "courts"
    title: str = ""


@dataclass(frozen=True)
class Annex:
    """The uploaded document: its text per page, what the uploader declared, the file facts."""

    #: one of documents.domain.UPLOAD_KINDS
    kind: DocumentKind
    pages: tuple[str, ...]
    declared_parties: tuple[str, ...] = ()
    declared_goals: tuple[int, ...] = ()
    facts: PdfFacts | None = None
    language: Literal["fi", "sv"] = "fi"
