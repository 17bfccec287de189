"""Typeset an agreement text as a PDF (the demo agreement, and sample documents in tests)."""

import io
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

_FONTS = Path(reportlab.__file__).parent / "fonts"


def _register_fonts() -> None:
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", str(_FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("VeraBd", str(_FONTS / "VeraBd.ttf")))


def text_to_pdf(text: str, *, title: str, repeat: int = 1) -> bytes:
    """One paragraph per non-empty line; the first line is the heading. `repeat` lengthens the
    document (benchmarks use it for a 100-page agreement)."""
    _register_fonts()
    body = ParagraphStyle("body", fontName="Vera", fontSize=10.5, leading=14, spaceAfter=6)
    heading = ParagraphStyle("heading", parent=body, fontName="VeraBd", fontSize=13, leading=17)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    story = [Paragraph(escape(lines[0]), heading), Spacer(1, 0.4 * cm)]
    for _ in range(repeat):
        story += [Paragraph(escape(line), body) for line in lines[1:]]
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        title=title,
        author="Sopu",
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        invariant=1,
    ).build(story)
    return out.getvalue()
