"""A document's audit report as a PDF (who did what and when, the SHA-256 of every version and
signed copy, the decisions), drawn with reportlab from text the caller has already translated,
then sealed by the portal: a PAdES signature with the seal key (and a signature timestamp when a
time stamper is given), in a signature field of its own."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps import TimeStamper
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from signing.model import SignerKey
from signing.pades import DIGEST, simple_signer
from signing.sigpage import _register_fonts

SEAL_FIELD = "sopu-audit-report-seal"
_BODY = ParagraphStyle("body", fontName="SopuVera", fontSize=8, leading=10)
_CELL = ParagraphStyle("cell", fontName="SopuVera", fontSize=7, leading=8.5, wordWrap="CJK")
_HEAD = ParagraphStyle("head", fontName="SopuVeraBold", fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)
_TITLE = ParagraphStyle("title", fontName="SopuVeraBold", fontSize=15, leading=19, spaceAfter=6)


@dataclass(frozen=True)
class Section:
    """A heading and a table: its column headings, then rows of plain text (no markup)."""

    heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    empty: str = ""


def render(title: str, lines: Sequence[str], sections: Sequence[Section], language: str) -> bytes:
    """The report as an untagged PDF (A4, Bitstream Vera embedded so ä ö å show everywhere);
    `lines` are shown under the title."""
    _register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        lang=language,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        invariant=True,
    )
    story: list[Flowable] = [Paragraph(escape(title), _TITLE)]
    story += [Paragraph(escape(line), _BODY) for line in lines]
    for section in sections:
        story.append(Paragraph(escape(section.heading), _HEAD))
        if not section.rows:
            story.append(Paragraph(escape(section.empty), _BODY))
            continue
        data = [[Paragraph(escape(c), _CELL) for c in section.columns]]
        data += [[Paragraph(escape(c), _CELL) for c in row] for row in section.rows]
        table = Table(data, colWidths=[w * mm for w in section.widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, (0.6, 0.6, 0.6)),
                    ("BACKGROUND", (0, 0), (-1, 0), (0.92, 0.92, 0.92)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
        story.append(Spacer(1, 4))
    document.build(story)
    return buffer.getvalue()


def seal_pdf(pdf: bytes, key: SignerKey, timestamper: TimeStamper | None = None) -> bytes:
    """The portal's PAdES seal over the whole report, in a new invisible field SEAL_FIELD."""
    metadata = PdfSignatureMetadata(
        field_name=SEAL_FIELD, md_algorithm=DIGEST, subfilter=SigSeedSubFilter.PADES
    )
    signer = PdfSigner(metadata, simple_signer(key), timestamper=timestamper)
    return bytes(signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf))).getvalue())
