"""The compatibility checks (DOMAIN.md "Compatibility of an annex with the main agreement").
Each check is a pure function (main, annex) -> list[Flag] registered in CHECKS; run_checks()
runs them all. Texts live in messages.MESSAGES; language-specific patterns in patterns.py."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

from portal.checks import patterns as P
from portal.checks.bodies import Directory, directory
from portal.checks.clauses import departs_from_own_costs, forums, notice_months
from portal.checks.messages import MESSAGES
from portal.checks.model import Annex, Evidence, Flag, MainAgreement, Severity
from portal.checks.morphology import analyser
from portal.checks.reading import read
from portal.checks.text import stem_all, stems_match, words
from portal.documents.domain import DocumentKind

Check = Callable[[MainAgreement, Annex], list[Flag]]
MAX_EVIDENCE = 10


def flag(
    code: str, severity: Severity, key: str, evidence: list[Evidence] | tuple = (), **params: object
) -> Flag:
    unique = tuple(dict.fromkeys(evidence))  # two matches in one sentence quote it once
    return Flag(code, severity, MESSAGES[key], dict(params), unique[:MAX_EVIDENCE])


def find(annex: Annex, pattern: re.Pattern[str]) -> Iterator[tuple[int, re.Match[str], Evidence]]:
    """Matches of `pattern` sentence by sentence, each with its sentence as evidence."""
    for sentence in read(annex.pages, annex.language):
        for match in pattern.finditer(sentence.text):
            yield sentence.page, match, sentence.evidence(match.start(), match.end())


def _first_sentence(annex: Annex, page: int, word: str = "") -> Evidence:
    """The first sentence of `page` that contains `word` (else its first sentence)."""
    sentences = [s for s in read(annex.pages, annex.language) if s.page == page]
    hit = next((s for s in sentences if word.lower() in s.text.lower()), None)
    chosen = hit or (sentences[0] if sentences else None)
    return chosen.evidence() if chosen else Evidence(page, "")


# -- 1. parties ---------------------------------------------------------------------------------


def _party_identities(main: MainAgreement, bodies: Directory) -> dict[tuple, int]:
    """The identities of the main agreement's parties (by any of their names) -> party index."""
    identities: dict[tuple, int] = {}
    for i, party in enumerate(main.parties):
        for name in (party.name, *party.aliases):
            for key in bodies.identities(name):
                identities.setdefault(key, i)
    return identities


def check_parties(main: MainAgreement, annex: Annex) -> list[Flag]:
    """Every organisation named (by business ID, by a public body's name in any case, or by
    "<Name> kaupunki/kuntayhtymä/stad..." ) is a party of the main agreement; an annex agreement
    declares parties and only the main agreement's. One blocker per outsider, however often and
    however it is named (a business ID beside an outsider's name is the same finding). R6, R7."""
    ids = {p.business_id: i for i, p in enumerate(main.parties)}
    bodies = directory(analyser())
    parties = _party_identities(main, bodies)
    named: set[int] = set()
    outsiders: dict[tuple, tuple[str, list[Evidence]]] = {}
    unknown_ids: dict[str, list[Evidence]] = {}
    for sentence in read(annex.pages, annex.language):
        evidence = sentence.evidence()
        strangers = []
        for mention in bodies.mentions(sentence, annex.language):
            if mention.key in parties:
                named.add(parties[mention.key])
            else:
                strangers.append(mention)
        for mention in strangers:
            outsiders.setdefault(mention.key, (mention.name, []))[1].append(evidence)
        for match in P.BUSINESS_ID.finditer(sentence.text):
            if match.group() in ids:
                named.add(ids[match.group()])
            elif not strangers:  # beside an outsider's name it is that outsider's
                unknown_ids.setdefault(match.group(), []).append(evidence)
    flags = [
        flag("parties", Severity.blocker, "parties.outsider", evidence, name=name)
        for name, evidence in outsiders.values()
    ]
    flags += [
        flag("parties", Severity.blocker, "parties.unknown_business_id", evidence, business_id=business_id)
        for business_id, evidence in unknown_ids.items()
    ]
    if annex.kind == DocumentKind.annex_agreement and not annex.declared_parties:
        flags.append(flag("parties", Severity.warning, "parties.declared_none"))
    for business_id in annex.declared_parties:
        if business_id not in ids:
            flags.append(
                flag("parties", Severity.blocker, "parties.declared_outsider", business_id=business_id)
            )
    return flags or [flag("parties", Severity.ok, "parties.ok", count=len(named))]


# -- 2. refers_to_main --------------------------------------------------------------------------


def check_refers_to_main(main: MainAgreement, annex: Annex) -> list[Flag]:
    """The document refers to the main agreement: by kind ("puitesopimus", "ramavtal"...) or by
    most of the words of its title."""
    for _, _, evidence in find(annex, P.MAIN_REFERENCE[annex.language]):
        return [flag("refers_to_main", Severity.ok, "refers_to_main.ok", [evidence])]
    title = [s for s in stem_all([m.group() for m in words(main.title)], annex.language) if len(s) > 3]
    if title:
        for number, page in enumerate(annex.pages, start=1):
            present = _StemIndex(stem_all([m.group() for m in words(page)], annex.language))
            if sum(present.has(s) for s in title) >= 0.7 * len(title):
                return [
                    flag("refers_to_main", Severity.ok, "refers_to_main.ok", [_first_sentence(annex, number)])
                ]
    return [flag("refers_to_main", Severity.warning, "refers_to_main.missing")]


class _StemIndex:
    """Stems of a page, looked up with stems_match() through a 3-letter prefix index."""

    def __init__(self, stems: list[str]) -> None:
        self.exact = set(stems)
        self.by_prefix: dict[str, set[str]] = {}
        for stem in self.exact:
            self.by_prefix.setdefault(stem[:3], set()).add(stem)

    def has(self, stem: str) -> bool:
        return stem in self.exact or any(stems_match(stem, s) for s in self.by_prefix.get(stem[:3], ()))


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
                found[goal.number] = _first_sentence(annex, number, stems[0][:4])
    return found


def check_goals(main: MainAgreement, annex: Annex) -> list[Flag]:
    """The goals of the main agreement it implements: declared at upload and found in the text
    (by number, "tavoite 3" / "mål 3", or by the goal's title, inflected). R6, R11."""
    titles = {g.number: g.title for g in main.goals}
    in_text = _goals_in_text(main, annex)
    flags = [
        flag("goals", Severity.warning, "goals.unknown", goal=n)
        for n in annex.declared_goals
        if n not in titles
    ]
    flags += [
        flag("goals", Severity.info, "goals.not_in_text", goal=n, title=titles[n])
        for n in annex.declared_goals
        if n in titles and n not in in_text
    ]
    implemented = sorted({n for n in annex.declared_goals if n in titles} | set(in_text))
    if not implemented:
        return flags + [flag("goals", Severity.warning, "goals.none")]
    return flags or [
        flag("goals", Severity.ok, "goals.ok", list(in_text.values()), goals=", ".join(map(str, implemented)))
    ]


# -- 4. validity --------------------------------------------------------------------------------


def check_validity(main: MainAgreement, annex: Annex) -> list[Flag]:
    """A notice period shorter than the main agreement's (R5), or a fixed end beyond the main
    agreement's end (R6), is a warning."""
    flags = []
    if main.notice_months is not None:
        for sentence in read(annex.pages, annex.language):
            months = notice_months(sentence, annex.language)
            if months is not None and months < main.notice_months:
                flags.append(
                    flag(
                        "validity",
                        Severity.warning,
                        "validity.short_notice",
                        [sentence.evidence()],
                        months=months,
                        main_months=main.notice_months,
                    )
                )
    if main.valid_until is not None:
        for _, match, evidence in find(annex, P.END_DATE[annex.language]):
            day, month, year = re.findall(r"\d+", match.group("date") or match.group("date2"))
            try:
                until = date(int(year), int(month), int(day))
            except ValueError:
                continue
            if until > main.valid_until:
                flags.append(
                    flag(
                        "validity",
                        Severity.warning,
                        "validity.beyond_main",
                        [evidence],
                        until=until.isoformat(),
                        main_until=main.valid_until.isoformat(),
                    )
                )
    return flags or [flag("validity", Severity.ok, "validity.ok")]


# -- 5. disputes --------------------------------------------------------------------------------


def check_disputes(main: MainAgreement, annex: Annex) -> list[Flag]:
    """The dispute clause follows the main agreement's order (R14: negotiation first, then the
    administrative court for administrative disputes and a general court otherwise).
    Arbitration or a special court departs; so does a general court for every dispute, or a
    court without negotiation first: each a warning. No clause at all is info."""
    found = forums(read(annex.pages, annex.language), annex.language)
    flags = []
    if found.names("arbitration") and main.dispute_forum != "arbitration":
        flags.append(flag("disputes", Severity.warning, "disputes.arbitration", found.found["arbitration"]))
    for court in dict.fromkeys(found.special_courts):
        flags.append(
            flag("disputes", Severity.warning, "disputes.other_court", found.found["special"], court=court)
        )
    if flags:
        return flags
    courts = found.names("admin") or found.names("general")
    if found.names("general") and not found.names("admin") and main.dispute_forum == "courts":
        return [flag("disputes", Severity.warning, "disputes.general_court", found.found["general"])]
    if courts and not found.names("negotiation"):
        return [flag("disputes", Severity.warning, "disputes.no_negotiation", found.clause)]
    if not found.clause:
        return [flag("disputes", Severity.info, "disputes.none")]
    return [flag("disputes", Severity.ok, "disputes.ok", found.clause)]


# -- 6. costs -----------------------------------------------------------------------------------


def check_costs(main: MainAgreement, annex: Annex) -> list[Flag]:
    """Splitting a sum by population, by use or by a fixed key, payment shares and invoicing
    between the parties depart from the own-cost principle (R9): a warning a lawyer
    acknowledges. "Each bears its own costs" and "no invoicing between the parties" do not."""
    evidence = [
        s.evidence() for s in read(annex.pages, annex.language) if departs_from_own_costs(s, annex.language)
    ]
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
    found = [
        key
        for key, present in (
            ("encrypted", facts.encrypted),
            ("javascript", facts.has_javascript),
            ("launch_action", facts.has_launch_action),
            ("embedded_file", facts.has_embedded_files),
            ("signed", facts.has_signatures),
        )
        if present
    ]
    found += list(facts.active_content)
    return [flag("fit_to_sign", Severity.blocker, f"fit_to_sign.{key}") for key in found] or [
        flag("fit_to_sign", Severity.ok, "fit_to_sign.ok")
    ]


CHECKS: dict[str, Check] = {
    "parties": check_parties,
    "refers_to_main": check_refers_to_main,
    "goals": check_goals,
    "validity": check_validity,
    "disputes": check_disputes,
    "costs": check_costs,
    "fit_to_sign": check_fit_to_sign,
}
#: the code of every flag: one per check, and the warning that the Finnish analyser is missing
FLAG_CODES = (*CHECKS, "analyser")


def run_checks(main: MainAgreement, annex: Annex) -> list[Flag]:
    """Every check's flags, in CHECKS order; without the Finnish analyser (Voikko) a Finnish
    document's checks fall back to Snowball stems, and a warning says they may be incomplete."""
    flags = [f for check in CHECKS.values() for f in check(main, annex)]
    if annex.language == "fi" and analyser().finnish_missing:
        flags.append(flag("analyser", Severity.warning, "analyser.missing"))
    return flags


def worst(flags: list[Flag]) -> Severity:
    """The highest severity among `flags` (ok when there are none)."""
    return max((f.severity for f in flags), default=Severity.ok)
