"""The stamp font for pyHanko: Bitstream Vera from reportlab's package, embedded once per document.

pyHanko 0.38's GlyphAccumulator writes glyph widths (/W) in the font's own units, which is only
right for fonts with 1000 units per em; Vera has 2048, so its letters would be spread apart. The
font is therefore rescaled to 1000 units per em (hinting dropped, as rescaled hints would be
wrong).

pyHanko's GlyphAccumulator subsets and compresses the font again for every signature, which was a
third of a signature's cost. Vera holds only the ~270 glyphs of Latin-1 and a few more, so the
stamp embeds it whole instead, as PDF objects built once per process (stamp_font()): the font
program, its widths and a ToUnicode map of every character it has. The first stamp of a document
writes them; every later stamp refers to the font object the newest signature's appearance holds
(checked byte for byte), so a signature's revision adds no font at all. The program is the same
bytes in every process, so a signature made by another process, or after a restart, reuses it
too. Text is shaped with HarfBuzz exactly as GlyphAccumulator does it."""

from __future__ import annotations

import hashlib
import io
import zlib
from dataclasses import dataclass
from functools import cache
from typing import Any

import uharfbuzz as hb
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import FontEngine, FontEngineFactory
from pyhanko.pdf_utils.font.opentype import CIDFontType2, FontDescriptor, GlyphAccumulator, _segment_cmap
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter

from signing.sigpage import REGULAR_FONT

N = generic.NameObject
_FLATE = N("/FlateDecode")


@cache
def font_program() -> bytes:
    """Vera rescaled to 1000 units per em, without hinting instructions."""
    font = TTFont(str(REGULAR_FONT), recalcTimestamp=False)  # the same bytes in every process
    options = subset.Options()
    options.hinting = False
    options.glyph_names = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=font.getGlyphOrder())
    subsetter.subset(font)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class PrebuiltFont:
    """The stamp font as PDF material, built once per process (read-only afterwards: shared by
    every signature and thread)."""

    #: "XXXXXX+BitstreamVeraSans-Roman", the prefix taken from the objects' own hash
    base_font: str
    #: the font program (FontFile2), Flate-compressed, and its uncompressed length
    program: bytes
    program_length: int
    #: the ToUnicode CMap of every character the font maps, Flate-compressed
    to_unicode: bytes
    #: glyph id -> (CID, width in 1/1000 em): CIDs are glyph ids (CIDToGIDMap /Identity)
    widths: dict[int, tuple[int, int]]
    #: the font descriptor's entries, FontFile2 left out
    descriptor: dict[str, generic.PdfObject]
    units_per_em: int
    hb_font: hb.Font
    tt: TTFont
    reverse_cmap: dict[str, set[int]]


@cache
def stamp_font() -> PrebuiltFont:
    """The stamp font's PDF objects and shaping data (cache_info() counts the builds)."""
    program = font_program()
    tt = TTFont(io.BytesIO(program))
    glyph_set = tt.getGlyphSet()
    order = tt.getGlyphOrder()
    widths = {gid: (gid, glyph_set[name].width) for gid, name in enumerate(order)}
    by_gid: dict[int, str] = {}
    for codepoint, name in sorted(tt.getBestCmap().items()):
        by_gid.setdefault(tt.getGlyphID(name), chr(codepoint))
    cmap = "\n".join(_segment_cmap((cid, text.encode("utf-16be")) for cid, text in sorted(by_gid.items())))
    to_unicode = zlib.compress((_CMAP_HEAD + cmap + _CMAP_TAIL).encode("ascii"))
    compressed = zlib.compress(program)
    prefix = _prefix(compressed, to_unicode)
    ps_name = tt["name"].getDebugName(6)
    descriptor = dict(FontDescriptor(CIDFontType2(tt, ps_name, prefix)))
    for table in ("head", "hhea", "hmtx", "cmap", "glyf", "GSUB", "GPOS", "kern"):
        if table in tt:
            tt[table]  # noqa: B018 - loaded now, never lazily from two threads
    return PrebuiltFont(
        base_font=f"{prefix}+{ps_name}",
        program=compressed,
        program_length=len(program),
        to_unicode=to_unicode,
        widths=widths,
        descriptor=descriptor,
        units_per_em=tt["head"].unitsPerEm,
        hb_font=hb.Font(hb.Face(program)),
        tt=tt,
        reverse_cmap=tt["cmap"].buildReversed(),
    )


def _prefix(*parts: bytes) -> str:
    digest = hashlib.sha256(b"".join(parts)).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])


_CMAP_HEAD = (
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
    "/CIDSystemInfo <<\n/Registry (Adobe)\n/Ordering (UCS2)\n/Supplement 0\n>> def\n"
    "/CMapName /Adobe-Identity-UCS2 def\n/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
)
_CMAP_TAIL = "\nendcmap\nCMapName\ncurrentdict\n/CMap defineresource\npop\nend\nend"


class StampFontEngine(GlyphAccumulator):
    """GlyphAccumulator's shaping over stamp_font(), embedding the whole prebuilt font (or
    referring to the copy an earlier signature of the document embedded) instead of subsetting."""

    def __init__(self, writer: BasePdfFileWriter, font_size: int, obj_stream: object = None) -> None:
        font = stamp_font()
        FontEngine.__init__(self, writer, font.base_font, embedded_subset=True, obj_stream=obj_stream)
        self.font_size = font_size
        self.prebuilt = font
        self.hb_font = font.hb_font
        self.tt = font.tt
        self.units_per_em = font.units_per_em
        self.features = None
        self.ot_language_tag = self.ot_script_tag = self.writing_direction = None
        self.bcp47_lang_code = None
        self.use_raw_gids = True
        self.cff_charset = None
        self._glyphs = font.widths
        self._cid_to_unicode: dict[int, str] = {}
        self._GlyphAccumulator__reverse_cmap = font.reverse_cmap
        existing = find_embedded(writer.prev) if isinstance(writer, IncrementalPdfFileWriter) else None
        #: True when the font object is an earlier revision's: nothing is written
        self.reused = existing is not None
        self._font_ref = existing if existing is not None else writer.allocate_placeholder()
        self._write_prepared = self.reused

    def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
        return self._glyphs[glyph_id]

    def prepare_write(self) -> None:
        """Write the prebuilt font's objects, unless an earlier revision has them."""
        if self._write_prepared:
            return
        font, writer, obj_stream = self.prebuilt, self.writer, self.obj_stream
        program = generic.StreamObject(
            {N("/Filter"): _FLATE, N("/Length1"): generic.NumberObject(font.program_length)},
            encoded_data=font.program,
        )
        descriptor = generic.DictionaryObject(font.descriptor)
        descriptor[N("/FontFile2")] = writer.add_object(program)
        cid_font = generic.DictionaryObject(
            {
                N("/Type"): N("/Font"),
                N("/Subtype"): N("/CIDFontType2"),
                N("/BaseFont"): N("/" + font.base_font),
                N("/CIDSystemInfo"): generic.DictionaryObject(
                    {
                        N("/Registry"): generic.pdf_string("Adobe"),
                        N("/Ordering"): generic.pdf_string("Identity"),
                        N("/Supplement"): generic.NumberObject(0),
                    }
                ),
                N("/CIDToGIDMap"): N("/Identity"),
                N("/FontDescriptor"): writer.add_object(descriptor, obj_stream=obj_stream),
                N("/W"): generic.ArrayObject(
                    [
                        generic.NumberObject(0),
                        generic.ArrayObject(generic.NumberObject(w) for _, w in font.widths.values()),
                    ]
                ),
            }
        )
        to_unicode = generic.StreamObject({N("/Filter"): _FLATE}, encoded_data=font.to_unicode)
        type0 = generic.DictionaryObject(
            {
                N("/Type"): N("/Font"),
                N("/Subtype"): N("/Type0"),
                N("/BaseFont"): N(f"/{font.base_font}-Identity-H"),
                N("/Encoding"): N("/Identity-H"),
                N("/DescendantFonts"): generic.ArrayObject(
                    [writer.add_object(cid_font, obj_stream=obj_stream)]
                ),
                N("/ToUnicode"): writer.add_object(to_unicode),
            }
        )
        writer.add_object(type0, obj_stream, idnum=self._font_ref.idnum)
        self._write_prepared = True


#: how many of the newest revisions are searched for a signature whose stamp font can be reused
#: (a revision without a signature, such as validation data, may follow the last one)
RECENT_REVISIONS = 4


def find_embedded(reader: object) -> generic.IndirectObject | None:
    """The stamp font object the appearance of a signature made in one of the newest revisions
    of `reader` refers to, when it is byte for byte stamp_font()'s; else None. Only the objects
    those revisions wrote are read, so the search costs the same however many signatures came
    before (a file whose last signature has another font gets one new copy, then reuses it)."""
    font = stamp_font()
    xrefs = getattr(reader, "xrefs", None)
    if not isinstance(reader, PdfFileReader) or xrefs is None:
        return None
    # only the fields are read among what those revisions wrote: reading an object such as the
    # XMP metadata here would cache it untyped and make pyHanko's writer rewrite it
    listed = _get(_get(reader.root, "/AcroForm"), "/Fields")
    listed = listed if isinstance(listed, generic.ArrayObject) else generic.ArrayObject()
    fields = {r.reference: r for r in listed if isinstance(r, generic.IndirectObject)}
    last = xrefs.total_revisions - 1
    for revision in range(last, max(last - RECENT_REVISIONS, 0), -1):
        for ref in xrefs.explicit_refs_in_revision(revision):
            field = fields[ref].get_object() if ref in fields else None
            if not isinstance(field, generic.DictionaryObject) or "/V" not in field:
                continue
            fonts = _get(_get(_get(_get(field, "/AP"), "/N"), "/Resources"), "/Font")
            if not isinstance(fonts, generic.DictionaryObject):
                continue
            for name in fonts:
                candidate = fonts.raw_get(name)
                if isinstance(candidate, generic.IndirectObject) and _is_stamp_font(
                    candidate.get_object(), font
                ):
                    return candidate
    return None


def _get(container: object, key: str) -> generic.PdfObject | None:
    """container[key] dereferenced, or None (pyHanko's get() does not dereference)."""
    if isinstance(container, generic.DictionaryObject) and key in container:
        value: generic.PdfObject = container[key]
        return value
    return None


def _is_stamp_font(type0: Any, font: PrebuiltFont) -> bool:
    try:
        if type0["/BaseFont"] != f"/{font.base_font}-Identity-H":
            return False
        cid_font = type0["/DescendantFonts"][0]
        program = cid_font["/FontDescriptor"]["/FontFile2"]
        return bool(
            program.encoded_data == font.program
            and type0["/ToUnicode"].encoded_data == font.to_unicode
            and [int(w) for w in cid_font["/W"][1]] == [w for _, w in font.widths.values()]
        )
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):
        return False


@dataclass(frozen=True)
class StampFont(FontEngineFactory):
    """pyHanko font engine factory for the stamp font."""

    font_size: int = 9

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: object = None) -> StampFontEngine:
        """A StampFontEngine writing into `writer`."""
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return StampFontEngine(writer, self.font_size, obj_stream)
