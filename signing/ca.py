"""The portal's own certification authority: a root, the signers' certificates and the portal's
document seal. Keys are EC P-256: fast to generate on first use (a signer's certificate is issued
while they wait), small signatures, and accepted by pyHanko, poppler/NSS and Adobe alike."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import (
    AuthorityInformationAccessOID,
    ExtendedKeyUsageOID,
    NameOID,
    ObjectIdentifier,
)

from signing.pki import Pointers

ORGANIZATION_IDENTIFIER = ObjectIdentifier("2.5.4.97")
DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning, RFC 9336
NTR_PREFIX = "NTRFI-"  # ETSI EN 319 412-1: national trade register, Finland
_BUSINESS_ID = re.compile(r"\d{7}-\d")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
_BACKDATE = timedelta(minutes=5)  # tolerate small clock differences between machines


def business_id_check_digit(first_seven: str) -> int | None:
    """The check digit of a business ID's seven digits, or None where none is valid (remainder 1)."""
    remainder = sum(int(d) * w for d, w in zip(first_seven, _WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


def valid_business_id(value: str) -> bool:
    """True for a well-formed Finnish business ID (Y-tunnus) with a correct check digit."""
    if not isinstance(value, str) or not _BUSINESS_ID.fullmatch(value):
        return False
    return business_id_check_digit(value[:7]) == int(value[8])


def certificate_sha256(certificate_pem: bytes) -> str:
    """Lower-case hex SHA-256 fingerprint of the certificate's DER encoding."""
    cert = x509.load_pem_x509_certificate(certificate_pem)
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def business_id_of(certificate_pem: bytes) -> str | None:
    """The business ID in the subject: organizationIdentifier "NTRFI-<id>" (or a bare valid ID),
    else a subject serialNumber that is a valid business ID; None when there is none."""
    return business_id_of_name(x509.load_pem_x509_certificate(certificate_pem).subject)


def business_id_of_name(subject: x509.Name) -> str | None:
    """business_id_of() for an already parsed subject name."""
    for oid in (ORGANIZATION_IDENTIFIER, NameOID.SERIAL_NUMBER):
        for attribute in subject.get_attributes_for_oid(oid):
            value = str(attribute.value).strip()
            value = value.removeprefix(NTR_PREFIX)
            if valid_business_id(value):
                return value
    return None


def encrypt_private_key(private_key_pem: bytes, passphrase: bytes) -> bytes:
    """Re-encode an unencrypted PEM key as encrypted PKCS#8 PEM (best available encryption)."""
    key = serialization.load_pem_private_key(private_key_pem, password=None)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )


def decrypt_private_key(pem: bytes, passphrase: bytes) -> bytes:
    """Unencrypted PKCS#8 PEM of an encrypted key; raises ValueError on a wrong passphrase."""
    try:
        key = serialization.load_pem_private_key(pem, password=passphrase)
    except (TypeError, ValueError) as exc:
        raise ValueError("wrong passphrase or not an encrypted private key") from exc
    return _pem(key)


def create_authority(common_name: str = "Sopu CA", organisation: str = "Sopu") -> tuple[bytes, bytes]:
    """A self-signed root valid for 20 years: (unencrypted PKCS#8 key PEM, certificate PEM)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FI"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _bounded(organisation)),
            x509.NameAttribute(NameOID.COMMON_NAME, _bounded(common_name)),
        ]
    )
    builder = _base_builder(name, name, key.public_key(), 20 * 365)
    builder = (
        builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
    )
    cert = builder.sign(key, hashes.SHA256())
    return _pem(key), cert.public_bytes(serialization.Encoding.PEM)


def issue_certificate(
    ca_key_pem: bytes,
    ca_passphrase: bytes | None,
    ca_cert_pem: bytes,
    *,
    person_name: str,
    organisation: str,
    business_id: str,
    email: str,
    valid_days: int = 3 * 365,
    pointers: Pointers | None = None,
) -> tuple[bytes, bytes]:
    """A representative's signing certificate: CN=person, O=organisation, organizationIdentifier
    NTRFI-<business id>, e-mail in the SAN, and (with `pointers`) where its CA's certificate,
    CRL and OCSP responder are. Returns (unencrypted key PEM, certificate PEM)."""
    if not valid_business_id(business_id):
        raise ValueError(f"not a valid business ID: {business_id!r}")
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FI"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _bounded(organisation)),
            x509.NameAttribute(ORGANIZATION_IDENTIFIER, NTR_PREFIX + business_id),
            x509.NameAttribute(NameOID.COMMON_NAME, _bounded(person_name)),
        ]
    )
    san = x509.SubjectAlternativeName([x509.RFC822Name(email)])
    return _issue(ca_key_pem, ca_passphrase, ca_cert_pem, subject, valid_days, san, pointers)


def issue_seal_certificate(
    ca_key_pem: bytes,
    ca_passphrase: bytes | None,
    ca_cert_pem: bytes,
    *,
    common_name: str = "Sopu document seal",
    organisation: str = "Sopu",
    valid_days: int = 10 * 365,
    pointers: Pointers | None = None,
    public_key_pem: bytes | None = None,
) -> tuple[bytes, bytes]:
    """The portal's own seal for certification signatures (O=Sopu, no person).
    Returns (unencrypted key PEM, certificate PEM); with `public_key_pem` (a key kept elsewhere,
    e.g. in a PKCS#11 token) the certificate is for that key and the key PEM is empty."""
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FI"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _bounded(organisation)),
            x509.NameAttribute(NameOID.COMMON_NAME, _bounded(common_name)),
        ]
    )
    public: ec.EllipticCurvePublicKey | None = None
    if public_key_pem is not None:
        loaded = serialization.load_pem_public_key(public_key_pem)
        if not isinstance(loaded, ec.EllipticCurvePublicKey):
            raise ValueError("the seal key must be an EC key")
        public = loaded
    return _issue(ca_key_pem, ca_passphrase, ca_cert_pem, subject, valid_days, None, pointers, public)


def _issue(
    ca_key_pem: bytes,
    ca_passphrase: bytes | None,
    ca_cert_pem: bytes,
    subject: x509.Name,
    valid_days: int,
    san: x509.SubjectAlternativeName | None,
    pointers: Pointers | None,
    public: ec.EllipticCurvePublicKey | None = None,
) -> tuple[bytes, bytes]:
    ca_key = serialization.load_pem_private_key(ca_key_pem, password=ca_passphrase)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ValueError("the CA key must be an EC or RSA key")
    ca_cert = x509.load_pem_x509_certificate(ca_cert_pem)
    key = ec.generate_private_key(ec.SECP256R1()) if public is None else None
    subject_public = key.public_key() if key is not None else public
    if subject_public is None:
        raise ValueError("no key to certify")
    not_after = min(_now() + timedelta(days=valid_days), ca_cert.not_valid_after_utc)
    builder = _base_builder(subject, ca_cert.subject, subject_public, valid_days, not_after)
    builder = (
        builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
    )
    if san is not None:
        builder = builder.add_extension(san, critical=False)
    if pointers is not None:
        builder = with_pointers(builder, pointers)
    cert = builder.sign(ca_key, hashes.SHA256())
    return (_pem(key) if key is not None else b""), cert.public_bytes(serialization.Encoding.PEM)


def with_pointers(builder: x509.CertificateBuilder, pointers: Pointers) -> x509.CertificateBuilder:
    """CRL distribution point and authority information access (OCSP, caIssuers)."""
    crl = x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(pointers.crl_url)],
        relative_name=None,
        reasons=None,
        crl_issuer=None,
    )
    aia = x509.AuthorityInformationAccess(
        [
            x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(pointers.ocsp_url)
            ),
            x509.AccessDescription(
                AuthorityInformationAccessOID.CA_ISSUERS,
                x509.UniformResourceIdentifier(pointers.ca_issuers_url),
            ),
        ]
    )
    return builder.add_extension(x509.CRLDistributionPoints([crl]), critical=False).add_extension(
        aia, critical=False
    )


def _base_builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    valid_days: int,
    not_after: datetime | None = None,
) -> x509.CertificateBuilder:
    now = _now()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(not_after or now + timedelta(days=valid_days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _bounded(value: str, limit: int = 64) -> str:
    """CN and O are capped at 64 (cryptography counts UTF-8 bytes); longer names are cut
    rather than refused."""
    value = " ".join(value.split())
    if not value:
        raise ValueError("a certificate name must not be empty")
    if len(value.encode()) <= limit:
        return value
    while len(value.encode()) > limit - len("…".encode()):
        value = value[:-1]
    return value.rstrip() + "…"


def _pem(key: PrivateKeyTypes) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
