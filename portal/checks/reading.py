"""A document as the checks read it: each page's text mended (words hyphenated at line ends joined,
soft hyphens dropped), cut into whole sentences (a heading or the next section's number is not
part of the sentence before it), each word with its base forms. Evidence quotes a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from portal.checks.model import QUOTE_MAX, Evidence
from portal.checks.morphology import Analyser, WordInfo, analyser

TOKEN = re.compile(r"[^\W_]+(?:[-‐][^\W_]+)*")
#: a word hyphenated at a line end; Chromium's PDFs read "käräjä ‐\noikeudessa" (U+2010)
_HYPHENATED = re.compile(r"([^\W\d_]+)(?:-| ?[‐\u00ad])[ \t]*\n[ \t]*([^\W\d_]+)")
_CONJUNCTIONS = frozenset({"ja", "tai", "sekä", "eli", "och", "eller", "samt"})
#: words after which a full stop does not end a sentence
ABBREVIATIONS = frozenset(
    {
        "esim",
        "mm",
        "ns",
        "ym",
        "yms",
        "jne",
        "ks",
        "vrt",
        "n",
        "kpl",
        "klo",
        "nro",
        "huom",
        "ao",
        "em",
        "ed",
        "tms",
        "os",
        "puh",
        "s",
        "t",
        "tel",
        "ca",
        "resp",
        "enl",
        "kap",
        "mom",
        "bl",
        "ex",
        "dvs",
        "osv",
        "st",
        "nr",
        "ref",
        "pkt",
        "sid",
        "vs",
        "tl",
    }
)
_SECTION = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|§\s*\d+\.?|[IVX]+\.)\s+\S")
_END = re.compile(r"[.!?:;]\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-ZÅÄÖ0-9§])")
HEADING_MAX = 60


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    info: WordInfo

    @property
    def bases(self) -> tuple[str, ...]:
        return self.info.bases


@dataclass(frozen=True)
class Sentence:
    """One sentence of page `page` (1-based), whitespace collapsed. `lemmas` is the sentence as
    base forms ("riidat ratkaistaan" -> "riita ratkaista"; alternatives joined by "/") so that
    a pattern written against base forms finds every inflected form."""

    page: int
    text: str
    tokens: tuple[Token, ...]
    lemmas: str
    lemma_starts: tuple[int, ...]

    def evidence(self, start: int = 0, end: int = 0) -> Evidence:
        return Evidence(self.page, quote(self.text, start, end))

    def token_at(self, lemma_offset: int) -> Token:
        """The token whose base forms stand at `lemma_offset` of `lemmas`."""
        index = 0
        for i, at in enumerate(self.lemma_starts):
            if at > lemma_offset:
                break
            index = i
        return self.tokens[index]

    def lemma_evidence(self, match: re.Match[str]) -> Evidence:
        first, last = self.token_at(match.start()), self.token_at(max(match.end() - 1, 0))
        return self.evidence(first.start, last.end)


def quote(text: str, start: int = 0, end: int = 0, limit: int = QUOTE_MAX) -> str:
    """`text` (a sentence) whole if it fits in `limit` characters, else whole words around
    text[start:end] between "…" marks."""
    if len(text) <= limit:
        return text
    words = list(re.finditer(r"\S+", text))
    first = next((i for i, w in enumerate(words) if w.end() > start), 0)
    last = first
    while last + 1 < len(words) and words[last + 1].start() < end:
        last += 1
    length = lambda a, b: words[b].end() - words[a].start() + 2  # noqa: E731
    while True:
        grew = False
        if last + 1 < len(words) and length(first, last + 1) <= limit:
            last, grew = last + 1, True
        if first > 0 and length(first - 1, last) <= limit:
            first, grew = first - 1, True
        if not grew:
            break
    body = text[words[first].start() : words[last].end()][: limit - 2]
    return ("…" if first > 0 else "") + body + ("…" if last + 1 < len(words) else "")


def mend(page: str, language: str, morphology: Analyser) -> str:
    """Soft hyphens dropped; a word hyphenated at a line end joined ("irtisanomis-\\naika" ->
    "irtisanomisaika"), a compound's own hyphen kept ("riita-\\nasiat" -> "riita-asiat")."""
    page = page.replace("\u00ad\n", "\u00ad-\n") if "\u00ad\n" in page else page

    def join(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        if right.lower() in _CONJUNCTIONS:
            return f"{left}- {right}"  # "sosiaali- ja terveyspalvelut"
        if right[:1].isupper():
            return f"{left}-{right}"  # "Kanta-Hämeen"
        if language == "fi" and morphology.finnish_missing is None:
            if morphology.knows(left + right):
                return left + right
            if morphology.knows(f"{left}-{right}"):
                return f"{left}-{right}"
        # Finnish writes a hyphen between a compound's parts where one vowel meets the same one
        same_vowel = left[-1].lower() == right[0].lower() and left[-1].lower() in "aeiouyäö"
        return f"{left}-{right}" if language == "fi" and same_vowel else left + right

    page = _HYPHENATED.sub(join, page).replace("\u00ad", "")
    return _rejoin(page, language, morphology)


#: a compound split by a space where a soft hyphen stood (Chromium's PDFs read that way)
_SPLIT_FI = re.compile(r"\b([^\W\d_]{3,}) (?=([a-zåäö][^\W\d_]{2,})\b)")
_SPLIT_SV = re.compile(
    r"\b([^\W\d_]{3,}s) (domstol\w*|rätt\w*|område\w*|förfarand\w*"
    r"|antal\w*)\b"
)


def _rejoin(page: str, language: str, morphology: Analyser) -> str:
    if language == "sv":
        return _SPLIT_SV.sub(r"\1\2", page)
    if morphology.finnish_missing is not None:
        return page

    def join(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        # a first part that is no word of its own, and makes one with the next ("irtisanomis aika")
        if not morphology.knows(left) and morphology.knows(left + right):
            return left
        return match.group()

    return _SPLIT_FI.sub(join, page)


def _blocks(page: str) -> list[str]:
    """Paragraph-like blocks: blank lines, section numbers and short unpunctuated heading lines
    end a block."""
    blocks: list[list[str]] = [[]]
    lines = page.splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            blocks.append([])
            continue
        if _SECTION.match(stripped):
            blocks.append([])
        blocks[-1].append(stripped)
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if (
            not _END.search(stripped)
            and len(stripped) <= HEADING_MAX
            and following[:1].isupper()
            and not stripped.endswith(",")
        ):
            blocks.append([])
    return [" ".join(block) for block in blocks if block]


def split_sentences(page: str) -> list[str]:
    sentences: list[str] = []
    for block in _blocks(page):
        start = 0
        for cut in _SENTENCE_END.finditer(block):
            before = re.search(r"([^\W\d_]+|\d+)\.$", block[start : cut.start()])
            if before and before.group(1).lower() in ABBREVIATIONS:
                continue
            sentences.append(block[start : cut.start()])
            start = cut.end()
        sentences.append(block[start:])
    return [" ".join(s.split()) for s in sentences if s.strip()]


def _sentence(page: int, text: str, language: str, morphology: Analyser) -> Sentence:
    tokens, parts, starts, at = [], [], [], 0
    for match in TOKEN.finditer(text):
        word = match.group()
        info = WordInfo((word,)) if word[0].isdigit() else morphology.info(word, language)
        tokens.append(Token(word, match.start(), match.end(), info))
        starts.append(at)
        part = "/".join(info.bases)
        parts.append(part)
        at += len(part) + 1
    return Sentence(page, text, tuple(tokens), " ".join(parts), tuple(starts))


def read(pages: tuple[str, ...], language: str, morphology: Analyser | None = None) -> tuple[Sentence, ...]:
    """Every sentence of the document, in order."""
    return _read(tuple(pages), language, morphology or analyser())


@lru_cache(maxsize=8)
def _read(pages: tuple[str, ...], language: str, morphology: Analyser) -> tuple[Sentence, ...]:
    return tuple(
        _sentence(number, text, language, morphology)
        for number, page in enumerate(pages, start=1)
        for text in split_sentences(mend(page, language, morphology))
    )
