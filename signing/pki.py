"""The portal CA's revocation services, as pure functions: a certificate revocation list (RFC
5280) and OCSP responses (RFC 6960), both signed by the CA itself. Bytes and dataclasses in, DER
out: the portal serves them at stable URLs (/pki/crl, /pki/ocsp) that its certificates name."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from asn1crypto import keys as asn1_keys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import ocsp

#: how long a CRL or an OCSP answer may be relied on before asking again
CRL_VALIDITY = timedelta(days=1)
OCSP_VALIDITY = timedelta(hours=12)


@dataclass(frozen=True)
class Pointers:
    """Where a certificate's relying parties find the CA's certificate, its CRL and its OCSP
    responder (AIA caIssuers, CRL distribution point, AIA OCSP)."""

    ca_issuers_url: str
    crl_url: str
    ocsp_url: str

    @classmethod
    def under(cls, base_url: str) -> Pointers:
        """The portal's own pointers under its public address, e.g. https://sopu.example.fi."""
        base = base_url.rstrip("/")
        return cls(f"{base}/pki/ca.crt", f"{base}/pki/crl", f"{base}/pki/ocsp")


class CertificateStatus(StrEnum):
    good = "good"
    revoked = "revoked"
    unknown = "unknown"


@dataclass(frozen=True)
class Revocation:
    """A revoked certificate of the CA: its serial, when it was revoked (tz-aware) and why
    (an RFC 5280 reason name such as "cessation_of_operation", "superseded", "key_compromise")."""

    serial: int
    revoked_at: datetime
    reason: str = "unspecified"


@dataclass(frozen=True)
class CertificateState:
    """What the CA knows of one serial number."""

    status: CertificateStatus
    revocation: Revocation | None = None


def certificate_revocation_list(
    ca_key_pem: bytes,
    ca_passphrase: bytes | None,
    ca_cert_pem: bytes,
    revoked: Iterable[Revocation],
    *,
    now: datetime,
    number: int,
) -> bytes:
    """The CA's CRL (DER) listing `revoked`, valid from `now` for CRL_VALIDITY; `number` is the
    CRL number (monotonic: e.g. the count of revocations so far)."""
    ca_key, ca_cert = _ca(ca_key_pem, ca_passphrase, ca_cert_pem)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now)
        .next_update(now + CRL_VALIDITY)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(_ec_or_rsa(ca_cert.public_key())),
            critical=False,
        )
    )
    for item in revoked:
        entry = x509.RevokedCertificateBuilder().serial_number(item.serial).revocation_date(item.revoked_at)
        if item.reason != "unspecified":
            entry = entry.add_extension(x509.CRLReason(x509.ReasonFlags[item.reason]), critical=False)
        builder = builder.add_revoked_certificate(entry.build())
    return builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def ocsp_response(
    request_der: bytes,
    ca_key_pem: bytes,
    ca_passphrase: bytes | None,
    ca_cert_pem: bytes,
    lookup: Callable[[int], CertificateState],
    *,
    now: datetime,
    draft_cert_pem: bytes | None = None,
) -> bytes:
    """An OCSP response (DER) to `request_der`, signed by the CA. A request that cannot be parsed
    gets MALFORMED_REQUEST; one about another issuer UNAUTHORIZED; otherwise the status `lookup`
    gives for the serial (good, revoked with time and reason, unknown), with the request's nonce
    echoed. With `draft_cert_pem` (a certificate of the throwaway key given in place of the
    CA's, see signing.pkcs11.resign_ocsp) the answer is a draft naming and signed by that key."""
    try:
        request = ocsp.load_der_ocsp_request(request_der)
    except ValueError:
        return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    ca_key, ca_cert = _ca(ca_key_pem, ca_passphrase, ca_cert_pem)
    algorithm = request.hash_algorithm
    if (request.issuer_name_hash, request.issuer_key_hash) != issuer_hashes(ca_cert, algorithm):
        return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    state = lookup(request.serial_number)
    signer_cert = x509.load_pem_x509_certificate(draft_cert_pem) if draft_cert_pem else ca_cert
    revocation = state.revocation if state.status is CertificateStatus.revoked else None
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response_by_hash(
            issuer_name_hash=request.issuer_name_hash,
            issuer_key_hash=request.issuer_key_hash,
            serial_number=request.serial_number,
            algorithm=algorithm,
            cert_status=_OCSP_STATUS[state.status],
            this_update=now,
            next_update=now + OCSP_VALIDITY,
            revocation_time=revocation.revoked_at if revocation else None,
            revocation_reason=(
                x509.ReasonFlags[revocation.reason]
                if revocation and revocation.reason != "unspecified"
                else None
            ),
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, signer_cert)
        .certificates([signer_cert])
    )
    for extension in request.extensions:
        if isinstance(extension.value, x509.OCSPNonce):
            builder = builder.add_extension(extension.value, critical=False)
    return builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def issuer_hashes(ca_cert: x509.Certificate, algorithm: hashes.HashAlgorithm) -> tuple[bytes, bytes]:
    """The CertID hashes of an issuer: of its subject name's DER and of its public key's bits."""
    name_der = ca_cert.subject.public_bytes()
    spki = asn1_keys.PublicKeyInfo.load(
        ca_cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    key_bits = spki["public_key"].contents[1:]  # the BIT STRING's content after its pad byte
    return (hashlib.new(algorithm.name, name_der).digest(), hashlib.new(algorithm.name, key_bits).digest())


def certificate_serial(certificate_pem: bytes) -> int:
    return x509.load_pem_x509_certificate(certificate_pem).serial_number


_OCSP_STATUS = {
    CertificateStatus.good: ocsp.OCSPCertStatus.GOOD,
    CertificateStatus.revoked: ocsp.OCSPCertStatus.REVOKED,
    CertificateStatus.unknown: ocsp.OCSPCertStatus.UNKNOWN,
}


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)


def _ca(
    ca_key_pem: bytes, ca_passphrase: bytes | None, ca_cert_pem: bytes
) -> tuple[ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, x509.Certificate]:
    key = serialization.load_pem_private_key(ca_key_pem, password=ca_passphrase)
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ValueError("the CA key must be an EC or RSA key")
    return key, x509.load_pem_x509_certificate(ca_cert_pem)


def _ec_or_rsa(key: object) -> ec.EllipticCurvePublicKey | rsa.RSAPublicKey:
    if not isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        raise ValueError("the CA key must be an EC or RSA key")
    return key
