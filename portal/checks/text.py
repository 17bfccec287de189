"""Text per page from an untrusted PDF (parsed only in signing's isolated worker), and words
reduced to Snowball stems so that inflected Finnish and Swedish forms meet."""

from __future__ import annotations

import io
import logging
import re
import warnings
from functools import lru_cache
from typing import Any

import snowballstemmer

from signing import Limits, PdfRejected, run_isolated
from signing.pdfcheck import precheck

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_STEMMERS = {"fi": "finnish", "sv": "swedish"}


def extract_pages(pdf: bytes, limits: Limits = Limits()) -> list[str]:
    """The text of each page (index 0 is page 1), extracted in a forked worker bounded by
    `limits` (seconds, memory, pages). Raises signing.PdfRejected: empty/not_pdf/truncated/
    too_large before parsing; encrypted/unreadable/too_many_pages/timeout/memory from it."""
    precheck(pdf, limits)
    return run_isolated(
        _extract_worker, pdf, limits.max_pages, seconds=limits.seconds, memory_bytes=limits.memory_bytes
    )


def _extract_worker(pdf: bytes, max_pages: int) -> list[str]:  # pragma: no cover - child only
    import pypdf  # imported in the child only: the parent never parses untrusted bytes
    from pypdf.errors import LimitReachedError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = pypdf.PdfReader(io.BytesIO(pdf))
            if reader.is_encrypted:
                raise PdfRejected("encrypted", "the text cannot be read without a password")
            count = len(reader.pages)
            if count > max_pages:
                raise PdfRejected("too_many_pages", f"{count} pages > {max_pages}")
            if count == 0:
                raise PdfRejected("unreadable", "no pages")
            for page in reader.pages:  # pypdf swallows its inflate limit in extract_text()
                _decode_contents(page)
            return [_page_text(page) for page in reader.pages]
        except LimitReachedError as exc:
            raise PdfRejected("memory", str(exc)[:200]) from None
        except (
            PyPdfError,
            RecursionError,
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
            IndexError,
            AssertionError,
            OSError,
        ) as exc:
            raise PdfRejected("unreadable", f"{type(exc).__name__}: {str(exc)[:200]}") from None


#: annotation flags (PDF 32000-1 12.5.3): Invisible, Hidden, NoView; nothing a reader sees
_UNSEEN = 1 | 2 | 32
#: annotations without text of their own (a link's target, a note's pop-up window)
_TEXTLESS = {"/Link", "/Popup"}


def _page_text(page) -> str:  # pragma: no cover - child only
    """The page content's text, then the text of each visible annotation (its appearance as
    drawn, and its /Contents or rich text where that says something else), one paragraph each:
    what a reader sees on the page is what the checks read (a FreeText box is text too)."""
    texts = [page.extract_text() or ""]
    seen = {" ".join(texts[0].split())}
    for annotation in _annotations(page):
        for text in _annotation_texts(page, annotation):
            key = " ".join(text.split())
            if key and key not in seen and not any(key in s for s in seen):
                seen.add(key)
                texts.append(text)
    return "\n\n".join(t.strip() for t in texts if t.strip())


def _annotations(page) -> list:  # pragma: no cover - child only
    annotations = page.get("/Annots")
    annotations = annotations.get_object() if annotations is not None else []
    found = []
    for ref in annotations if isinstance(annotations, list) else []:
        annotation = ref.get_object()
        if not hasattr(annotation, "get") or annotation.get("/Subtype") in _TEXTLESS:
            continue
        if int(annotation.get("/F", 0) or 0) & _UNSEEN:
            continue
        found.append(annotation)
    return found


def _annotation_texts(page, annotation) -> list[str]:  # pragma: no cover - child only
    texts = []
    appearance: Any = annotation.get("/AP")
    appearance = appearance.get_object() if appearance is not None else None
    normal = appearance.get("/N") if hasattr(appearance, "get") else None
    normal = normal.get_object() if normal is not None else None
    if normal is not None and hasattr(normal, "get_data"):
        texts.append(page.extract_xform_text(normal) or "")
    for key in ("/Contents", "/RC", "/V"):
        value: Any = annotation.get(key)
        value = value.get_object() if value is not None else None
        if hasattr(value, "get_data"):  # rich text may come as a stream
            value = value.get_data().decode("utf-8", "replace")
        if isinstance(value, str):
            texts.append(re.sub(r"<[^>]*>", " ", value) if key == "/RC" else value)
    return texts


def _decode_contents(page) -> None:  # pragma: no cover - child only
    """Inflate the page's content streams so that pypdf's output limit raises here."""
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    streams = contents if isinstance(contents, list) else [contents] if contents is not None else []
    for stream in streams:
        stream.get_object().get_data()


@lru_cache(maxsize=2)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_STEMMERS[language])


def words(text: str) -> list[re.Match[str]]:
    """The word matches of `text` (letters, hyphenated compounds kept whole)."""
    return list(_WORD.finditer(text))


def normalise_words(text: str, language: str = "fi") -> list[str]:
    """The words of `text` reduced to one form each: Finnish base forms from Voikko ("Riidat",
    "riitojen" -> "riita"; Snowball stems if Voikko is missing), Swedish Snowball stems."""
    from portal.checks.morphology import analyser

    morphology = analyser()
    if language == "fi" and morphology.finnish_missing is None:
        return [morphology.bases(m.group(), "fi")[0] for m in _WORD.finditer(text)]
    return stem_all([m.group().lower() for m in _WORD.finditer(text)], language)


def stem_all(tokens: list[str], language: str) -> list[str]:
    return [_stem(language, t.lower()) for t in tokens]


@lru_cache(maxsize=1 << 16)
def _stem(language: str, word: str) -> str:
    """One word's stem. Cached: an agreement repeats its words, and the Snowball stemmers in pure
    Python cost about 80 µs a word."""
    return _stemmer(language).stemWord(word)


def stems_match(a: str, b: str) -> bool:
    """Two stems of the same word: equal, or differing only where the stemmer lets Finnish
    consonant gradation and case endings through ("nok"/"nokia", "akaas"/"akaan")."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= 3 and common >= shorter - 1


def quote(text: str, start: int, end: int, limit: int = 200) -> str:
    """The sentence around text[start:end], whitespace collapsed, at most `limit` chars."""
    stops = [i + 2 for i in (text.rfind(". ", 0, start), text.rfind("\n\n", 0, start)) if i >= 0]
    left = max(stops, default=0)
    right_dot = text.find(". ", end)
    right = len(text) if right_dot < 0 else right_dot + 1
    sentence = " ".join(text[left:right].split())
    if len(sentence) <= limit:
        return sentence
    core = " ".join(text[start:end].split())
    pad = max(0, (limit - len(core) - 2) // 2)
    window = " ".join(text[max(0, start - pad * 2) : end + pad * 2].split())
    offset = max(0, window.find(core) - pad)
    return ("…" + window[offset : offset + limit - 2] + "…")[:limit]
