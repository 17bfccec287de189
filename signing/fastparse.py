"""fast_hex(): pyHanko's hex-string reader, the same result at a fraction of the cost, for the
portal's own signing and checking.

pyHanko 0.38 reads a hex string (`<0a1b...>`) one byte at a time through its whitespace and
comment reader: ~9 ms for the 11,000 hex digits of a signature's /Contents, parsed once when a
signature is made (the certification signature, in pyHanko's own DocMDP check) and once when
its revision is checked (the new signature). _read_hex reads up to the first `>` at once and,
when what it read is hex digits and PDF whitespace only, decodes it in one call; anything else
(a comment `%`, a stray character, no `>` before the end) goes to pyHanko's own reader from the
same position, so every result and every error is pyHanko's.

Installed once (pyHanko's parser looks the name up in its module at each call) and active only
inside `with fast_hex():` in this thread or task: other users of pyHanko in the process (the
benchmark's stock signer among them) keep the stock reader."""

from __future__ import annotations

import binascii
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PDF_WHITESPACE

_ACTIVE: ContextVar[bool] = ContextVar("signing_fast_hex", default=False)
_STOCK = generic.read_hex_string_from_stream
_HEX_DIGITS = b"0123456789abcdefABCDEF"
_CHUNK = 16384


@contextmanager
def fast_hex() -> Iterator[None]:
    """Hex strings read inside the block are read by _read_hex."""
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


def _read_hex(stream: IO[bytes]) -> Any:
    return read_hex(stream) if _ACTIVE.get() else _STOCK(stream)


def install() -> None:
    """Put _read_hex where pyHanko's object parser finds its hex-string reader (idempotent)."""
    generic.read_hex_string_from_stream = _read_hex


install()
