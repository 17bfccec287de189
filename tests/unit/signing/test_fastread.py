"""signing.fastread: its reader finds every object where pyHanko's own reader does, in every
revision, and reads the trailer's /Encrypt as it does."""

import io

import pikepdf
import pytest
from pyhanko.pdf_utils.generic import Reference
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.fastread import IndexedXRefCache, _numbers_in, open_pdf


def _with_object_streams(pdf: bytes) -> bytes:
    """`pdf` rewritten with object streams and an xref stream, then two incremental updates."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    data = out.getvalue()
    for n in range(2):
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        writer.root["/PageMode"] = writer.root.get("/PageMode", None) or _name("/UseNone")
        writer.update_root()
        writer.add_object(_name(f"/Extra{n}"))
        updated = io.BytesIO()
        writer.write(updated)
        data = updated.getvalue()
    return data


def _name(value: str):
    from pyhanko.pdf_utils.generic import NameObject

    return NameObject(value)


def _with_a_freed_object(pdf: bytes) -> bytes:
    """`pdf` plus a hand-written incremental update whose xref table frees one object (its next
    generation 1) and overrides nothing else."""
    reader = PdfFileReader(io.BytesIO(pdf))
    root = reader.trailer.raw_get("/Root")
    freed = max(ref.idnum for section in reader.xrefs._xref_sections for ref in _refs(section)) - 1  # noqa: SLF001
    assert freed != root.idnum
    start = len(pdf) + 1
    update = (
        f"\nxref\n0 1\n0000000000 65535 f\r\n{freed} 1\n0000000000 00001 f\r\n"
        f"trailer\n<< /Size {reader.trailer['/Size']} /Root {root.idnum} {root.generation} R "
        f"/Prev {reader.last_startxref} >>\nstartxref\n{start}\n%%EOF\n"
    )
    return pdf + update.encode()


def _refs(section) -> list[Reference]:  # noqa: ANN001
    return [Reference(idnum) for idnum in _numbers_in(section.xref_data)]


def _every_lookup(pdf: bytes) -> tuple[list, list]:
    stock, fast = PdfFileReader(io.BytesIO(pdf)), open_pdf(pdf)
    sections = stock.xrefs._xref_sections  # noqa: SLF001
    numbers = {n for section in sections for n in _numbers_in(section.xref_data)}
    numbers |= {0, max(numbers) + 1, max(numbers) + 7}
    expected, found = [], []
    for revision in range(len(sections)):
        for idnum in sorted(numbers):
            for generation in (0, 1, 2):
                ref = Reference(idnum, generation)
                expected.append(stock.xrefs.get_historical_ref(ref, revision))
                found.append(fast.xrefs.get_historical_ref(ref, revision))
    return expected, found


@pytest.fixture(scope="module")
def samples(fully_signed, agreement) -> dict[str, bytes]:
    return {
        "26 revisions, xref tables": fully_signed,
        "object streams, xref streams": _with_object_streams(agreement),
        "a freed object": _with_a_freed_object(fully_signed),
    }


@pytest.mark.parametrize(
    "name", ["26 revisions, xref tables", "object streams, xref streams", "a freed object"]
)
def test_every_object_is_found_where_pyhankos_reader_finds_it_in_every_revision(samples, name):
    pdf = samples[name]
    expected, found = _every_lookup(pdf)
    assert found == expected
    assert isinstance(open_pdf(pdf).xrefs, IndexedXRefCache)


def test_the_samples_hold_what_they_are_for(samples):
    in_streams = PdfFileReader(io.BytesIO(samples["object streams, xref streams"]))
    assert any(s.xref_data.xrefs_in_objstm for s in in_streams.xrefs._xref_sections)  # noqa: SLF001
    assert in_streams.xrefs.total_revisions == 3
    freeing = PdfFileReader(io.BytesIO(samples["a freed object"]))
    last = freeing.xrefs._xref_sections[-1]  # noqa: SLF001
    assert last.xref_data.freed
    freed = Reference(next(iter(last.xref_data.freed)))
    assert freeing.xrefs[freed] is None and open_pdf(samples["a freed object"]).xrefs[freed] is None
    assert freeing.xrefs.get_historical_ref(freed, freeing.xrefs.total_revisions - 2) is not None


def test_the_same_objects_are_read(samples):
    for pdf in samples.values():
        stock, fast = PdfFileReader(io.BytesIO(pdf)), open_pdf(pdf)
        assert fast.root == stock.root
        assert fast.encrypt_dict is None and stock.encrypt_dict is None


def test_an_encrypted_file_has_the_same_encryption_dictionary(agreement):
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(agreement)) as document:
        document.save(out, encryption=pikepdf.Encryption(owner="o", user="u", R=6))
    stock, fast = PdfFileReader(io.BytesIO(out.getvalue())), open_pdf(out.getvalue())
    assert fast.encrypt_dict is not None
    assert fast.encrypt_dict == stock.encrypt_dict
    assert fast.encrypted and stock.encrypted
