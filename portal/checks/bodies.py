"""Organisations named in a sentence: Finland's public bodies known by name (data/public_bodies.csv:
"Porvoo", "Kanta-Hämeen liitto", in any case, without a kind word) and any "<Name> kaupunki /
kuntayhtymä / stad / samkommun ..." (names the file does not hold). A mention has an identity so
that the same body named twice, or in the other language, is one body."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from portal.checks.morphology import Analyser
from portal.checks.reading import TOKEN, Sentence, Token

DATA = Path(__file__).parent / "data" / "public_bodies.csv"

#: the kind words, as Finnish base forms and Swedish word beginnings, by category
KINDS = {
    "fi": {
        "kaupunki": "municipality",
        "kunta": "municipality",
        "hyvinvointialue": "wellbeing_county",
        "liitto": "regional_council",
        "maakuntaliitto": "regional_council",
        "kuntayhtymä": "joint_authority",
        "yhtymä": "joint_authority",
    },
    "sv": {
        "stad": "municipality",
        "kommun": "municipality",
        "välfärdsområde": "wellbeing_county",
        "förbund": "regional_council",
        "landskapsförbund": "regional_council",
        "samkommun": "joint_authority",
    },
}
#: Finnish cases in which a bare town name names the body, not a place ("Porvoo osallistuu",
#: "Porvoon edustaja"; not "Porvoossa", "Tampereella")
_BODY_CASES = frozenset({"nimento", "omanto", ""})
#: after a bare genitive these make it a place ("Porvoon alueella", "Tampereen seudulla")
_PLACE_HEADS = frozenset(
    {
        "alue",
        "seutu",
        "seutukunta",
        "keskusta",
        "lähialue",
        "ympäristö",
        "kaupunkiseutu",
        "kylä",
        "katu",
        "tie",
        "asema",
        "yliopisto",
    }
)
_SV_PLACE_PREPOSITIONS = frozenset(
    {"i", "på", "från", "till", "vid", "inom", "utanför", "mot", "kring", "nära", "runt"}
)
_NAME = r"[A-ZÅÄÖ][\w]*(?:-[A-ZÅÄÖ]?\w+)*"
#: generic patterns on the sentence text (case-sensitive: the name is capitalised)
GENERIC = {
    "fi": (
        # singular forms only: "Pirkanmaan kunnat" are a region's municipalities, no body
        (
            "municipality",
            re.compile(
                rf"\b(?P<name>{_NAME}n)\s+(?P<kind>kaupun(?:ki|gin|kia"
                rf"|gissa|gista|kiin|gilla|gilta|gille|kina|giksi)"
                rf"|kun(?:ta|nan|taa|nassa|nasta|taan|nalla|nalta|nalle"
                rf"|tana|naksi))\b"
            ),
        ),
        ("wellbeing_county", re.compile(rf"\b(?P<name>{_NAME}n)\s+(?P<kind>hyvinvointialue\w*)")),
        (
            "joint_authority",
            re.compile(
                rf"\b(?P<name>{_NAME}n(?:\s+[a-zåäö][\w]*-?){{0,6}}?)\s+"
                rf"(?P<kind>kuntayhtym\w*)"
            ),
        ),
    ),
    "sv": (
        (
            "municipality",
            re.compile(
                rf"\b(?P<name>{_NAME})\s+(?P<kind>stad(?:s|en|ens)?\b"
                rf"|kommun(?:s|en|ens)?\b)"
            ),
        ),
        ("wellbeing_county", re.compile(rf"\b(?P<name>{_NAME})\s+(?P<kind>välfärdsområde\w*)")),
        ("joint_authority", re.compile(rf"\b(?P<name>{_NAME})\s+(?P<kind>samkommun\w*)")),
    ),
}
#: capitalised words that precede a kind word without being a name
NOT_NAMES = frozenset(
    {
        "Tämän",
        "Kunkin",
        "Jokaisen",
        "Kyseisen",
        "Sen",
        "Toisen",
        "Kummankin",
        "Muun",
        "Oman",
        "Yhden",
        "Osapuolen",
        "Isäntä",
        "Isännän",
        "Sopijapuolen",
        "Jäsen",
        "Jäsenen",
        "Ko",
        "Denna",
        "Varje",
        "Den",
        "Annan",
        "Respektive",
        "Värd",
        "Medlem",
        "Part",
        "Partens",
        "Vardera",
        "Samma",
        "Alla",
        "Kaikkien",
        "Kunnan",
        "Kommunens",
        "Jokainen",
        "Kyseinen",
        "Toinen",
        "Uuden",
        "Uusi",
        "Sopijakunnan",
        "Isäntäkunnan",
        "Jäsenkunnan",
        "Ny",
        "Nya",
        "Kyseessä",
        "Ao",
        "Em",
        "Mainitun",
        "Asianomaisen",
        "Molempien",
        "Kahden",
        "Kolmen",
    }
)


@dataclass(frozen=True)
class Body:
    kind: str
    names: tuple[str, ...]  # Finnish name, Swedish name, aliases


@dataclass(frozen=True)
class Mention:
    """An organisation named in a sentence: as written (`name`), its identity (`key`: a row of
    the data file, else its category and first base form) and where it stands."""

    name: str
    key: tuple
    category: str
    start: int
    end: int


@lru_cache(maxsize=1)
def bodies() -> tuple[Body, ...]:
    rows = []
    with DATA.open(encoding="utf-8") as file:
        for row in csv.reader((line for line in file if not line.startswith("#")), delimiter=";"):
            kind, fi, sv, aliases = row[:4]
            names = (fi, sv, *(a for a in aliases.split("|") if a))
            rows.append(Body(kind, tuple(dict.fromkeys(names))))
    return tuple(rows)


class Directory:
    """The data file's names as sequences of base forms, in each language, for one analyser."""

    def __init__(self, morphology: Analyser) -> None:
        self.morphology = morphology
        self.by_first: dict[str, dict[str, list[tuple[int, tuple[frozenset[str], ...]]]]] = {}
        for language in ("fi", "sv"):
            index: dict[str, list] = {}
            for row, body in enumerate(bodies()):
                for name in body.names:
                    words = tuple(frozenset(self.keys(m.group(), language)) for m in TOKEN.finditer(name))
                    for first in words[0] if words else ():
                        index.setdefault(first, []).append((row, words))
            self.by_first[language] = index

    def keys(self, word: str, language: str) -> tuple[str, ...]:
        return self.morphology.bases(word, language)

    def mentions(self, sentence: Sentence, language: str) -> list[Mention]:
        found = self._known(sentence, language) + self._generic(sentence, language)
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Mention] = []
        for mention in found:  # the longest of overlapping mentions names the body
            if kept and mention.start < kept[-1].end:
                continue
            kept.append(mention)
        return kept

    def _known(self, sentence: Sentence, language: str) -> list[Mention]:
        tokens, found = sentence.tokens, []
        index = self.by_first[language]
        for i, token in enumerate(tokens):
            if not token.text[:1].isupper():
                continue
            for base in token.bases:
                for row, words in index.get(base, ()):
                    span = tokens[i : i + len(words)]
                    if len(span) < len(words) or not all(
                        set(t.bases) & w for t, w in zip(span, words, strict=True)
                    ):
                        continue
                    body = bodies()[row]
                    end = i + len(words)
                    kind = self._kind(tokens[end], language) if end < len(tokens) else None
                    if body.kind == "municipality":
                        if kind == "municipality":
                            end += 1
                        elif not self._bare_body(tokens, i, end, language):
                            continue
                    last = tokens[end - 1]
                    found.append(
                        Mention(
                            sentence.text[token.start : last.end],
                            ("row", row),
                            body.kind,
                            token.start,
                            last.end,
                        )
                    )
        return found

    def _bare_body(self, tokens: tuple[Token, ...], i: int, end: int, language: str) -> bool:
        """Whether a town's name without a kind word names the body, not a place or a word."""
        token = tokens[i]
        if end < len(tokens) and tokens[end].text[:1].isupper():
            return False  # a first name ("Simo Virtanen") or part of a longer name
        if language == "fi":
            info = token.info
            if info.common or info.first_name or (info.cases and not info.cases & _BODY_CASES):
                return False
            if "omanto" in info.cases and end < len(tokens) and (set(tokens[end].bases) & _PLACE_HEADS):
                return False
            return not (i > 0 and tokens[i - 1].info.first_name)
        return not (i > 0 and tokens[i - 1].text.lower() in _SV_PLACE_PREPOSITIONS)

    def _kind(self, token: Token, language: str) -> str | None:
        if language == "fi":
            return next((KINDS["fi"][b] for b in token.bases if b in KINDS["fi"]), None)
        word = token.text.lower()
        return next((c for k, c in KINDS["sv"].items() if word.startswith(k)), None)

    def _generic(self, sentence: Sentence, language: str) -> list[Mention]:
        found = []
        for category, pattern in GENERIC[language]:
            for match in pattern.finditer(sentence.text):
                name = match.group("name")
                first = name.split()[0]
                if first in NOT_NAMES:
                    continue
                base = self.keys(first, language)[0]
                found.append(
                    Mention(
                        " ".join(match.group().split()),
                        (category, base),
                        category,
                        match.start(),
                        match.end(),
                    )
                )
        return found

    def identities(self, name: str) -> set[tuple]:
        """The identities a party's name (or alias) has, read as Finnish and as Swedish."""
        from portal.checks.reading import _sentence

        keys = set()
        for language in ("fi", "sv"):
            sentence = _sentence(1, name, language, self.morphology)
            keys |= {m.key for m in self.mentions(sentence, language)}
        return keys


@lru_cache(maxsize=4)
def directory(morphology: Analyser) -> Directory:
    return Directory(morphology)
