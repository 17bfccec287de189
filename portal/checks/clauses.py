"""What the clauses of a document say, read sentence by sentence: notice periods (R5), the dispute
forum (R14) and departures from the own-cost principle (R9). Finnish patterns match base forms
(Sentence.lemmas: "riidat" -> "riita", "kolmen kuukauden" -> "kolme kuukausi"), so they hold for
every inflected form; Swedish ones match the lower-cased text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from portal.checks.model import Evidence
from portal.checks.patterns import NUMBER_WORDS
from portal.checks.reading import Sentence

CI = re.IGNORECASE


def _words(*alternatives: str) -> str:
    return "|".join(sorted(alternatives, key=len, reverse=True))


_NUM = _words(*map(re.escape, NUMBER_WORDS)) + r"|\d{1,2}"

# -- notice periods -----------------------------------------------------------------------------

NOTICE_CONTEXT = {
    "fi": re.compile(r"irtisano", CI),
    "sv": re.compile(r"uppsäg|säga\w* upp|varsel", CI),
}
DURATION = {
    # base forms of ambiguous words stand as alternatives: "vuotta" -> "vuo/vuosi"
    "fi": re.compile(
        rf"\b(?:(?P<m>{_NUM})(?:/\S+)?(?:\s+\d{{1,2}})?\s+(?:\S+/)?"
        rf"(?:kuukausi|kuukaus\w*|kk)\b"
        rf"|(?P<y>{_NUM}|puoli)(?:/\S+)?(?:\s+\d{{1,2}})?\s+(?:\S+/)?vuo\w*"
        rf"|(?P<d>\d{{1,3}})\s+(?:\S+/)?(?:päivä|vuorokausi)\b"
        rf"|(?P<w>\d{{1,2}}|{_NUM})(?:/\S+)?\s+(?:\S+/)?viikko\b)",
        CI,
    ),
    "sv": re.compile(
        rf"\b(?:(?P<m>{_NUM})(?:\s*\(\d{{1,2}}\))?\s+(?:månad\w*|mån)\b"
        rf"|(?P<y>{_NUM}|ett halvt|ett och ett halvt)(?:\s*\(\d{{1,2}}\))?\s+år\b"
        rf"|(?P<d>\d{{1,3}})\s+(?:dagar|dygn)\b"
        rf"|(?P<w>\d{{1,2}}|{_NUM})\s+veck\w*)",
        CI,
    ),
}


def _value(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


def notice_months(sentence: Sentence, language: str) -> int | None:
    """The notice period a sentence states, in months ("kolmen kuukauden kuluttua
    irtisanomisesta", "tre månaders varsel", "puoli vuotta"), else None."""
    text = sentence.lemmas if language == "fi" else sentence.text
    if not NOTICE_CONTEXT[language].search(text):
        return None
    for match in DURATION[language].finditer(text):
        if match.group("m"):
            months = _value(match.group("m"))
        elif match.group("d") or match.group("w"):  # 90 days: three months; 6 weeks: one
            days = int(match.group("d")) if match.group("d") else 7 * (_value(match.group("w")) or 0)
            months = max(days // 30, 0) if days >= 30 else None
            if days and months is None:
                return 0  # less than a month's notice
        else:
            years = match.group("y").lower()
            months = {"puoli": 6, "ett halvt": 6, "ett och ett halvt": 18}.get(years)
            if months is None and (count := _value(years)) is not None:
                months = 12 * count
        if months:
            return months
    return None


# -- dispute forums -----------------------------------------------------------------------------

_FORUMS = {
    "fi": {
        "dispute": r"riita|riidan|erimielisyy",
        "negotiation": r"neuvotel|neuvottelu|sovinto|sovittelu|sovittu|\bsopu\b|sovitella",
        "admin": r"hallinto-oikeu|hallintoriita|hallintotuomioistuin",
        "general": r"käräjäoikeu|käräjä-oikeu|hovioikeu|yleinen\S*\s+tuomioistuin",
        "arbitration": r"välimie|välityslautakun|välitysmenettely",
        "special": r"markkinaoikeu|vakuutusoikeu|työtuomioistuin",
        "main": r"puitesopimu|pääsopimu|yhteistyösopimu|yhteistoimintasopimu",
    },
    "sv": {
        "dispute": r"tvist|meningsskiljaktig",
        "negotiation": r"förhandl|förlikning|samförstånd",
        "admin": r"förvaltningsdomstol|förvaltningstvist|förvaltningsrätt",
        "general": r"tingsrätt|allmän\w*\s+domstol|hovrätt",
        "arbitration": r"skilje",
        "special": r"marknadsdomstol|försäkringsdomstol|arbetsdomstol",
        "main": r"ramavtal|huvudavtal|samarbetsavtal",
    },
}
FORUMS = {
    language: {key: re.compile(pattern, CI) for key, pattern in patterns.items()}
    for language, patterns in _FORUMS.items()
}
_COURT_NAME = {
    "fi": re.compile(r"\b(?:markkinaoikeu|vakuutusoikeu|työtuomioistuim)\w*", CI),
    "sv": re.compile(r"\b(?:marknadsdomstol|försäkringsdomstol|arbetsdomstol)\w*", CI),
}


@dataclass
class Forums:
    """The dispute clause of a document: its sentences and the forums they name."""

    clause: list[Evidence] = field(default_factory=list)
    found: dict[str, list[Evidence]] = field(default_factory=dict)
    special_courts: list[str] = field(default_factory=list)

    def names(self, key: str) -> bool:
        return bool(self.found.get(key))


def forums(sentences: tuple[Sentence, ...], language: str) -> Forums:
    """A sentence belongs to the dispute clause if it speaks of disputes or names a forum; the
    negotiation may stand in it or in the sentence before it."""
    patterns = FORUMS[language]
    result = Forums()
    previous: Sentence | None = None
    for sentence in sentences:
        text = sentence.lemmas if language == "fi" else sentence.text
        hits = {key for key, pattern in patterns.items() if pattern.search(text)}
        if hits & {"dispute", "admin", "general", "arbitration", "special"}:
            evidence = sentence.evidence()
            result.clause.append(evidence)
            for key in hits:
                result.found.setdefault(key, []).append(evidence)
            if previous is not None and patterns["negotiation"].search(
                previous.lemmas if language == "fi" else previous.text
            ):
                result.found.setdefault("negotiation", []).append(previous.evidence())
            if "special" in hits:
                result.special_courts += [
                    " ".join(m.group().split()) for m in _COURT_NAME[language].finditer(sentence.text)
                ]
        previous = sentence
    return result


def main_forum(sentences: tuple[Sentence, ...], language: str) -> str:
    """The main agreement's order: "arbitration", "general" (a general court only, as seed 000's
    Helsinki District Court) or "courts" (negotiation, then the administrative court or a
    general court, as the model agreement)."""
    found = forums(sentences, language)
    if found.names("arbitration"):
        return "arbitration"
    if found.names("general") and not found.names("admin"):
        return "general"
    return "courts"


# -- costs --------------------------------------------------------------------------------------

_COSTS = {
    "fi": {
        "cost": r"kustannu|\bkulu\b|\w+kulu\b|budjetti|\bmeno\b",
        "split": r"\bjakaa\b|\bjako\b|jakautua|jakaantua|\bkorvata\b|\bsuhde\b|\btasan\b"
        r"|\bosuus\b|\bjakaminen\b",
        "key": r"jakoavain|maksuosuu|kustannusjako|kustannusosuu|kuntaosuu|rahoitusosuu",
        "percent": r"prosentti|%",
        "invoice": r"laskutta|laskutu|laskutettava|\blasku\b",
        "negation": r"\bei\b|\bilman\b",
        "euro": r"\beur\b|\beuro\b|€",
        "payment": r"maksaa|\bmaksu\b|osuus|rahoittaa|\bkorvaus\b",
        "basis": r"asukasluku|asukasmäärä|väestö|väkiluku|\bkäyttö\b|käyttömäärä|suoritemäärä",
    },
    "sv": {
        "cost": r"kostnad|utgift|budget",
        "split": r"fördela|\bdelas\b|\bdela\b|\bandel|i förhållande till|proportion",
        "key": r"fördelningsnyckel|betalningsandel|kostnadsandel|kostnadsfördelning|kommunandel",
        "percent": r"procent|%",
        "invoice": r"fakturer",
        "negation": r"\binte\b|\bingen\b|\butan\b|\bej\b",
        "euro": r"\beur\b|\beuro|€",
        "payment": r"betala|\bandel|finansiera|avgift|ersättning",
        "basis": r"invånarantal|befolkning|användning|prestationer",
    },
}
COSTS = {
    language: {key: re.compile(pattern, CI) for key, pattern in patterns.items()}
    for language, patterns in _COSTS.items()
}


#: a split said not to happen: "eikä kustannuksia jaeta", "kostnaderna fördelas inte"
NOT_SPLIT = {
    "fi": re.compile(r"\bei\b(?:\s+\S+){0,4}?\s+(?:jakaa|jakautua|jakaantua|korvata)\b", CI),
    "sv": re.compile(
        r"\b(?:fördelas|delas|fördelar|delar)\s+(?:\S+\s+)?(?:inte|ej)\b"
        r"|\b(?:inte|ej)\s+(?:\S+\s+)?(?:fördelas|delas)\b",
        CI,
    ),
}


def departs_from_own_costs(sentence: Sentence, language: str) -> bool:
    """A sum split by population, by use or by a fixed key, a payment share, or invoicing between
    the parties; not "each bears its own costs", nor "no invoicing between the parties", nor
    "the costs are not split"."""
    text = f"{sentence.lemmas} {sentence.text}" if language == "fi" else sentence.text
    text = NOT_SPLIT[language].sub(" ", text)
    has = {key for key, pattern in COSTS[language].items() if pattern.search(text)}
    if "key" in has:
        return True
    if "cost" in has and has & {"split", "percent"}:
        return True
    if "invoice" in has and "negation" not in has:
        return True
    # a payment or share reckoned by population or use: "andelar enligt invånarantalet"
    return {"euro", "payment"} <= has or {"basis", "payment"} <= has
