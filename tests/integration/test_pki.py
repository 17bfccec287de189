"""The portal CA's public endpoints and revocation (issue 10 item 1, first part): its certificate,
CRL and OCSP responder at stable URLs that its certificates name, and deactivation revoking a
person's certificate, seen by pyHanko's validator over HTTP on loopback."""

import asyncio
import base64

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtensionOID
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import RevokedError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from portal.appctx import document_context
from portal.auth.models import SigningCredential
from portal.auth.services import deactivate_user
from portal.authority.services import trust_roots, unlock_signer
from portal.documents import services as documents
from portal.timeutil import utcnow
from signing.pki import issuer_hashes
from tests.factories import sign_in
from tests.server import serve


def _sign(db, agreement, rep):
    ctx = document_context()
    documents.sign(
        db.session,
        ctx,
        agreement.main_document_id,
        rep,
        unlock_signer(db.session, ctx.key_encryption_key, rep, "pw", utcnow(), ctx.pki_pointers),
        "Tampere",
    )
    db.session.commit()
    credential = db.session.query(SigningCredential).filter_by(user_id=rep.id).one()
    return x509.load_pem_x509_certificate(credential.certificate_pem.encode())


def _ca(client) -> x509.Certificate:
    return x509.load_pem_x509_certificate(client.get("/pki/ca.pem").data)


def _ocsp_request(cert: x509.Certificate, issuer: x509.Certificate) -> bytes:
    return (
        ocsp.OCSPRequestBuilder()
        .add_certificate(cert, issuer, hashes.SHA256())
        .build()
        .public_bytes(Encoding.DER)
    )


def _ask(client, cert, issuer) -> ocsp.OCSPResponse:
    response = client.post(
        "/pki/ocsp", data=_ocsp_request(cert, issuer), headers={"Content-Type": "application/ocsp-request"}
    )
    assert response.status_code == 200 and response.mimetype == "application/ocsp-response"
    return ocsp.load_der_ocsp_response(response.data)


def test_the_ca_certificate_is_public_in_pem_and_der(app, client, db):
    pem = client.get("/pki/ca.pem")
    assert pem.status_code == 200 and pem.data == trust_roots(db.session)[0]
    der = client.get("/pki/ca.crt")
    assert der.mimetype == "application/pkix-cert"
    assert x509.load_der_x509_certificate(der.data) == x509.load_pem_x509_certificate(pem.data)


def test_a_representatives_certificate_names_the_portals_crl_and_ocsp(app, db, factory):
    agreement, _orgs, reps, _admin = factory.agreement(parties=2)
    cert = _sign(db, agreement, reps[0])
    base = app.config["PORTAL_BASE_URL"].rstrip("/")
    points = cert.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value
    assert points[0].full_name[0].value == f"{base}/pki/crl"
    access = cert.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_INFORMATION_ACCESS)
    assert {d.access_location.value for d in access.value} == {f"{base}/pki/ocsp", f"{base}/pki/ca.crt"}


def test_deactivation_ends_sessions_and_tokens_and_revokes_over_crl_and_ocsp(app, client, db, factory):
    agreement, _orgs, reps, _admin = factory.agreement(parties=2)
    cert = _sign(db, agreement, reps[0])
    issuer = _ca(client)
    assert _ask(client, cert, issuer).certificate_status is ocsp.OCSPCertStatus.GOOD
    crl = x509.load_der_x509_crl(client.get("/pki/crl").data)
    assert crl.is_signature_valid(issuer.public_key())
    assert crl.get_revoked_certificate_by_serial_number(cert.serial_number) is None

    signed_in = sign_in(app.test_client(), reps[0])
    deactivate_user(db.session, reps[0], None, utcnow())
    db.session.commit()

    answer = _ask(client, cert, issuer)
    assert answer.certificate_status is ocsp.OCSPCertStatus.REVOKED
    assert answer.revocation_reason is x509.ReasonFlags.cessation_of_operation
    crl = x509.load_der_x509_crl(client.get("/pki/crl").data)
    assert crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None
    assert signed_in.get("/").status_code == 302  # the session ended: back to sign-in
    assert (
        app.test_client().post("/login", data={"username": reps[0].username, "password": "pw"}).status_code
        == 422
    )


def test_ocsp_answers_the_get_form_and_refuses_garbage(client, db, factory):
    agreement, _orgs, reps, _admin = factory.agreement(parties=2)
    cert = _sign(db, agreement, reps[0])
    encoded = base64.b64encode(_ocsp_request(cert, _ca(client))).decode()
    answer = ocsp.load_der_ocsp_response(client.get(f"/pki/ocsp/{encoded}").data)
    assert answer.certificate_status is ocsp.OCSPCertStatus.GOOD
    for body in (b"", b"not a request", b"\x30\x82\xff\xff"):
        garbage = ocsp.load_der_ocsp_response(client.post("/pki/ocsp", data=body).data)
        assert garbage.response_status is ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    assert client.post("/pki/ocsp", data=b"x" * (17 * 1024)).status_code == 413


def test_an_unknown_serial_is_unknown(client, db):
    issuer = _ca(client)
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate_by_hash(*_issuer_hashes(issuer), 424242, hashes.SHA256())
        .build()
        .public_bytes(Encoding.DER)
    )
    answer = ocsp.load_der_ocsp_response(client.post("/pki/ocsp", data=request).data)
    assert answer.certificate_status is ocsp.OCSPCertStatus.UNKNOWN


def _issuer_hashes(issuer: x509.Certificate) -> tuple[bytes, bytes]:
    return issuer_hashes(issuer, hashes.SHA256())


@pytest.fixture
def served(app, db, config_override):
    """The app on loopback, with PORTAL_BASE_URL pointing at it so that new certificates name
    this server's CRL and OCSP URLs."""
    with serve(app) as base_url:
        config_override(PORTAL_BASE_URL=base_url)
        yield base_url


def _validate(cert: x509.Certificate, root_pem: bytes) -> None:
    root = asn1_x509.Certificate.load(x509.load_pem_x509_certificate(root_pem).public_bytes(Encoding.DER))
    context = ValidationContext(trust_roots=[root], allow_fetching=True, revocation_mode="require")
    validator = CertificateValidator(
        asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)),
        validation_context=context,
        intermediate_certs=SimpleCertificateStore(),
    )
    asyncio.run(validator.async_validate_usage({"digital_signature"}))


@pytest.mark.committing  # the app answers on loopback, in a thread
def test_pyhanko_sees_the_revocation_over_ocsp_on_loopback(app, db, factory, served):
    agreement, _orgs, reps, _admin = factory.agreement(parties=2)
    cert = _sign(db, agreement, reps[0])
    root_pem = trust_roots(db.session)[0]
    _validate(cert, root_pem)  # good: fetched over HTTP from this portal's /pki/ocsp
    deactivate_user(db.session, reps[0], None, utcnow())
    db.session.commit()
    with pytest.raises(RevokedError):
        _validate(cert, root_pem)


def test_the_cli_deactivates_a_person(app, db, factory):
    agreement, _orgs, reps, _admin = factory.agreement(parties=2)
    cert = _sign(db, agreement, reps[0])
    result = app.test_cli_runner().invoke(args=["admin", "deactivate-user", "--username", reps[0].email])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    credential = db.session.query(SigningCredential).filter_by(user_id=reps[0].id).one()
    assert credential.revoked_at is not None
    assert int(credential.certificate_serial, 16) == cert.serial_number
    missing = app.test_cli_runner().invoke(args=["admin", "deactivate-user", "--username", "nobody"])
    assert missing.exit_code != 0 and "nobody" in missing.output
