"""fast_reading(): pyHanko's readers of hex strings and of arrays of integers, the same result at
a fraction of the cost, for the portal's own signing and checking.

pyHanko 0.38 reads a hex string (`<0a1b...>`) one byte at a time through its whitespace and
comment reader: ~9 ms for the 11,000 hex digits of a signature's /Contents, parsed once when a
signature is made (the certification signature, in pyHanko's own DocMDP check) and once when
its revision is checked (the new signature). _read_hex reads up to the first `>` at once and,
when what it read is hex digits and PDF whitespace only, decodes it in one call; anything else
(a comment `%`, a stray character, no `>` before the end) goes to pyHanko's own reader from the
same position, so every result and every error is pyHanko's.

Arrays of integers alike: pyHanko reads each number of an array through read_object, ~7 us a
number; the stamp font's /W array (268 numbers, read when a signature reuses the font an earlier
one embedded) cost ~1.9 ms. _read_array reads an array that is only integers (`-`, digits and
PDF whitespace between `[` and `]`, the integers apart) in one regular-expression match; any
other array (references, reals, names, nesting, a comment, no `]` in reach) goes to pyHanko's
reader from the same position.

Installed once (pyHanko's parser looks the name up in its module at each call) and active only
inside `with fast_reading():` in this thread or task: other users of pyHanko in the process (the
benchmark's stock signer among them) keep the stock readers."""

from __future__ import annotations

import binascii
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PDF_WHITESPACE

_ACTIVE: ContextVar[bool] = ContextVar("signing_fast_reading", default=False)
_STOCK = generic.read_hex_string_from_stream
_STOCK_ARRAY = generic.ArrayObject.read_from_stream
#: an array of integers with PDF whitespace (not NUL) between them: what int() reads as pyHanko does
_INTEGERS = re.compile(rb"\[[ \t\n\r\f]*(?:-?[0-9]+(?:[ \t\n\r\f]+-?[0-9]+)*)?[ \t\n\r\f]*\]")
_HEX_DIGITS = b"0123456789abcdefABCDEF"
_CHUNK = 16384


@contextmanager
def fast_reading() -> Iterator[None]:
    """Hex strings and arrays read inside the block are read by _read_hex and _read_array."""
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def read_hex(stream: IO[bytes]) -> Any:
    """pyHanko's read_hex_string_from_stream (the stream at the `<`), read in one pass."""
    start = stream.tell()
    stream.read(1)
    parts = []
    while True:
        chunk = stream.read(_CHUNK)
        end = chunk.find(b">")
        if end >= 0 or not chunk:
            parts.append(chunk[:end] if end >= 0 else chunk)
            break
        parts.append(chunk)
    body = b"".join(parts)
    digits = body.translate(None, PDF_WHITESPACE)
    if end < 0 or digits.translate(None, _HEX_DIGITS):  # not plain hex: pyHanko's reader decides
        stream.seek(start)
        return _STOCK(stream)
    stream.seek(start + len(body) + 2, os.SEEK_SET)
    if len(digits) % 2:
        digits += b"0"
    return generic.pdf_string(binascii.unhexlify(digits))


def read_array(stream: IO[bytes], container_ref: Any) -> Any:
    """pyHanko's ArrayObject.read_from_stream (the stream at the `[`, outside a content stream),
    an array of integers read in one match."""
    start = stream.tell()
    found = _INTEGERS.match(stream.read(_CHUNK))
    if found is None:  # not only integers: pyHanko's reader decides, from the `[`
        stream.seek(start)
        return _STOCK_ARRAY(stream, container_ref)
    stream.seek(start + found.end())
    array = generic.ArrayObject()
    for token in found.group()[1:-1].split():
        number = generic.NumberObject(token.decode("ascii"))
        number.container_ref = container_ref  # as pyHanko's read_object sets on each element
        array.append(number)
    return array


def _read_hex(stream: IO[bytes]) -> Any:
    return read_hex(stream) if _ACTIVE.get() else _STOCK(stream)


def _read_array(
    stream: IO[bytes], container_ref: Any, in_content_stream: Any = generic.ContentOpReading.NO
) -> Any:
    if _ACTIVE.get() and in_content_stream == generic.ContentOpReading.NO:
        return read_array(stream, container_ref)
    return _STOCK_ARRAY(stream, container_ref, in_content_stream=in_content_stream)


def install() -> None:
    """Put _read_hex and _read_array where pyHanko's object parser finds its readers
    (idempotent)."""
    generic.read_hex_string_from_stream = _read_hex
    generic.ArrayObject.read_from_stream = staticmethod(_read_array)  # type: ignore[method-assign]


install()
