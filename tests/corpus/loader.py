"""The labelled corpus of the compatibility checks (tests/corpus/*.toml): loading, rendering each
item as a real PDF, and scoring the flags the checks raise against the labels.

Imports nothing from pytest: the corpus test (tests/unit/checks/test_corpus.py) and the benchmark
(bench/bench_checks_accuracy.py, run from a plain install) share it.

An item (one inline table in a file's `items` array; the file's `language` is the default):
  id       readable, unique within its file
  text     the clause or short annex; "{id:tampere}" is replaced by that party's business ID
  pdf      instead of text: a committed fixture under tests/corpus/pdfs/ (Chromium, LibreOffice)
  render   "reportlab" (paragraphs, the default), "lines" (each line drawn as it stands, so line
           breaks and end-of-line hyphens reach the extractor) or "freetext" (the text only in a
           FreeText annotation over an otherwise neutral page)
  kind     "annex_agreement" (default), "annex" or "amendment"
  parties  declared parties by demo slug (default: tampere, nokia, pirha)
  raises   findings that must be raised: "code severity" (severity info, warning or blocker)
  forbids  findings that must not be raised
  clear    codes that must raise no finding at all (only ok)
  once     findings that must be raised exactly once (one flag per finding)
A finding in `raises` also forbids the other non-ok severities of its code unless listed."""

from __future__ import annotations

import io
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from portal.checks import Annex, Goal, MainAgreement, Party
from portal.demo.data import GOALS, PARTIES, TITLE, synthetic_business_ids

HERE = Path(__file__).resolve().parent
PDFS = HERE / "pdfs"
FINDINGS = ("info", "warning", "blocker")
DEFAULT_PARTIES = ("tampere", "nokia", "pirha")

IDS = synthetic_business_ids(len(PARTIES))
ID = {slug: business_id for (slug, *_), business_id in zip(PARTIES, IDS, strict=True)}


def pirkanmaa() -> MainAgreement:
    """The demo main agreement (seed 004): 25 parties, nine goals, 12 months' notice, disputes
    negotiated, then the administrative court or a general court."""
    parties = tuple(
        Party(name, business_id, (swedish,))
        for (_, name, swedish, *_), business_id in zip(PARTIES, IDS, strict=True)
    )
    goals = tuple(Goal(n, title) for n, (title, _) in enumerate(GOALS, start=1))
    return MainAgreement(
        parties=parties, goals=goals, notice_months=12, valid_until=None, dispute_forum="courts", title=TITLE
    )


Finding = tuple[str, str]  # (code, severity)


@dataclass(frozen=True)
class Item:
    file: str
    id: str
    language: str
    text: str
    pdf: str | None
    render: str
    kind: str
    parties: tuple[str, ...]
    raises: frozenset[Finding]
    forbids: frozenset[Finding]
    once: frozenset[Finding]

    @property
    def name(self) -> str:
        return f"{self.file}:{self.id}"

    @property
    def codes(self) -> set[str]:
        return {code for code, _ in self.raises | self.forbids}


def _finding(label: str) -> Finding:
    code, severity = label.split()
    if severity not in FINDINGS:
        raise ValueError(f"{label!r}: severity must be one of {FINDINGS}")
    return code, severity


def load(directory: Path = HERE) -> list[Item]:
    items: list[Item] = []
    for path in sorted(directory.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        seen: set[str] = set()
        for raw in data["items"]:
            if raw["id"] in seen:
                raise ValueError(f"{path.name}: duplicate id {raw['id']}")
            seen.add(raw["id"])
            raises = frozenset(map(_finding, raw.get("raises", ())))
            forbids = set(map(_finding, raw.get("forbids", ())))
            forbids |= {(code, s) for code in raw.get("clear", ()) for s in FINDINGS}
            forbids |= {(code, s) for code, _ in raises for s in FINDINGS} - raises
            text = raw.get("text", "")
            for slug, business_id in ID.items():
                text = text.replace(f"{{id:{slug}}}", business_id)
            items.append(
                Item(
                    file=path.stem,
                    id=raw["id"],
                    language=raw.get("language", data["language"]),
                    text=text,
                    pdf=raw.get("pdf"),
                    render=raw.get("render", "reportlab"),
                    kind=raw.get("kind", "annex_agreement"),
                    parties=tuple(raw.get("parties", DEFAULT_PARTIES)),
                    raises=raises,
                    forbids=frozenset(forbids - raises),
                    once=frozenset(map(_finding, raw.get("once", ()))),
                )
            )
    return items


# -- rendering ----------------------------------------------------------------------------------


def render(item: Item) -> bytes:
    """The item as a real PDF."""
    if item.pdf:
        return (PDFS / item.pdf).read_bytes()
    if item.render == "lines":
        return _lines_pdf(item.text)
    if item.render == "freetext":
        return _freetext_pdf(item.text, item.language)
    from portal.demo.pdf import text_to_pdf

    lines = [line for line in item.text.splitlines() if line.strip()]
    heading = "Liite" if item.language == "fi" else "Bilaga"
    return text_to_pdf("\n".join([heading, *lines]), title=heading)


def _canvas():
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from portal.demo.pdf import _register_fonts

    _register_fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    pdf.setFont("Vera", 10.5)
    return out, pdf


def _lines_pdf(text: str) -> bytes:
    """Each line of `text` drawn where it stands: a line break inside a sentence, or a word
    hyphenated at the end of a line, reaches the text extractor as typeset."""
    out, pdf = _canvas()
    y = 780
    for line in text.splitlines():
        pdf.drawString(70, y, line)
        y -= 14
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _freetext_pdf(text: str, language: str) -> bytes:
    """A page with a neutral heading, and `text` only in a FreeText annotation (with /Contents
    and an appearance stream that shows the same text), as an annotating tool writes it."""
    import pikepdf

    out, pdf = _canvas()
    pdf.drawString(70, 780, "Liite" if language == "fi" else "Bilaga")
    pdf.showPage()
    pdf.save()
    document = pikepdf.open(io.BytesIO(out.getvalue()))
    page = document.pages[0]
    font = document.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    lines = _wrap(" ".join(text.split()), 90)
    height = 14 * len(lines) + 10
    ops = ["BT", "/Helv 10 Tf", f"5 {height - 14} Td", "12 TL"]
    ops += [f"({_pdf_string(line)}) '" if i else f"({_pdf_string(line)}) Tj" for i, line in enumerate(lines)]
    ops.append("ET")
    appearance = pikepdf.Stream(document, "\n".join(ops).encode("cp1252"))
    appearance.Type = pikepdf.Name.XObject
    appearance.Subtype = pikepdf.Name.Form
    appearance.BBox = [0, 0, 470, height]
    appearance.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=font))
    annotation = document.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.FreeText,
            Rect=[70, 740 - height, 540, 740],
            Contents=pikepdf.String(text),
            F=4,
            DA=pikepdf.String("/Helv 10 Tf 0 g"),
            AP=pikepdf.Dictionary(N=appearance),
        )
    )
    page.obj.Annots = document.make_indirect(pikepdf.Array([annotation]))
    buffer = io.BytesIO()
    document.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line] if line else lines


def _pdf_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def annex_of(item: Item, pages: list[str], facts=None) -> Annex:
    return Annex(
        kind=item.kind,
        pages=tuple(pages),
        declared_parties=tuple(ID[slug] for slug in item.parties),
        declared_goals=(),
        facts=facts,
        language=item.language,
    )


# -- scoring ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One item's result: the labelled findings raised (true positives), missed (false
    negatives), raised although forbidden (false positives)."""

    item: Item
    raised: Counter
    tp: set[Finding]
    fn: set[Finding]
    fp: set[Finding]

    @property
    def passed(self) -> bool:
        return not self.fn and not self.fp


def outcome(item: Item, flags) -> Outcome:
    raised = Counter((f.code, str(f.severity)) for f in flags if str(f.severity) in FINDINGS)
    tp = {f for f in item.raises if raised[f]}
    fn = set(item.raises) - tp
    fp = {f for f in item.forbids if raised[f]}
    fp |= {f for f in item.once if raised[f] > 1}
    return Outcome(item, raised, tp, fn, fp)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def scores(outcomes: list[Outcome]) -> dict[tuple[str, str], Score]:
    """Precision and recall per (check, language) over the labelled findings."""
    table: dict[tuple[str, str], Score] = defaultdict(Score)
    for result in outcomes:
        language = result.item.language
        for code in result.item.codes:
            table[code, language]  # noqa: B018 - a labelled check counts even with no finding
        for code, _ in result.tp:
            table[code, language].tp += 1
        for code, _ in result.fn:
            table[code, language].fn += 1
        for code, _ in result.fp:
            table[code, language].fp += 1
    return dict(sorted(table.items()))


@lru_cache(maxsize=1)
def items() -> tuple[Item, ...]:
    return tuple(load())
