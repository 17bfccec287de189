"""The signature page(s) appended by prepare(): a headline, the agreement's title and one box per
party (name, business ID, lines for the signature and for place and date), 2 columns x 5 rows a
page. Drawn with reportlab and the Bitstream Vera fonts that ship with it (embedded, so ä ö å
render everywhere)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from signing.labels import labels
from signing.model import SignatureSlot

FONT_DIR = Path(reportlab.__file__).parent / "fonts"
REGULAR_FONT = FONT_DIR / "Vera.ttf"
BOLD_FONT = FONT_DIR / "VeraBd.ttf"
COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
MARGIN, GAP, HEADER = 50, 14, 72
PAD = 8


@dataclass(frozen=True)
class FieldBox:
    """Where a party's signature field goes: page index among the appended pages and the box
    (llx, lly, urx, ury) in PDF units."""

    field_name: str
    page: int
    box: tuple[int, int, int, int]


def render(slots: Sequence[SignatureSlot], title: str, language: str) -> tuple[bytes, list[FieldBox]]:
    """Draw the signature pages for `slots`; return the PDF bytes and every field's box."""
    _register_fonts()
    words = labels(language)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(title)
    pages = max(1, -(-len(slots) // PER_PAGE))
    boxes: list[FieldBox] = []
    for page in range(pages):
        _header(canvas, words["headline"], title, page, pages)
        for index, slot in enumerate(slots[page * PER_PAGE : (page + 1) * PER_PAGE]):
            box = grid_box(index)
            _party_box(canvas, slot, box, words)
            boxes.append(FieldBox(slot.field_name, page, box))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue(), boxes


def grid_box(index: int) -> tuple[int, int, int, int]:
    """The box of the `index`-th party on a page, filled row by row."""
    width, height = A4
    column, row = index % COLUMNS, index // COLUMNS
    box_w = int((width - 2 * MARGIN - (COLUMNS - 1) * GAP) / COLUMNS)
    box_h = int((height - 2 * MARGIN - HEADER - (ROWS - 1) * GAP) / ROWS)
    llx = MARGIN + column * (box_w + GAP)
    ury = int(height - MARGIN - HEADER - row * (box_h + GAP))
    return llx, ury - box_h, llx + box_w, ury


def _register_fonts() -> None:
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, path in (("SopuVera", REGULAR_FONT), ("SopuVeraBold", BOLD_FONT)):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(path)))


def _header(canvas: Canvas, headline: str, title: str, page: int, pages: int) -> None:
    width, height = A4
    y = height - MARGIN - 16
    canvas.setFont("SopuVeraBold", 16)
    canvas.drawString(MARGIN, y, headline)
    canvas.setFont("SopuVera", 11)
    for line in _wrap(title, "SopuVera", 11, width - 2 * MARGIN, 3):
        y -= 15
        canvas.drawString(MARGIN, y, line)
    if pages > 1:
        canvas.setFont("SopuVera", 8)
        canvas.drawRightString(width - MARGIN, MARGIN / 2, f"{page + 1}/{pages}")


def _party_box(
    canvas: Canvas, slot: SignatureSlot, box: tuple[int, int, int, int], words: dict[str, str]
) -> None:
    llx, lly, urx, ury = box
    inner = urx - llx - 2 * PAD
    canvas.setStrokeGray(0.55)
    canvas.setLineWidth(0.8)
    canvas.rect(llx, lly, urx - llx, ury - lly)
    y = ury - PAD - 10
    canvas.setFont("SopuVeraBold", 10)
    for line in _wrap(slot.party_name, "SopuVeraBold", 10, inner, 2):
        canvas.drawString(llx + PAD, y, line)
        y -= 12
    canvas.setFont("SopuVera", 8)
    canvas.drawString(llx + PAD, y, f"{words['business_id']} {slot.business_id}")
    for baseline, label in ((lly + 44, words["signature"]), (lly + 16, words["place_time"])):
        canvas.line(llx + PAD, baseline, urx - PAD, baseline)
        canvas.setFont("SopuVera", 7)
        canvas.drawString(llx + PAD, baseline - 8, label)


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    lines = simpleSplit(text, font, size, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip()[:-1] + "…"
    return lines
