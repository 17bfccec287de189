"""The stamp font for pyHanko: Bitstream Vera from reportlab's package, embedded as a subset.

pyHanko 0.38's GlyphAccumulator writes glyph widths (/W) in the font's own units, which is only
right for fonts with 1000 units per em; Vera has 2048, so its letters would be spread apart. The
font is therefore rescaled to 1000 units per em (hinting dropped, as rescaled hints would be
wrong) once per process, in memory."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.writer import BasePdfFileWriter

from signing.sigpage import REGULAR_FONT


@cache
def font_program() -> bytes:
    """Vera rescaled to 1000 units per em, without hinting instructions."""
    font = TTFont(str(REGULAR_FONT))
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
class StampFont(FontEngineFactory):
    """pyHanko font engine factory for font_program()."""

    font_size: int = 9

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: object = None) -> GlyphAccumulator:
        """A glyph accumulator (subset embedding) writing into `writer`."""
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(font_program()),
            font_size=self.font_size,
            obj_stream=obj_stream,
        )
