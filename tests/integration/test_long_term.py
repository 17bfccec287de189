"""Long-term signatures (issue 10 item 1): every signature of the portal carries an RFC 3161
signature timestamp (B-T), the file gains the validation data in its DSS (B-LT) and, at entry
into force, a document timestamp as its last revision (B-LTA). pdfsig validates every signature,
and pyHanko's AdES long-term validation passes offline with only the portal CA as trust anchor,
today and in 2040. The TSA named by PORTAL_TSA_URL is the portal's own /pki/tsa, served by a
real HTTP server on loopback."""

import hashlib
import io
import subprocess
from datetime import UTC, datetime

import pytest
from asn1crypto import tsp
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

import signing
from portal.agreements.domain import Status
from portal.appctx import document_context
from portal.authority.services import local_tsa_key, trust_roots, unlock_signer
from portal.documents import services as documents
from portal.errors import PortalError
from portal.timeutil import utcnow
from tests.outside_tsa import outside_tsa
from tests.server import serve


def _sign_all(db, agreement, reps) -> None:
    ctx = document_context()
    document = agreement.main_document
    document.requires_approval = False
    db.session.commit()
    for rep in reps:
        passphrase = unlock_signer(db.session, ctx.key_encryption_key, rep, "pw", utcnow(), ctx.pki_pointers)
        documents.sign(db.session, ctx, agreement.main_document_id, rep, passphrase, "Tampere")
        db.session.commit()
    db.session.refresh(document)
    assert document.status is Status.in_force


def _timestamp_token(sig):
    """The signature timestamp token (its SignedData) among the signature's unsigned attributes."""
    attributes = sig.signer_info["unsigned_attrs"]
    for attribute in attributes if attributes.native is not None else ():
        if attribute["type"].native == "signature_time_stamp_token":
            return attribute["values"][0]["content"]
    return None


def _final(db, agreement) -> bytes:
    return document_context().storage.read(agreement.main_document.current_sha256)


def test_an_agreement_in_force_is_pades_b_lta_and_valid_in_2040(db, factory, tmp_path):
    agreement, _orgs, reps, _admin = factory.agreement(parties=3)
    _sign_all(db, agreement, reps)
    pdf = _final(db, agreement)

    reader = PdfFileReader(io.BytesIO(pdf))
    signatures = list(reader.embedded_regular_signatures)
    assert [s.field_name for s in signatures] == ["sopu-certification", "party-01", "party-02", "party-03"]
    for sig in signatures:  # B-T: a signature timestamp token in each signature
        assert _timestamp_token(sig) is not None, sig.field_name
    dss = reader.root["/DSS"]  # B-LT: certificates and the CA's CRLs
    assert len(dss["/Certs"]) == 3 + 3 and len(dss["/CRLs"]) >= 5
    prepared = document_context().storage.read(agreement.main_document.latest_version.prepared_sha256)
    # each signature's validation data is in its own revision: 3 signatures, then DSS + timestamp
    revisions = PdfFileReader(io.BytesIO(prepared)).xrefs.total_revisions
    assert reader.xrefs.total_revisions == revisions + 3 + 2
    last = list(reader.embedded_signatures)[-1]  # B-LTA: a document timestamp, last
    assert last.sig_object_type == "/DocTimeStamp"
    assert int(last.byte_range[2]) + int(last.byte_range[3]) == len(pdf)

    path = tmp_path / "in-force.pdf"
    path.write_bytes(pdf)
    pdfsig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    assert pdfsig.stdout.count("Signature is Valid") == 4, pdfsig.stdout

    roots = trust_roots(db.session)
    assert signing.verify(pdf, roots).ok
    today = signing.long_term_validation(pdf, roots)
    assert [r.indication for r in today] == ["PASSED"] * 4, today
    in_2040 = signing.long_term_validation(pdf, roots, at=datetime(2040, 1, 1, tzinfo=UTC))
    assert [r.indication for r in in_2040] == ["PASSED"] * 4, in_2040


def test_without_the_dss_the_long_term_validation_fails(db, factory):
    """The check can fail: the same signatures with no validation data in the file (the CA's
    CRLs removed from the DSS revisions) are not valid in the long term."""
    agreement, _orgs, reps, _admin = factory.agreement(parties=2)
    _sign_all(db, agreement, reps)
    pdf = _final(db, agreement)
    stripped = pdf.replace(b"/CRLs", b"/XRLs")  # same length: the revisions stay intact
    roots = trust_roots(db.session)
    assert not all(r.passed for r in signing.long_term_validation(stripped, roots))


def test_the_own_tsa_answers_rfc_3161_and_refuses_garbage(client, db):
    request = tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": hashlib.sha256(b"sopu").digest(),
            },
            "nonce": 4242,
            "cert_req": True,
        }
    ).dump()
    response = client.post("/pki/tsa", data=request, headers={"Content-Type": "application/timestamp-query"})
    assert response.status_code == 200 and response.mimetype == "application/timestamp-reply"
    answer = tsp.TimeStampResp.load(response.data)
    assert answer["status"]["status"].native == "granted"
    info = answer["time_stamp_token"]["content"]["encap_content_info"]["content"].parsed
    assert info["nonce"].native == 4242
    assert info["message_imprint"]["hashed_message"].native == hashlib.sha256(b"sopu").digest()
    kind = {"Content-Type": "application/timestamp-query"}
    assert client.post("/pki/tsa", data=b"not a request", headers=kind).status_code == 400
    assert client.post("/pki/tsa", data=request, headers={"Content-Type": "text/plain"}).status_code == 415
    assert client.post("/pki/tsa", data=b"\x30" * (5 * 1024), headers=kind).status_code == 413
    assert client.get("/pki/tsa").status_code == 405


@pytest.fixture
def served(app, db, config_override):
    """The app on loopback; PORTAL_TSA_URL points at its own /pki/tsa, over real HTTP."""
    with serve(app) as base_url:
        config_override(PORTAL_BASE_URL=base_url, PORTAL_TSA_URL=f"{base_url}/pki/tsa")
        yield base_url


@pytest.mark.committing  # the TSA answers on loopback, in a thread
def test_a_configured_tsa_url_is_asked_over_http(app, db, factory, served):
    ctx = document_context()
    assert ctx.tsa_url == f"{served}/pki/tsa"
    # the own TSA's certificate names a CRL URL nothing answers (or another test's server's): the
    # portal's own TSA over HTTP is validated from the CA's CRL made in process, never fetched
    unreachable = signing.Pointers.under("http://127.0.0.1:9")
    tsa = local_tsa_key(db.session, ctx.key_encryption_key, unreachable)
    tsa_sha256 = signing.certificate_sha256(tsa.certificate_pem)
    db.session.commit()
    assert isinstance(documents._timestamper(db.session, ctx), RequestsHTTPTimeStamper)
    agreement, _orgs, reps, _admin = factory.agreement(parties=2)
    _sign_all(db, agreement, reps)
    pdf = _final(db, agreement)
    reader = PdfFileReader(io.BytesIO(pdf))
    for sig in reader.embedded_regular_signatures:
        token = _timestamp_token(sig)
        assert token is not None
        certificates = token["certificates"]
        signer_serial = token["signer_infos"][0]["sid"].chosen["serial_number"].native
        used = next(c.chosen for c in certificates if c.chosen.serial_number == signer_serial)
        assert hashlib.sha256(used.dump()).hexdigest() == tsa_sha256
    roots = trust_roots(db.session)
    assert [r.indication for r in signing.long_term_validation(pdf, roots)] == ["PASSED"] * 3


@pytest.fixture
def outside(config_override):
    """PORTAL_TSA_URL names a second TSA with a CA of its own, over HTTP on loopback."""
    with outside_tsa() as tsa:
        config_override(PORTAL_TSA_URL=tsa.url)
        yield tsa


def test_an_outside_tsas_chain_and_crl_go_into_the_dss(db, factory, outside):
    agreement, _orgs, reps, _admin = factory.agreement(parties=2)
    _sign_all(db, agreement, reps)
    pdf = _final(db, agreement)
    reader = PdfFileReader(io.BytesIO(pdf))
    outside_sha256 = signing.certificate_sha256(outside.tsa_cert_pem)
    for sig in reader.embedded_regular_signatures:  # every timestamp is the outside TSA's
        token = _timestamp_token(sig)
        serial = token["signer_infos"][0]["sid"].chosen["serial_number"].native
        used = next(c.chosen for c in token["certificates"] if c.chosen.serial_number == serial)
        assert hashlib.sha256(used.dump()).hexdigest() == outside_sha256
    # offline, with the portal CA and the outside TSA's root as the only trust anchors
    roots = [*trust_roots(db.session), outside.ca_cert_pem]
    assert [r.indication for r in signing.long_term_validation(pdf, roots)] == ["PASSED"] * 3
    in_2040 = signing.long_term_validation(pdf, roots, at=datetime(2040, 1, 1, tzinfo=UTC))
    assert [r.indication for r in in_2040] == ["PASSED"] * 3, in_2040
    assert outside.requests["/crl"] >= 4  # at opening, at each signature, at entry into force
    in_dss = {hashlib.sha256(reader.get_object(ref.reference).data).hexdigest() for ref in _raw(reader)}
    assert {signing.certificate_sha256(outside.ca_cert_pem), outside_sha256} <= in_dss


def _raw(reader: PdfFileReader) -> list:
    certificates = reader.root["/DSS"]["/Certs"]
    return [certificates.raw_get(i) for i in range(len(certificates))]


def test_an_outside_tsa_without_revocation_data_stops_signing(db, factory, outside):
    agreement, _orgs, reps, _admin = factory.agreement(parties=2)
    document = agreement.main_document
    before = document.current_sha256
    outside.crl_down = True
    ctx = document_context()
    passphrase = unlock_signer(db.session, ctx.key_encryption_key, reps[0], "pw", utcnow(), ctx.pki_pointers)
    with pytest.raises(PortalError) as refused:
        documents.sign(db.session, ctx, agreement.main_document_id, reps[0], passphrase, "Tampere")
    assert (refused.value.code, refused.value.status) == ("timestamp_unavailable", 503)
    assert document.current_sha256 == before and not document.signatures
