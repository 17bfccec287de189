"""open_pdf(): pyHanko's PdfFileReader whose object look-ups do not walk every revision, for the
portal's own signing and checking.

pyHanko 0.38 finds where an object lies by asking each cross-reference section in turn, newest
first, until one knows it (XRefCache.get_historical_ref); and before reading any object it looks
up the trailer's /Encrypt through every revision's trailer (PdfFileReader.encrypt_dict). An
agreement gains a revision with each signature, and a signature reads its fields, written in the
first revision: at the 300th signature of a 309-party agreement, every object read asked ~300
sections and ~300 trailers, about 100 ms a signature that grew with every signature before it.

Reader gives the same answers with two indexes made once per file:
- for each object number, the sections that hold an entry of it (in use, in an object stream,
  freed, or in a hybrid file's stream section); a look-up asks only those, newest first, with
  pyHanko's own XRefSectionData.try_resolve, so every answer (and every refusal) is pyHanko's: a
  section without an entry of the number raises KeyError in try_resolve, which get_historical_ref
  passes over, so leaving it out changes nothing;
- the trailer's /Encrypt as pyHanko reads it, once the reader is built (a reader's trailers do not
  change after that)."""

from __future__ import annotations

import io
from typing import BinaryIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.xref import ObjStreamRef, XRefCache, XRefSection, XRefSectionData


def open_pdf(pdf: bytes) -> PdfFileReader:
    """A strict reader of `pdf` (pyHanko's, with the indexes above)."""
    return Reader(io.BytesIO(pdf))


class Reader(PdfFileReader):
    """PdfFileReader with IndexedXRefCache and the trailer's /Encrypt read once."""

    def __init__(self, stream: BinaryIO, strict: bool = True) -> None:
        super().__init__(stream, strict=strict)
        self.xrefs = IndexedXRefCache(self, self.xrefs._xref_sections)  # noqa: SLF001 (pyHanko 0.38's sections)
        self._fixed_encrypt_dict: generic.DictionaryObject | None = _stock_encrypt_dict(self)

    def stored_bytes(self, ref: generic.Reference, limit: int = 2048) -> bytes:
        """The first `limit` bytes of the newest definition of `ref` as the file stores it (from
        its `N G obj` header on), unparsed; empty when it lies in an object stream or nowhere.
        For a guess at what to read first, never for a finding: the bytes are not parsed."""
        where = self.xrefs.get_historical_ref(ref, self.xrefs.total_revisions - 1)
        if not isinstance(where, int):
            return b""
        position = self.stream.tell()
        try:
            self.stream.seek(where)
            stored: bytes = self.stream.read(limit)
            return stored
        finally:
            self.stream.seek(position)

    @property
    def encrypt_dict(self) -> generic.DictionaryObject | None:
        try:
            return self._fixed_encrypt_dict
        except AttributeError:  # while pyHanko's __init__ still reads the file
            return _stock_encrypt_dict(self)


def _stock_encrypt_dict(reader: PdfFileReader) -> generic.DictionaryObject | None:
    found = PdfFileReader.encrypt_dict.fget(reader)  # type: ignore[attr-defined]
    return found if isinstance(found, generic.DictionaryObject) else None


class IndexedXRefCache(XRefCache):
    """XRefCache whose get_historical_ref asks only the sections that hold an entry of the
    object's number."""

    def __init__(self, reader: PdfFileReader, xref_sections: list[XRefSection]) -> None:
        super().__init__(reader, xref_sections)
        sections_of: dict[int, list[int]] = {}
        for position, section in enumerate(xref_sections):
            for idnum in _numbers_in(section.xref_data):
                sections_of.setdefault(idnum, []).append(position)
        self._sections_of = sections_of

    def get_historical_ref(self, ref: generic.Reference, revision: int) -> int | ObjStreamRef | None:
        sections = self._xref_sections
        for position in reversed(self._sections_of.get(ref.idnum, ())):
            if position > revision:
                continue
            try:
                return sections[position].xref_data.try_resolve(ref)
            except KeyError:
                continue
        return None


def _numbers_in(data: XRefSectionData) -> set[int]:
    """Every object number a section has an entry of: what try_resolve can answer for."""
    found = set(data.xrefs_in_objstm) | set(data.standard_xrefs) | set(data.freed)
    if data.hybrid is not None:
        found |= _numbers_in(data.hybrid.xref_data)
    return found
