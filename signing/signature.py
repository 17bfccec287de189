"""sign(): one party's approval signature into its existing empty field, as an incremental
update. Nothing already in the file is validated here, so the cost stays flat as signatures
accumulate; verify() is the place for that."""

from __future__ import annotations

import io
import textwrap

from pyhanko.pdf_utils.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    pdf_string,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.signers import PdfSigner
from pyhanko.sign.timestamps import TimeStamper

from signing.errors import SigningRefused
from signing.fastparse import fast_reading
from signing.fastread import Reader, open_pdf
from signing.labels import format_time, labels
from signing.longterm import ValidationData, write_validation_data
from signing.model import CERTIFICATION_FIELD, SignerKey, StampText
from signing.pades import approval_metadata, bytes_reserved, simple_signer, stamp_style
from signing.preparation import business_id_from_tooltip

STAMP_WIDTH = 58  # characters of Vera 9 pt that fit a box; longer lines wrap


def sign(
    pdf: bytes,
    field_name: str,
    signer: SignerKey,
    stamp: StampText,
    timestamper: TimeStamper | None = None,
    validation: ValidationData | None = None,
) -> bytes:
    """Sign the existing empty signature field `field_name` (PAdES ETSI.CAdES.detached, SHA-256)
    with a visible stamp naming signer, party, place and time, and with `timestamper` an RFC 3161
    signature timestamp token (PAdES B-T); return the whole new file. `validation` (PAdES B-LT)
    goes into the DSS in the signature's own revision, so the signature covers it and the file
    gains one revision per signature, not two.
    Raises SigningRefused("no_such_field"|"already_signed"), ValueError when the key does not
    open with its passphrase or the stamp time is naive."""
    if stamp.signed_at.tzinfo is None:
        raise ValueError("stamp.signed_at must be timezone-aware")
    with fast_reading():
        return _sign(pdf, field_name, signer, stamp, timestamper, validation)


def _sign(
    pdf: bytes,
    field_name: str,
    signer: SignerKey,
    stamp: StampText,
    timestamper: TimeStamper | None,
    validation: ValidationData | None,
) -> bytes:
    reader = open_pdf(pdf)
    writer = IncrementalPdfFileWriter(reader.stream, prev=reader)
    field = _empty_field(writer, field_name)
    if validation is not None:
        write_validation_data(writer, validation)
    text = stamp_lines(stamp, business_id_from_tooltip(_tooltip(field)))
    cms_signer = simple_signer(signer)
    pdf_signer = PdfSigner(
        approval_metadata(field_name, stamp.signer_name, stamp.place),
        cms_signer,
        stamp_style=stamp_style(text),
        timestamper=timestamper,
    )
    reserved = bytes_reserved(cms_signer, timestamper)
    return bytes(pdf_signer.sign_pdf(writer, existing_fields_only=True, bytes_reserved=reserved).getvalue())


def stamp_lines(stamp: StampText, business_id: str | None) -> str:
    """The stamp's text: who signed, for which party, where and when."""
    words = labels(stamp.language)
    party = f"{stamp.party_name} ({business_id})" if business_id else stamp.party_name
    place_time = ", ".join(
        p for p in (stamp.place.strip(), format_time(stamp.signed_at, stamp.language)) if p
    )
    signer = f"{stamp.signer_name}, {stamp.signer_title}" if stamp.signer_title else stamp.signer_name
    lines = (f"{words['signed_by']}:", signer, party, f"{words['place_time']}: {place_time}")
    return "\n".join(wrapped for line in lines for wrapped in textwrap.wrap(line, STAMP_WIDTH))


def _empty_field(writer: IncrementalPdfFileWriter, field_name: str) -> DictionaryObject:
    """The top-level signature field `field_name`, found without reading the other fields'
    values (each signed one holds a large signature: pyHanko's enumerate_sig_fields reads them
    all, a cost that grows with every signature)."""
    if field_name == CERTIFICATION_FIELD:
        raise SigningRefused("already_signed", "the certification field is the portal's")
    root = writer.prev.root
    acroform = root["/AcroForm"] if "/AcroForm" in root else None
    fields = acroform["/Fields"] if isinstance(acroform, DictionaryObject) and "/Fields" in acroform else None
    listed = [fields.raw_get(i) for i in range(len(fields))] if isinstance(fields, ArrayObject) else []
    for entry in _named_first(writer.prev, listed, field_name):
        field = entry.get_object()
        if not isinstance(field, DictionaryObject) or "/T" not in field or field["/T"] != field_name:
            continue
        if "/FT" not in field or field.raw_get("/FT") != NameObject("/Sig"):
            continue
        if "/V" in field:
            raise SigningRefused("already_signed", f"{field_name} is signed already")
        return field
    raise SigningRefused("no_such_field", f"no signature field {field_name!r}")


def _named_first(reader: object, listed: list[PdfObject], field_name: str) -> list[PdfObject]:
    """The /Fields entries in the order to read them: those whose stored bytes spell
    `/T (field_name)` as pyHanko writes it first, the rest after, each group in list order.
    Reading a field costs ~0.2 ms (pyHanko parses it whole), and reading the list in order until
    the name matched grew with the number of parties: ~60 ms a signature at 309. The order is a
    guess and every entry is still read and judged as before, so an unusual spelling only costs
    the time; the result is the same field as in list order, since the portal's field names are
    unique (as prepared; the check of each revision refuses one that renames a field)."""
    if not isinstance(reader, Reader):
        return listed
    needle = b"/T " + _serialized(pdf_string(field_name))

    def spelled(entry: PdfObject) -> bool:
        if not isinstance(entry, IndirectObject):
            return False
        stored = reader.stored_bytes(entry.reference)
        return needle in stored[: stored.find(b"endobj")]

    return sorted(listed, key=lambda entry: not spelled(entry))


def _serialized(value: PdfObject) -> bytes:
    out = io.BytesIO()
    value.write_to_stream(out)
    return out.getvalue()


def _tooltip(field: DictionaryObject) -> str | None:
    value = field.get("/TU")
    return str(value) if value is not None else None
