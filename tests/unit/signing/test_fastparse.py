"""signing.fastparse: inside fast_reading() a hex string reads as pyHanko's own reader reads it (the
same object, the stream left at the same place, the same error), and outside it pyHanko's reader
is the one used."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfStreamError
from pyhanko.pdf_utils.reader import PdfFileReader

from signing import fastparse

CASES = [
    b"<>",
    b"<0a1B>",
    b"<0a1>",  # odd: a last 0 is implied
    b"<0a 1b\n2c\r\t\f\x003d>",  # PDF whitespace between digits
    b"<feff00480069>",  # UTF-16 text
    b"<48656c6c6f> 12 0 R",  # what follows is left where it was
    b"<" + b"ab" * 20000 + b">",  # longer than one chunk
    b"<0a%comment > still a comment\n1b>",  # a comment: pyHanko's reader decides
    b"<0a1g>",  # not hex
    b"<0a1b",  # no end
    b"<0a1b>>",
]


def _read(reader, data: bytes, *args) -> tuple[object, int]:
    """What `reader` makes of `data` (or the error it raises: pyHanko's readers raise ValueError
    too) and where it leaves the stream."""
    stream = io.BytesIO(b"xx" + data)
    stream.seek(2)
    try:
        result: object = reader(stream, *args)
    except PdfStreamError as error:
        result = ("error", str(error))
    except ValueError as error:
        result = ("error", type(error).__name__)
    return result, stream.tell()


@pytest.mark.parametrize("data", CASES)
def test_same_as_pyhanko(data):
    stock, fast = _read(fastparse._STOCK, data), _read(fastparse.read_hex, data)
    assert fast == stock
    assert type(fast[0]) is type(stock[0])


ARRAYS = [
    b"[]",
    b"[ ]",
    b"[0]",
    b"[ 1 2 3 ]",
    b"[-1 0042 -0 7]",
    b"[ 250 278\n355\r\n\t556\f1000 ] 12 0 R",  # what follows is left where it was
    b"[" + b" 612" * 5000 + b" ]",  # longer than one chunk
    b"[1 0 R 2 0 R]",  # references
    b"[0.5 1]",  # a real
    b"[+1 2]",
    b"[1-2]",
    b"[1 -]",
    b"[1 2 [3]]",  # nested
    b"[/Name 1]",
    b"[1 %comment ] 2\n3]",
    b"[1\x002]",  # NUL is PDF whitespace: pyHanko's reader decides
    b"[(a) 1]",
    b"[1 2",  # no end
    b"[12345678901234567890 1]",
]


@pytest.mark.parametrize("data", ARRAYS)
def test_an_array_reads_as_pyhanko_reads_it(data):
    container = generic.TrailerReference(None)  # what a reference in the array is read against
    stock = _read(fastparse._STOCK_ARRAY, data, container)
    fast = _read(fastparse.read_array, data, container)
    assert fast == stock
    if isinstance(stock[0], list):
        assert [type(item) for item in fast[0]] == [type(item) for item in stock[0]]
        assert type(fast[0]) is type(stock[0])


def test_only_inside_fast_reading():
    assert generic.read_hex_string_from_stream is fastparse._read_hex
    assert not fastparse._ACTIVE.get()
    with fastparse.fast_reading():
        assert fastparse._ACTIVE.get()
        assert generic.read_object(io.BytesIO(b"<0a1b>"), None) == b"\x0a\x1b"
        assert generic.read_object(io.BytesIO(b"[1 2]"), None) == [1, 2]
    assert not fastparse._ACTIVE.get()
    assert generic.ArrayObject.read_from_stream is fastparse._read_array


def test_a_signed_file_reads_the_same(fully_signed):
    """Every signature's /Contents of a signed file, read both ways."""

    def contents(pdf: bytes) -> list[bytes]:
        reader = PdfFileReader(io.BytesIO(pdf))
        fields = reader.root["/AcroForm"]["/Fields"]
        return [f.get_object()["/V"]["/Contents"] for f in fields if "/V" in f.get_object()]

    stock = contents(fully_signed)
    with fastparse.fast_reading():
        fast = contents(fully_signed)
    assert len(stock) > 1 and fast == stock


def test_every_object_of_a_signed_file_reads_the_same(fully_signed):
    """Every object of every revision of a signed file (the stamp fonts' /W arrays, the
    /ByteRange and /Rect arrays, the DSS's arrays of references among them), read both ways."""

    def every_object(pdf: bytes) -> list[object]:
        reader = PdfFileReader(io.BytesIO(pdf))
        found = []
        for revision in range(reader.xrefs.total_revisions):
            for ref in reader.xrefs.explicit_refs_in_revision(revision):
                value = reader.get_object(ref, revision=revision)
                found.append((ref, value.data if isinstance(value, generic.StreamObject) else value))
        return found

    stock = every_object(fully_signed)
    with fastparse.fast_reading():
        fast = every_object(fully_signed)
    assert len(stock) > 100 and fast == stock
    assert any(isinstance(v, generic.DictionaryObject) and "/W" in v for _, v in fast)
