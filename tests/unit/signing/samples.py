"""Sample PDFs and parties for the signing tests and the benchmark (made with reportlab here,
so that no binary fixture is needed)."""

from __future__ import annotations

import io
import zipfile

import pikepdf
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from signing.ca import valid_business_id
from signing.sigpage import BOLD_FONT, REGULAR_FONT

TITLE = "Pirkanmaan kuntien yhteistoimintasopimus ympäristöterveydenhuollosta"

PARTY_NAMES = (
    "Tampereen kaupunki",
    "Ylöjärven kaupunki",
    "Kangasalan kaupunki",
    "Lempäälän kunta",
    "Nokian kaupunki",
    "Pirkkalan kunta",
    "Oriveden kaupunki",
    "Valkeakosken kaupunki",
    "Sastamalan kaupunki",
    "Hämeenkyrön kunta",
    "Ikaalisten kaupunki",
    "Juupajoen kunta",
    "Kihniön kunta",
    "Mänttä-Vilppulan kaupunki",
    "Parkanon kaupunki",
    "Punkalaitumen kunta",
    "Pälkäneen kunta",
    "Ruoveden kunta",
    "Urjalan kunta",
    "Vesilahden kunta",
    "Virtain kaupunki",
    "Akaan kaupunki",
    "Kuhmoisten kunta",
    "Pirkanmaan hyvinvointialue",
    "Pirkanmaan liitto",
)

PARAGRAPH = (
    "Sopijapuolet järjestävät ympäristöterveydenhuollon palvelut yhteistoiminta-alueena. "
    "Isäntäkuntana toimii Tampereen kaupunki, joka vastaa palvelujen tuottamisesta, "
    "henkilöstöstä ja taloudesta. Kustannukset jaetaan asukasluvun mukaan; lisätyö "
    "hinnoitellaan erikseen. Sopimuksesta johtuvat erimielisyydet ratkaistaan ensisijaisesti "
    "neuvottelemalla, ja viime kädessä ne käsitellään hallinto-oikeudessa. Päätöksistä "
    "tiedotetaan sopijapuolille viipymättä, ja vuosittainen yhteenveto esitellään "
    "yhteistoimintaryhmälle."
)


def business_id(n: int) -> str:
    """The n-th synthetic business ID with a valid check digit (not a real organisation's)."""
    base = 2_000_000 + 37 * n
    while True:
        for digit in range(10):
            candidate = f"{base:07d}-{digit}"
            if valid_business_id(candidate):
                return candidate
        base += 1


def parties(count: int = 25) -> list[tuple[str, str]]:
    """(name, business ID) for `count` parties (Pirkanmaa names, synthetic IDs)."""
    names = [
        PARTY_NAMES[i % len(PARTY_NAMES)] + ("" if i < len(PARTY_NAMES) else f" {i}") for i in range(count)
    ]
    return [(name, business_id(i)) for i, name in enumerate(names)]


def agreement_pdf(pages: int = 3, title: str = TITLE) -> bytes:
    """A Finnish agreement text (ä, ö in an embedded TTF) of `pages` pages."""
    for name, path in (("SampleVera", REGULAR_FONT), ("SampleVeraBold", BOLD_FONT)):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(title)
    width, height = A4
    for page in range(1, pages + 1):
        y = height - 72
        canvas.setFont("SampleVeraBold", 14)
        canvas.drawString(60, y, title if page == 1 else f"{page}. sivu")
        canvas.setFont("SampleVera", 10)
        for section in range(1, 6):
            y -= 30
            canvas.drawString(60, y, f"{(page - 1) * 5 + section} § Yhteistyön järjestäminen")
            for line in simpleSplit(PARAGRAPH, "SampleVera", 10, width - 120):
                y -= 14
                canvas.drawString(60, y, line)
        canvas.drawRightString(width - 60, 40, f"{page}/{pages}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """A minimal Word document (a zip), as if renamed to .pdf."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Sopimus</w:document>")
    return buffer.getvalue()


def modified(pdf: bytes, change) -> bytes:
    """Apply `change(pikepdf.Pdf)` to `pdf` and return the rewritten file."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        change(document)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def _pack(bits: list[int]) -> bytes:
    out = bytearray((len(bits) + 7) // 8)
    for i, bit in enumerate(bits):
        out[i // 8] |= bit << (i % 8)
    return bytes(out)


def _code(value: int, width: int) -> list[int]:  # Huffman codes: most significant bit first
    return [(value >> (width - 1 - i)) & 1 for i in range(width)]


def zlib_bomb(inflated_size: int) -> bytes:
    """A zlib stream of zeros inflating to about `inflated_size` bytes, built directly from
    fixed-Huffman codes ("repeat 258 bytes at distance 1"): 13 bytes per 2 KiB, made instantly
    instead of compressing gigabytes."""
    repeat = _code(0b11000101, 8) + _code(0, 5)  # length 258 (symbol 285), distance 1
    units = max(1, inflated_size // (258 * 8))
    head = _pack([1, 1, 0] + _code(0x30, 8) + repeat)  # last block, fixed codes, literal 0
    tail = _pack(_code(0, 7))  # end of block
    size = 1 + 258 * (1 + 8 * units)
    adler = (((size % 65521) << 16) | 1).to_bytes(4, "big")
    return b"\x78\x01" + head + _pack(repeat * 8) * units + tail + adler


def bomb_pdf(inflated_size: int) -> bytes:
    """A one-page PDF whose content stream is zlib_bomb(inflated_size)."""
    document = pikepdf.new()
    page = document.add_blank_page(page_size=A4)
    stream = pikepdf.Stream(document, b"")
    stream.write(zlib_bomb(inflated_size), filter=pikepdf.Name.FlateDecode)
    page.obj.Contents = stream
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
