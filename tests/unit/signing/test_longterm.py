"""signing.longterm: the DSS revision is an LTA update that keeps what the DSS held, a signature's
own validation data goes into its own revision (and a signature revision may add to the DSS, not
rewrite it), an outside TSA's chain and revocation data are fetched over HTTP, the document
timestamp is the last revision and covers the file, and the own TSA refuses what it cannot read."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

import pytest
from asn1crypto import tsp
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers import PdfSigner
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

import signing
from signing.longterm import write_validation_data
from signing.pades import approval_metadata, simple_signer, stamp_style
from signing.seal import issue_tsa_certificate, local_timestamper
from tests.outside_tsa import outside_tsa
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


@pytest.fixture(scope="module")
def with_dss(authority, small_prepared, tsa) -> bytes:
    return signing.add_validation_data(
        small_prepared, signing.ValidationData((authority.cert_pem, tsa[1]), crls=(_crl(authority),))
    )


def test_a_signature_carries_its_validation_data_in_its_own_revision(
    authority, with_dss, signer_keys, parties, tsa
):
    key = signer_keys[0]
    own = signing.ValidationData((key.certificate_pem,), crls=(_crl(authority),))
    signed = signing.sign(with_dss, "party-01", key, stamp(parties[0][0]), tsa[0], validation=own)
    revisions = PdfFileReader(io.BytesIO(with_dss)).xrefs.total_revisions
    assert PdfFileReader(io.BytesIO(signed)).xrefs.total_revisions == revisions + 1
    assert _dss_refs(signed, "/Certs")[:2] == _dss_refs(with_dss, "/Certs")
    assert len(_dss_refs(signed, "/Certs")) == 3 and len(_dss_refs(signed, "/CRLs")) == 2
    expected = signing.ExpectedSigner("party-01", parties[0][1])
    report = signing.verify_latest_revision(signed, with_dss, expected, [authority.cert_pem])
    assert report.ok, report.problems
    assert (report.modification_level, report.changed_fields) == ("FORM_FILLING", ("party-01",))
    whole = signing.verify(signed, [authority.cert_pem], certifier_sha256=authority.seal_sha256)
    party = next(s for s in whole.signatures if s.field_name == "party-01")
    assert party.valid and party.timestamp is not None and party.long_term


def drop_earlier_certificates(writer: IncrementalPdfFileWriter) -> None:
    dss = writer.root["/DSS"]
    dss[generic.NameObject("/Certs")] = generic.ArrayObject(_dss_array(dss, "/Certs")[-1:])
    writer.update_container(dss)


def drop_the_crls(writer: IncrementalPdfFileWriter) -> None:
    dss = writer.root["/DSS"]
    del dss["/CRLs"]
    writer.update_container(dss)


def add_open_action(writer: IncrementalPdfFileWriter) -> None:
    writer.root["/OpenAction"] = generic.ArrayObject(
        [writer.root["/Pages"]["/Kids"].raw_get(0), generic.NameObject("/Fit")]
    )
    writer.update_root()


def _dss_array(dss: generic.DictionaryObject, key: str) -> list:
    array = dss[key]
    return [array.raw_get(i) for i in range(len(array))]


@pytest.mark.parametrize("change", [drop_earlier_certificates, drop_the_crls, add_open_action])
def test_a_signature_revision_may_add_to_the_dss_and_nothing_else(
    authority, with_dss, signer_keys, parties, change
):
    key = signer_keys[0]
    writer = IncrementalPdfFileWriter(io.BytesIO(with_dss))
    write_validation_data(writer, signing.ValidationData((key.certificate_pem,)))
    change(writer)  # in the signature's own revision, beside its validation data
    signer = PdfSigner(
        approval_metadata("party-01", "Maija", ""), simple_signer(key), stamp_style=stamp_style("M")
    )
    signed = signer.sign_pdf(writer, existing_fields_only=True).getvalue()
    expected = signing.ExpectedSigner("party-01", parties[0][1])
    report = signing.verify_latest_revision(signed, with_dss, expected, [authority.cert_pem])
    assert [p.code for p in report.problems] == ["modified_after_signing"]
    assert report.modification_level == "OTHER"


def test_an_outside_tsas_validation_data_is_its_chain_and_fetched_crl():
    with outside_tsa() as outside:
        data = signing.tsa_validation_data(RequestsHTTPTimeStamper(outside.url))
        assert {hashlib.sha256(der).hexdigest() for der in data.certificates} == {
            signing.certificate_sha256(outside.tsa_cert_pem),
            signing.certificate_sha256(outside.ca_cert_pem),
        }
        assert len(data.crls) == 1 and outside.requests["/crl"] == 1
        outside.crl_down = True  # no revocation data: refused, not left out
        with pytest.raises(ValueError, match="cannot be validated"):
            signing.tsa_validation_data(RequestsHTTPTimeStamper(outside.url))


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
