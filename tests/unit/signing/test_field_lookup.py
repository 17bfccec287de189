"""Signing finds its field without reading the fields listed before it (signing.signature's
_named_first): reading each field in list order until the name matched grew with the number of
parties. The order is a guess; a field spelled otherwise is still found and signed."""

import io

import pytest
from pyhanko.pdf_utils.generic import DictionaryObject
from pyhanko.pdf_utils.reader import PdfFileReader

import signing
from signing.fastread import open_pdf
from signing.signature import _named_first
from tests.unit.signing.conftest import stamp


def _listed(reader):
    fields = reader.root["/AcroForm"]["/Fields"]
    return [fields.raw_get(i) for i in range(len(fields))]


def _name(entry) -> str:
    return str(entry.get_object()["/T"])


@pytest.mark.parametrize("name", ["party-01", "party-17", "party-25"])
def test_the_named_field_is_read_first_and_the_others_keep_their_order(prepared, name):
    reader = open_pdf(prepared)
    listed = _listed(reader)
    ordered = _named_first(reader, listed, name)
    assert _name(ordered[0]) == name
    assert ordered[1:] == [entry for entry in listed if _name(entry) != name]


def test_a_field_signed_in_an_earlier_revision_is_found_where_it_now_lies(prepared, signer_keys, parties):
    pdf = signing.sign(prepared, "party-03", signer_keys[2], stamp(parties[2][0]))
    reader = open_pdf(pdf)
    assert _name(_named_first(reader, _listed(reader), "party-03")[0]) == "party-03"
    with pytest.raises(signing.SigningRefused) as refused:
        signing.sign(pdf, "party-03", signer_keys[2], stamp(parties[2][0]))
    assert refused.value.code == "already_signed"


def test_a_name_spelled_otherwise_is_still_found_and_signed(small_prepared, signer_keys, parties):
    # the same name without pyHanko's escape of "-", padded to the same length: no offset moves
    stored, plain = b"/T (party\\05502)", b"/T (party-02)   "
    assert small_prepared.count(stored) == 1
    respelled = small_prepared.replace(stored, plain)
    reader = open_pdf(respelled)
    assert [_name(e) for e in _named_first(reader, _listed(reader), "party-02")] == [
        _name(e) for e in _listed(reader)
    ]  # no guess: list order
    signed = signing.sign(respelled, "party-02", signer_keys[1], stamp(parties[1][0]))
    field = _field(signed, "party-02")
    assert "/V" in field


def _field(pdf: bytes, name: str) -> DictionaryObject:
    reader = PdfFileReader(io.BytesIO(pdf))
    return next(f for f in (e.get_object() for e in _listed(reader)) if str(f["/T"]) == name)


def test_a_stock_reader_keeps_the_list_order(small_prepared):
    reader = PdfFileReader(io.BytesIO(small_prepared))
    listed = _listed(reader)
    assert _named_first(reader, listed, "party-03") == listed
