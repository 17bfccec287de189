"""Base forms of words: Voikko (libvoikko + voikko-fi, a real morphological analyser) for Finnish,
Snowball stems for Swedish. Finnish inflection changes the stem itself (consonant gradation:
"riita" -> "riidat", "riitojen"), so a regex per inflected form cannot keep up; Voikko knows the
word. If Voikko is missing, Finnish falls back to Snowball stems and the caller says so in a flag
(`Analyser.finnish_missing`) instead of failing."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_STEMMERS = {"fi": "finnish", "sv": "swedish"}
_NAMES = frozenset({"paikannimi", "sukunimi", "etunimi", "nimi"})


@dataclass(frozen=True)
class WordInfo:
    """What the checks need of one word: its lower-cased base forms (several when the word is
    ambiguous: "Salossa" -> salo, salko), whether one reading is a place name, whether the place
    name is also an ordinary word ("salo") or the word a first name, and the grammatical cases
    of its place readings (of all readings if it is no place)."""

    bases: tuple[str, ...]
    place: bool = False
    common: bool = False
    first_name: bool = False
    cases: frozenset[str] = frozenset()


class Analyser:
    """Thread-safe: one Voikko handle may not be used by two threads at once (the portal runs
    checks in threads), so calls are serialised and their answers cached."""

    def __init__(self, library: str | None = None) -> None:
        """`library`: the path of libvoikko's shared library; None finds the system's."""
        self._lock = threading.Lock()
        self._voikko = None
        self.finnish_missing: str | None = None
        try:
            self._voikko = _open_voikko(library)
        except Exception as exc:  # noqa: BLE001 - ImportError, OSError, VoikkoException alike
            self.finnish_missing = f"{type(exc).__name__}: {exc}"[:200]
        self.info = lru_cache(maxsize=1 << 16)(self._info)
        self.knows = lru_cache(maxsize=1 << 16)(self._knows)

    def _info(self, word: str, language: str) -> WordInfo:
        if language == "fi" and self._voikko is not None:
            with self._lock:
                analyses = self._voikko.analyze(word)
            if analyses:
                if word[:1].isupper():  # a capitalised word's name reading first ("Nokia")
                    analyses.sort(key=lambda a: a.get("CLASS") not in _NAMES)
                bases = tuple(dict.fromkeys(a.get("BASEFORM", word).lower() for a in analyses))
                places = [a for a in analyses if a.get("CLASS") == "paikannimi"]
                place_bases = {a.get("BASEFORM", "").lower() for a in places}
                # "Salo", "Aura", "Hanko" are also ordinary nouns; "Nokia" (noki) is not
                common = any(
                    a.get("CLASS") not in _NAMES and a.get("BASEFORM", "").lower() in place_bases
                    for a in analyses
                )
                return WordInfo(
                    bases,
                    place=bool(places),
                    common=common,
                    first_name=any(a.get("CLASS") == "etunimi" for a in analyses),
                    cases=frozenset(a.get("SIJAMUOTO", "") for a in places or analyses),
                )
        with self._lock:  # a Snowball stemmer keeps state between calls too
            return WordInfo((_stemmer(language).stemWord(word.lower()),))

    def bases(self, word: str, language: str) -> tuple[str, ...]:
        return self.info(word, language).bases

    def _knows(self, word: str) -> bool:
        """Whether Voikko recognises `word` as Finnish (False without Voikko)."""
        if self._voikko is None:
            return False
        with self._lock:
            return bool(self._voikko.analyze(word))


def _open_voikko(library: str | None):
    from libvoikko import Voikko, VoikkoLibrary

    if library is None:
        return Voikko("fi")
    VoikkoLibrary(library)  # raises OSError before a half-made Voikko object exists

    class _Pinned(Voikko):
        """Voikko loading exactly `library` (libvoikko would fall back to the system's)."""

        @classmethod
        def _Voikko__getLib(cls):  # noqa: N802 - overrides libvoikko's name-mangled loader
            return VoikkoLibrary(library)

    return _Pinned("fi")


@lru_cache(maxsize=2)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_STEMMERS[language])


_DEFAULT: list[Analyser] = []
_DEFAULT_LOCK = threading.Lock()


def analyser() -> Analyser:
    """The process's analyser (Voikko is loaded once)."""
    with _DEFAULT_LOCK:
        if not _DEFAULT:
            _DEFAULT.append(Analyser())
        return _DEFAULT[0]
