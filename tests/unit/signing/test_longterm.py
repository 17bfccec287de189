"""signing.longterm: the DSS revision is an LTA update that keeps what the DSS held, the document
timestamp is the last revision and covers the file, and the own TSA refuses what it cannot read."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

import pytest
from asn1crypto import tsp
from pyhanko.pdf_utils.reader import PdfFileReader

import signing
from signing.seal import issue_tsa_certificate, local_timestamper
from tests.unit.signing.conftest import stamp


@pytest.fixture(scope="module")
def tsa(authority):
    key, cert = issue_tsa_certificate(authority.key_pem, None, authority.cert_pem)
    return local_timestamper(signing.SignerKey(key, None, cert, (authority.cert_pem,))), cert


def _crl(authority) -> bytes:
    now = datetime.now(UTC).replace(microsecond=0)
    return signing.certificate_revocation_list(
        authority.key_pem, None, authority.cert_pem, [], now=now, number=1
    )


def _dss_refs(pdf: bytes, key: str) -> list:
    dss = PdfFileReader(io.BytesIO(pdf)).root["/DSS"]
    array = dss[key]
    return [array.raw_get(i).reference for i in range(len(array))]


def test_validation_data_is_an_lta_update_and_keeps_the_dss(
    authority, small_prepared, signer_keys, parties, tsa
):
    stamper, tsa_cert = tsa
    first = signing.add_validation_data(
        small_prepared, signing.ValidationData((authority.cert_pem, tsa_cert), crls=(_crl(authority),))
    )
    assert first.startswith(small_prepared)
    signed = signing.sign(first, "party-01", signer_keys[0], stamp(parties[0][0]), stamper)
    expected = signing.ExpectedSigner("party-01", parties[0][1])
    assert signing.verify_latest_revision(signed, first, expected, [authority.cert_pem]).ok
    second = signing.add_validation_data(
        signed, signing.ValidationData((signer_keys[0].certificate_pem,), crls=(_crl(authority),))
    )
    assert (
        _dss_refs(second, "/Certs")[:2] == _dss_refs(first, "/Certs")
        and len(_dss_refs(second, "/Certs")) == 3
    )
    assert len(_dss_refs(second, "/CRLs")) == 2
    report = signing.verify(second, [authority.cert_pem], certifier_sha256=authority.seal_sha256)
    party = next(s for s in report.signatures if s.field_name == "party-01")
    assert party.modification_level in ("LTA_UPDATES", "FORM_FILLING") and party.valid

    final = signing.timestamp_document(second, stamper)
    reader = PdfFileReader(io.BytesIO(final))
    last = list(reader.embedded_signatures)[-1]
    assert last.sig_object_type == "/DocTimeStamp"
    assert int(last.byte_range[2]) + int(last.byte_range[3]) == len(final)


def test_the_own_tsa_refuses_what_it_cannot_read(tsa):
    stamper, _cert = tsa
    request = tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": hashlib.sha256(b"x").digest(),
            },
            "cert_req": True,
        }
    ).dump()
    answer = signing.answer_timestamp_request(request, stamper)
    assert answer is not None and tsp.TimeStampResp.load(answer)["status"]["status"].native == "granted"
    assert signing.answer_timestamp_request(b"", stamper) is None
    assert signing.answer_timestamp_request(b"\x30\x03\x02\x01\x01", stamper) is None
    assert signing.answer_timestamp_request(request + b"\x00" * 5000, stamper) is None
