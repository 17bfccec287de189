"""The CA's revocation services: the pointers its certificates carry, its CRL and its OCSP
answers (RFC 5280, RFC 6960), read back with cryptography as a relying party would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID

import signing
from signing import CertificateStatus as Status

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
POINTERS = signing.Pointers.under("https://sopu.example.fi/")


@pytest.fixture(scope="module")
def ca():
    return signing.create_authority("Sopu CA", "Sopu")


@pytest.fixture(scope="module")
def person(ca):
    _key, cert = signing.issue_certificate(
        ca[0],
        None,
        ca[1],
        person_name="Maija Meikäläinen",
        organisation="Tampereen kaupunki",
        business_id="0211675-2",
        email="maija@example.fi",
        pointers=POINTERS,
    )
    return x509.load_pem_x509_certificate(cert)


def _ca_cert(ca) -> x509.Certificate:
    return x509.load_pem_x509_certificate(ca[1])


def test_a_certificate_says_where_its_crl_ocsp_and_issuer_are(person):
    points = person.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value
    assert [n.value for n in points[0].full_name] == ["https://sopu.example.fi/pki/crl"]
    access = person.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_INFORMATION_ACCESS)
    found = {d.access_method: d.access_location.value for d in access.value}
    assert found == {
        AuthorityInformationAccessOID.OCSP: "https://sopu.example.fi/pki/ocsp",
        AuthorityInformationAccessOID.CA_ISSUERS: "https://sopu.example.fi/pki/ca.crt",
    }


def test_a_certificate_without_pointers_has_none(ca):
    _key, cert = signing.issue_seal_certificate(ca[0], None, ca[1])
    extensions = x509.load_pem_x509_certificate(cert).extensions
    with pytest.raises(x509.ExtensionNotFound):
        extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS)


def test_the_crl_lists_the_revoked_certificates_signed_by_the_ca(ca, person):
    revoked = [
        signing.Revocation(person.serial_number, NOW - timedelta(hours=1), "cessation_of_operation"),
        signing.Revocation(12345, NOW - timedelta(days=3)),
    ]
    crl = x509.load_der_x509_crl(
        signing.certificate_revocation_list(ca[0], None, ca[1], revoked, now=NOW, number=2)
    )
    assert crl.is_signature_valid(_ca_cert(ca).public_key())
    assert crl.issuer == _ca_cert(ca).subject
    assert crl.next_update_utc == NOW + timedelta(days=1)
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 2
    entry = crl.get_revoked_certificate_by_serial_number(person.serial_number)
    assert entry is not None and entry.revocation_date_utc == NOW - timedelta(hours=1)
    reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    assert reason is x509.ReasonFlags.cessation_of_operation
    assert crl.get_revoked_certificate_by_serial_number(12345) is not None
    assert crl.get_revoked_certificate_by_serial_number(999) is None


def _request(cert: x509.Certificate, issuer: x509.Certificate, nonce: bytes | None = None) -> bytes:
    builder = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1())  # noqa: S303
    if nonce:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return builder.build().public_bytes(Encoding.DER)


def _answer(ca, request: bytes, state: signing.CertificateState) -> ocsp.OCSPResponse:
    return ocsp.load_der_ocsp_response(
        signing.ocsp_response(request, ca[0], None, ca[1], lambda serial: state, now=NOW)
    )


def test_ocsp_answers_good_for_a_valid_certificate_and_echoes_the_nonce(ca, person):
    answer = _answer(ca, _request(person, _ca_cert(ca), b"n" * 16), signing.CertificateState(Status.good))
    assert answer.response_status is ocsp.OCSPResponseStatus.SUCCESSFUL
    assert answer.certificate_status is ocsp.OCSPCertStatus.GOOD
    assert answer.serial_number == person.serial_number
    assert answer.next_update_utc == NOW + timedelta(hours=12)
    assert answer.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == b"n" * 16
    _ca_cert(ca).public_key().verify(answer.signature, answer.tbs_response_bytes, ec.ECDSA(hashes.SHA256()))


def test_ocsp_answers_revoked_with_time_and_reason(ca, person):
    revocation = signing.Revocation(person.serial_number, NOW - timedelta(minutes=5), "key_compromise")
    answer = _answer(ca, _request(person, _ca_cert(ca)), signing.CertificateState(Status.revoked, revocation))
    assert answer.certificate_status is ocsp.OCSPCertStatus.REVOKED
    assert answer.revocation_time_utc == NOW - timedelta(minutes=5)
    assert answer.revocation_reason is x509.ReasonFlags.key_compromise


def test_ocsp_answers_unknown_for_a_serial_the_ca_never_issued(ca, person):
    answer = _answer(ca, _request(person, _ca_cert(ca)), signing.CertificateState(Status.unknown))
    assert answer.certificate_status is ocsp.OCSPCertStatus.UNKNOWN


def test_ocsp_refuses_a_malformed_request_and_another_ca(ca, person):
    malformed = _answer(ca, b"\x30\x03junk", signing.CertificateState(Status.good))
    assert malformed.response_status is ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    other_key, other_cert = signing.create_authority("Other CA", "Other")
    _key, stranger = signing.issue_seal_certificate(other_key, None, other_cert)
    foreign = _answer(
        ca,
        _request(x509.load_pem_x509_certificate(stranger), x509.load_pem_x509_certificate(other_cert)),
        signing.CertificateState(Status.good),
    )
    assert foreign.response_status is ocsp.OCSPResponseStatus.UNAUTHORIZED
