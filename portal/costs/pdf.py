"""The cost-sharing table of a year as a PDF, in the agreement's language (reportlab)."""

import io
from xml.sax.saxutils import escape

from flask_babel import force_locale, format_decimal
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from portal.agreements.models import Agreement
from portal.costs.models import CostTable
from portal.demo.pdf import _register_fonts
from portal.i18n import format_date


def cost_table_pdf(agreement: Agreement, table: CostTable, rounding: object) -> bytes:
    """`rounding`: a lazy string, rendered in the agreement's language."""
    with force_locale(agreement.language):
        return _build(agreement, table, rounding)


def _build(agreement: Agreement, table: CostTable, rounding: object) -> bytes:
    _register_fonts()
    body = ParagraphStyle("body", fontName="Vera", fontSize=9.5, leading=13, spaceAfter=6)
    heading = ParagraphStyle("heading", parent=body, fontName="VeraBd", fontSize=13, leading=17)
    title = _("Cost sharing %(year)s", year=table.year)
    cells = [[_("Party"), _("Business ID"), _("Population"), _("Source"), _("Share (EUR)")]]
    for row in table.rows:
        population = format_decimal(row.population)
        if row.joint_authority:
            population += " / 3"
        source = row.source + (f", {format_date(row.reference_date)}" if row.reference_date else "")
        cells.append(
            [
                Paragraph(escape(row.organisation.name), body),
                row.business_id,
                population,
                Paragraph(escape(source), body),
                format_decimal(row.share, "#,##0.00"),
            ]
        )
    cells.append([_("Total"), "", "", "", format_decimal(table.total, "#,##0.00")])
    grid = Table(cells, colWidths=[5.2 * cm, 2.6 * cm, 2.4 * cm, 3.2 * cm, 2.8 * cm], repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Vera", 9),
                ("FONT", (0, 0), (-1, 0), "VeraBd", 9),
                ("FONT", (0, -1), (-1, -1), "VeraBd", 9),
                ("ALIGN", (2, 1), (2, -1), "RIGHT"),
                ("ALIGN", (4, 0), (4, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
            ]
        )
    )
    story = [
        Paragraph(escape(title), heading),
        Paragraph(escape(agreement.title), body),
        Paragraph(
            escape(
                _(
                    "Rule: by population; a joint municipal authority counts as a "
                    "third of its population (R9)."
                )
            ),
            body,
        ),
        Spacer(1, 0.3 * cm),
        grid,
        Spacer(1, 0.4 * cm),
        Paragraph(escape(_("Rounding: %(rule)s", rule=str(rounding))), body),
    ]
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        title=title,
        author="Sopu",
        lang=agreement.language,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        invariant=1,
    ).build(story)
    return out.getvalue()
