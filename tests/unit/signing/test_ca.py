"""The portal's CA: certificate contents, key encryption, business IDs."""

from __future__ import annotations

import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import signing
from signing.ca import DOCUMENT_SIGNING, ORGANIZATION_IDENTIFIER


@pytest.fixture(scope="module")
def root():
    return signing.create_authority("Sopu CA", "Sopu")


def load(pem: bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem)


def test_the_root_is_a_self_signed_ec_ca(root):
    key_pem, cert_pem = root
    cert = load(cert_pem)
    assert cert.subject == cert.issuer
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Sopu CA"
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign and not usage.digital_signature
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert cert.public_key().curve.name == "secp256r1"
    cert.verify_directly_issued_by(cert)
    assert b"ENCRYPTED" not in key_pem and key_pem.startswith(b"-----BEGIN PRIVATE KEY-----")


def test_a_representatives_certificate(root):
    ca_key, ca_cert = root
    key_pem, cert_pem = signing.issue_certificate(
        ca_key,
        None,
        ca_cert,
        person_name="Maija Meikäläinen",
        organisation="Tampereen kaupunki",
        business_id="0211675-2",
        email="maija.meikalainen@tampere.fi",
    )
    cert = load(cert_pem)
    cert.verify_directly_issued_by(load(ca_cert))
    subject = cert.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Maija Meikäläinen"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ("Tampereen kaupunki")
    assert subject.get_attributes_for_oid(ORGANIZATION_IDENTIFIER)[0].value == "NTRFI-0211675-2"
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER) == []
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == ["maija.meikalainen@tampere.fi"]
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert set(eku) == {ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING}
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert cert.not_valid_after_utc <= load(ca_cert).not_valid_after_utc
    assert signing.business_id_of(cert_pem) == "0211675-2"
    private = serialization.load_pem_private_key(key_pem, None)
    assert private.public_key().public_numbers() == cert.public_key().public_numbers()


def test_the_seal_certificate_names_the_portal(root):
    ca_key, ca_cert = root
    _key, cert_pem = signing.issue_seal_certificate(ca_key, None, ca_cert)
    subject = load(cert_pem).subject
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Sopu"
    assert signing.business_id_of(cert_pem) is None


def test_an_encrypted_ca_key_issues_too(root):
    ca_key, ca_cert = root
    encrypted = signing.encrypt_private_key(ca_key, b"ca secret")
    _key, cert_pem = signing.issue_seal_certificate(encrypted, b"ca secret", ca_cert)
    load(cert_pem).verify_directly_issued_by(load(ca_cert))


def test_an_invalid_business_id_is_not_certified(root):
    ca_key, ca_cert = root
    with pytest.raises(ValueError):
        signing.issue_certificate(
            ca_key,
            None,
            ca_cert,
            person_name="X",
            organisation="Y",
            business_id="0211675-3",
            email="x@example.fi",
        )


def test_private_key_encryption_round_trip(root):
    key_pem, _ = root
    encrypted = signing.encrypt_private_key(key_pem, b"correct horse")
    assert encrypted.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert signing.decrypt_private_key(encrypted, b"correct horse") == key_pem
    with pytest.raises(ValueError):
        signing.decrypt_private_key(encrypted, b"wrong horse")


def test_certificate_fingerprint(root):
    _, cert_pem = root
    der = load(cert_pem).public_bytes(serialization.Encoding.DER)
    assert signing.certificate_sha256(cert_pem) == hashlib.sha256(der).hexdigest()
    assert len(signing.certificate_sha256(cert_pem)) == 64


@pytest.mark.parametrize(
    "value",
    [
        "0211675-2",  # 0*7+2*9+1*10+1*5+6*8+7*4+5*2 = 119, 119 % 11 = 9, 11 - 9 = 2
        "0157566-6",  # remainder 5 -> 6
        "0000000-0",  # remainder 0 -> 0
        "2046342-4",
        "1234567-1",  # remainder 10 -> 1
        "0100002-9",
    ],
)
def test_valid_business_ids(value):
    assert signing.valid_business_id(value)


@pytest.mark.parametrize(
    "value",
    [
        "0157566-8",  # wrong check digit (6 is right)
        "0211675-3",
        "1234567-2",  # 1234567-1 is right (remainder 10)
        "1111111-0",  # 7+9+10+5+8+4+2 = 45, remainder 1: no ID has these seven digits
        "1111111-1",
        "211675-2",
        "02116752",
        "0211675 2",
        "0211675-22",
        "",
        "abcdefg-h",
        " 0211675-2",
    ],
)
def test_invalid_business_ids(value):
    assert not signing.valid_business_id(value)


def test_over_long_names_are_cut_to_what_x520_allows(root):
    ca_key, ca_cert = root
    long_name = "Pohjois-Pirkanmaan ympäristöterveydenhuollon kuntayhtymän " * 3
    _key, cert_pem = signing.issue_certificate(
        ca_key,
        None,
        ca_cert,
        person_name="Maija " * 20,
        organisation=long_name,
        business_id="0211675-2",
        email="maija@example.fi",
    )
    subject = load(cert_pem).subject
    organisation = subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    assert organisation.startswith("Pohjois-Pirkanmaan ympäristö") and organisation.endswith("…")
    assert len(organisation.encode()) <= 64
    assert len(subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value.encode()) <= 64
