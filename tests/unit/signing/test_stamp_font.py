"""The stamp font is built once per process and embedded once per document: every later stamp
refers to the font object the first one wrote, checked byte for byte before it is reused."""

from __future__ import annotations

import io
import subprocess
import sys
import zlib

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

import signing
from signing import fonts
from tests.unit.signing.conftest import stamp


def _new_objects(pdf: bytes) -> list[generic.PdfObject]:
    """The objects the newest revision introduces."""
    reader = PdfFileReader(io.BytesIO(pdf))
    last = reader.xrefs.total_revisions - 1
    return [
        reader.get_object(ref)
        for ref in reader.xrefs.explicit_refs_in_revision(last)
        if reader.xrefs.get_introducing_revision(ref) == last
    ]


def _font_programs(objects: list[generic.PdfObject]) -> int:
    return sum(isinstance(o, generic.DictionaryObject) and "/FontFile2" in o for o in objects)


def _stamp_font_ref(pdf: bytes, field: str) -> generic.Reference:
    reader = PdfFileReader(io.BytesIO(pdf))
    for ref in reader.root["/AcroForm"]["/Fields"]:
        widget = ref.get_object()
        if widget["/T"] == field:
            fonts_used = widget["/AP"]["/N"]["/Resources"]["/Font"]
            return next(fonts_used.raw_get(name).reference for name in fonts_used)
    raise AssertionError(f"no field {field}")


def test_two_signatures_build_the_font_once_and_embed_it_once(
    small_prepared, parties, signer_keys, authority
):
    fonts.stamp_font.cache_clear()
    first = signing.sign(small_prepared, "party-01", signer_keys[0], stamp(parties[0][0]))
    second = signing.sign(first, "party-02", signer_keys[1], stamp(parties[1][0]))

    assert fonts.stamp_font.cache_info().misses == 1  # built for the first signature only
    assert _font_programs(_new_objects(first)) == 1
    assert _font_programs(_new_objects(second)) == 0  # no second copy of the font program
    assert _stamp_font_ref(second, "party-02") == _stamp_font_ref(second, "party-01")
    assert len(second) - len(first) < len(fonts.stamp_font().program) / 2
    report = signing.verify(second, [authority.cert_pem], certifier_sha256=authority.seal_sha256)
    assert [(s.intact, s.valid, s.trusted) for s in report.signatures] == [(True, True, True)] * 3
    assert not [p for p in report.problems if p.code != "unsigned_field"], report.problems


def test_a_font_that_differs_from_the_stamp_font_is_not_reused(small_prepared, parties, signer_keys):
    signed = signing.sign(small_prepared, "party-01", signer_keys[0], stamp(parties[0][0]))
    assert fonts.find_embedded(PdfFileReader(io.BytesIO(signed))) is not None
    assert fonts.find_embedded(PdfFileReader(io.BytesIO(small_prepared))) is None  # nothing signed yet

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))  # same name, another font program
    cid_font = fonts.find_embedded(writer.prev).get_object()["/DescendantFonts"][0]
    descriptor_ref = cid_font.raw_get("/FontDescriptor")
    descriptor = descriptor_ref.get_object()
    other = generic.StreamObject(
        {generic.NameObject("/Filter"): generic.NameObject("/FlateDecode")},
        encoded_data=zlib.compress(fonts.font_program() + b"\0"),
    )
    descriptor[generic.NameObject("/FontFile2")] = writer.add_object(other)
    writer.mark_update(descriptor_ref)
    out = io.BytesIO()
    writer.write(out)
    assert fonts.find_embedded(PdfFileReader(io.BytesIO(out.getvalue()))) is None
    again = signing.sign(out.getvalue(), "party-02", signer_keys[1], stamp(parties[1][0]))
    assert _font_programs(_new_objects(again)) == 1  # a fresh copy, not the altered one


def test_every_process_builds_the_same_font_so_each_reuses_the_others():
    probe = "from signing import fonts; f = fonts.stamp_font(); print(f.base_font, len(f.program))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    font = fonts.stamp_font()
    assert result.stdout.split() == [font.base_font, str(len(font.program))], result.stderr
