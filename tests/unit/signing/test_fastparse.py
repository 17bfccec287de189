"""signing.fastparse: inside fast_hex() a hex string reads as pyHanko's own reader reads it (the
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


def _read(reader, data: bytes) -> tuple[object, int]:
    stream = io.BytesIO(b"xx" + data)
    stream.seek(2)
    try:
        result: object = reader(stream)
    except PdfStreamError as error:
        result = ("error", str(error))
    return result, stream.tell()


@pytest.mark.parametrize("data", CASES)
def test_same_as_pyhanko(data):
    stock, fast = _read(fastparse._STOCK, data), _read(fastparse.read_hex, data)
    assert fast == stock
    assert type(fast[0]) is type(stock[0])


def test_only_inside_fast_hex():
    assert generic.read_hex_string_from_stream is fastparse._read_hex
    assert not fastparse._ACTIVE.get()
    with fastparse.fast_hex():
        assert fastparse._ACTIVE.get()
        assert generic.read_object(io.BytesIO(b"<0a1b>"), None) == b"\x0a\x1b"
    assert not fastparse._ACTIVE.get()


def test_a_signed_file_reads_the_same(fully_signed):
    """Every signature's /Contents of a signed file, read both ways."""

    def contents(pdf: bytes) -> list[bytes]:
        reader = PdfFileReader(io.BytesIO(pdf))
        fields = reader.root["/AcroForm"]["/Fields"]
        return [f.get_object()["/V"]["/Contents"] for f in fields if "/V" in f.get_object()]

    stock = contents(fully_signed)
    with fastparse.fast_hex():
        fast = contents(fully_signed)
    assert len(stock) > 1 and fast == stock
