"""The compatibility checks (DOMAIN.md "Compatibility of an annex with the main agreement").
Each check is a pure function (main, annex) -> list[Flag] registered in CHECKS; run_checks()
runs them all. Texts live in messages.MESSAGES; language-specific patterns in patterns.py."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

from portal.checks import patterns as P
from portal.checks.messages import MESSAGES
from portal.checks.model import Annex, Evidence, Flag, MainAgreement, Severity
from portal.checks.text import quote, stem_all, stems_match, words
from portal.documents.domain import DocumentKind

Check = Callable[[MainAgreement, Annex], list[Flag]]
MAX_EVIDENCE = 10


def flag(code: str, severity: Severity, key: str, evidence: list[Evidence] | tuple = (),
         **params: object) -> Flag:
    unique = tuple(dict.fromkeys(evidence))  # two matches in one sentence quote it once
    return Flag(code, severity, MESSAGES[key], dict(params), unique[:MAX_EVIDENCE])


def find(annex: Annex, pattern: re.Pattern[str]) -> Iterator[tuple[int, re.Match[str], Evidence]]:
    for number, page in enumerate(annex.pages, start=1):
        for match in pattern.finditer(page):
            yield number, match, Evidence(number, quote(page, match.start(), match.end()))


# -- 1. parties ---------------------------------------------------------------------------------

def _party_keys(main: MainAgreement) -> list[tuple[int, tuple[tuple[str, ...], ...]]]:
    """(party index, stem sequences of its distinctive name words, in fi and sv)."""
    keys = []
    for i, party in enumerate(main.parties):
        variants = set()
        for name in (party.name, *party.aliases):
            tokens = [m.group() for m in words(name) if m.group().lower() not in P.KIND_WORDS]
            for language in ("fi", "sv"):
                if tokens:
                    variants.add(tuple(stem_all(tokens, language)))
        keys.append((i, tuple(variants)))
    return keys


def _is_party_name(tokens: list[str], keys) -> int | None:
    """The index of the party whose distinctive words `tokens` spell, else None."""
    for language in ("fi", "sv"):
        stems = stem_all(tokens, language)
        for index, variants in keys:
            for key in variants:
                if len(key) <= len(stems) and all(
                        stems_match(a, b) for a, b in zip(key, stems[-len(key):], strict=True)):
                    return index
    return None


def check_parties(main: MainAgreement, annex: Annex) -> list[Flag]:
    """Every party named (by business ID or by name, inflected) is a party of the main
    agreement; an annex agreement declares parties and only the main agreement's. R6, R7."""
    flags: list[Flag] = []
    ids = {p.business_id for p in main.parties}
    named: set[int] = set()
    for _, match, evidence in find(annex, P.BUSINESS_ID):
        if match.group() in ids:
            named.add(next(i for i, p in enumerate(main.parties) if p.business_id == match.group()))
        else:
            flags.append(flag("parties", Severity.blocker, "parties.unknown_business_id",
                              [evidence], business_id=match.group()))
    keys = _party_keys(main)
    outsiders: dict[str, tuple[str, list[Evidence]]] = {}
    known: dict[str, int | None] = {}
    for pattern in P.ORGANISATIONS:
        for _, match, evidence in find(annex, pattern):
            name = match.group("name")
            if name in P.NOT_NAMES:
                continue
            if name not in known:
                known[name] = _is_party_name([name], keys)
            index = known[name]
            if index is None:  # one flag per outsider, whatever its inflection
                seen = outsiders.setdefault(stem_all([name], annex.language)[0],
                                            (" ".join(match.group().split()), []))
                seen[1].append(evidence)
            else:
                named.add(index)
    for name, evidence in outsiders.values():
        flags.append(flag("parties", Severity.blocker, "parties.outsider", evidence, name=name))
    if annex.kind == DocumentKind.annex_agreement and not annex.declared_parties:
        flags.append(flag("parties", Severity.warning, "parties.declared_none"))
    for business_id in annex.declared_parties:
        if business_id not in ids:
            flags.append(flag("parties", Severity.blocker, "parties.declared_outsider",
                              business_id=business_id))
    return flags or [flag("parties", Severity.ok, "parties.ok", count=len(named))]


# -- 2. refers_to_main --------------------------------------------------------------------------

def check_refers_to_main(main: MainAgreement, annex: Annex) -> list[Flag]:
    """The document refers to the main agreement: by kind ("puitesopimus", "ramavtal"...) or by
    most of the words of its title."""
    for _, _, evidence in find(annex, P.MAIN_REFERENCE[annex.language]):
        return [flag("refers_to_main", Severity.ok, "refers_to_main.ok", [evidence])]
    title = [s for s in stem_all([m.group() for m in words(main.title)], annex.language)
             if len(s) > 3]
    if title:
        for number, page in enumerate(annex.pages, start=1):
            present = _StemIndex(stem_all([m.group() for m in words(page)], annex.language))
            if sum(present.has(s) for s in title) >= 0.7 * len(title):
                return [flag("refers_to_main", Severity.ok, "refers_to_main.ok",
                             [Evidence(number, quote(page, 0, 0))])]
    return [flag("refers_to_main", Severity.warning, "refers_to_main.missing")]


class _StemIndex:
    """Stems of a page, looked up with stems_match() through a 3-letter prefix index."""

    def __init__(self, stems: list[str]) -> None:
        self.exact = set(stems)
        self.by_prefix: dict[str, set[str]] = {}
        for stem in self.exact:
            self.by_prefix.setdefault(stem[:3], set()).add(stem)

    def has(self, stem: str) -> bool:
        return stem in self.exact or any(
            stems_match(stem, s) for s in self.by_prefix.get(stem[:3], ()))


# -- 3. goals -----------------------------------------------------------------------------------

def _goals_in_text(main: MainAgreement, annex: Annex) -> dict[int, Evidence]:
    numbers = {g.number for g in main.goals}
    found: dict[int, Evidence] = {}
    for _, match, evidence in find(annex, P.GOAL_NUMBERS[annex.language]):
        for number in map(int, re.findall(r"\d{1,2}", match.group("numbers"))):
            if number in numbers:
                found.setdefault(number, evidence)
    for number, page in enumerate(annex.pages, start=1):
        index = _StemIndex(stem_all([m.group() for m in words(page)], annex.language))
        for goal in main.goals:
            title = [m for m in words(goal.title) if len(m.group()) > 3]
            stems = stem_all([m.group() for m in title], annex.language)
            if goal.number not in found and stems and all(index.has(s) for s in stems):
                first = re.search(re.escape(stems[0][:4]), page, re.IGNORECASE)
                at = first.start() if first else 0
                found[goal.number] = Evidence(number, quote(page, at, at))
    return found


def check_goals(main: MainAgreement, annex: Annex) -> list[Flag]:
    """The goals of the main agreement it implements: declared at upload and found in the text
    (by number, "tavoite 3" / "mål 3", or by the goal's title, inflected). R6, R11."""
    titles = {g.number: g.title for g in main.goals}
    in_text = _goals_in_text(main, annex)
    flags = [flag("goals", Severity.warning, "goals.unknown", goal=n)
             for n in annex.declared_goals if n not in titles]
    flags += [flag("goals", Severity.info, "goals.not_in_text", goal=n, title=titles[n])
              for n in annex.declared_goals if n in titles and n not in in_text]
    implemented = sorted({n for n in annex.declared_goals if n in titles} | set(in_text))
    if not implemented:
        return flags + [flag("goals", Severity.warning, "goals.none")]
    return flags or [flag("goals", Severity.ok, "goals.ok", list(in_text.values()),
                          goals=", ".join(map(str, implemented)))]


# -- 4. validity --------------------------------------------------------------------------------

def check_validity(main: MainAgreement, annex: Annex) -> list[Flag]:
    """A notice period shorter than the main agreement's (R5), or a fixed end beyond the main
    agreement's end (R6), is a warning."""
    flags = []
    if main.notice_months is not None:
        for _, match, evidence in find(annex, P.NOTICE[annex.language]):
            months = P.number_value(match.group("n") or match.group("n2"))
            if months is not None and months < main.notice_months:
                flags.append(flag("validity", Severity.warning, "validity.short_notice",
                                  [evidence], months=months, main_months=main.notice_months))
    if main.valid_until is not None:
        for _, match, evidence in find(annex, P.END_DATE[annex.language]):
            day, month, year = re.findall(r"\d+", match.group("date") or match.group("date2"))
            try:
                until = date(int(year), int(month), int(day))
            except ValueError:
                continue
            if until > main.valid_until:
                flags.append(flag("validity", Severity.warning, "validity.beyond_main",
                                  [evidence], until=until.isoformat(),
                                  main_until=main.valid_until.isoformat()))
    return flags or [flag("validity", Severity.ok, "validity.ok")]


# -- 5. disputes --------------------------------------------------------------------------------

def check_disputes(main: MainAgreement, annex: Annex) -> list[Flag]:
    """The dispute clause agrees with the main agreement's (R14: negotiations, then the
    administrative court or a general court): arbitration or another court is a warning."""
    language = annex.language
    flags = []
    if main.dispute_forum != "arbitration":
        evidence = [e for _, _, e in find(annex, P.ARBITRATION[language])]
        if evidence:
            flags.append(flag("disputes", Severity.warning, "disputes.arbitration", evidence))
    for _, match, evidence in find(annex, P.OTHER_COURT[language]):
        flags.append(flag("disputes", Severity.warning, "disputes.other_court", [evidence],
                          court=" ".join(match.group().split())))
    if flags:
        return flags
    clause = [e for _, _, e in find(annex, P.DISPUTE[language])]
    if not clause:
        return [flag("disputes", Severity.info, "disputes.none")]
    return [flag("disputes", Severity.ok, "disputes.ok", clause)]


# -- 6. costs -----------------------------------------------------------------------------------

def check_costs(main: MainAgreement, annex: Annex) -> list[Flag]:
    """Cost sharing, invoicing or euro amounts depart from the own-cost principle (R9): a
    warning a lawyer acknowledges."""
    evidence = [e for _, _, e in find(annex, P.COSTS[annex.language])]
    if evidence:
        return [flag("costs", Severity.warning, "costs.departs", evidence)]
    return [flag("costs", Severity.ok, "costs.ok")]


# -- 7. fit_to_sign -----------------------------------------------------------------------------

def check_fit_to_sign(main: MainAgreement, annex: Annex) -> list[Flag]:
    """From signing.check_pdf's facts: encryption, JavaScript, launch actions, embedded files,
    existing signatures and every other kind of active content (form actions, additional actions,
    optional content that differs on screen and in print, media, ...) are blockers, one per kind
    (page count and size are enforced by Limits)."""
    facts = annex.facts
    if facts is None:
        return [flag("fit_to_sign", Severity.info, "fit_to_sign.unchecked")]
    found = [key for key, present in (("encrypted", facts.encrypted),
                                      ("javascript", facts.has_javascript),
                                      ("launch_action", facts.has_launch_action),
                                      ("embedded_file", facts.has_embedded_files),
                                      ("signed", facts.has_signatures)) if present]
    found += list(facts.active_content)
    return ([flag("fit_to_sign", Severity.blocker, f"fit_to_sign.{key}") for key in found]
            or [flag("fit_to_sign", Severity.ok, "fit_to_sign.ok")])


CHECKS: dict[str, Check] = {
    "parties": check_parties,
    "refers_to_main": check_refers_to_main,
    "goals": check_goals,
    "validity": check_validity,
    "disputes": check_disputes,
    "costs": check_costs,
    "fit_to_sign": check_fit_to_sign,
}


def run_checks(main: MainAgreement, annex: Annex) -> list[Flag]:
    """Every check's flags, in CHECKS order."""
    return [f for check in CHECKS.values() for f in check(main, annex)]


def worst(flags: list[Flag]) -> Severity:
    """The highest severity among `flags` (ok when there are none)."""
    return max((f.severity for f in flags), default=Severity.ok)
