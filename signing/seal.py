"""The portal's seal over a statement (the audit trail's head): a detached CMS signature
(SHA-256) with the seal key, carrying an RFC 3161 timestamp token, and its check. Also a local
time-stamping authority for when no outside TSA is configured: a TSA certificate issued by the
portal's CA and pyHanko's in-process time stamper. Bytes in, bytes and a small report out."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing.model import SignerKey
from signing.pades import DIGEST, simple_signer


@dataclass(frozen=True)
class SealCheck:
    """What a seal's check found: the signature intact, valid and trusted, by which certificate
    (SHA-256), and the time of its timestamp (None without one)."""

    intact: bool
    valid: bool
    trusted: bool
    certificate_sha256: str
    timestamp: datetime | None
    summary: str

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.timestamp is not None


def statement_bytes(statement: Mapping[str, object]) -> bytes:
    """The canonical bytes a seal signs: JSON, sorted keys, no spaces, UTF-8."""
    return json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def seal(data: bytes, key: SignerKey, timestamper: TimeStamper | None) -> bytes:
    """A detached CMS SignedData (DER) over `data` by `key`, with a signature timestamp token
    from `timestamper` when given."""
    signer = simple_signer(key)
    content = asyncio.run(
        signer.async_sign_general_data(data, DIGEST, detached=True, timestamper=timestamper)
    )
    return bytes(content.dump())


def check_seal(data: bytes, seal_der: bytes, trust_roots_pem: Sequence[bytes]) -> SealCheck:
    """Check `seal_der` over `data` against `trust_roots_pem` (the signer's and the TSA's roots);
    a broken seal gives a report, never an exception."""
    roots = [c for pem in trust_roots_pem for c in load_certs_from_pemder_data(pem)]
    try:
        signed_data = cms.ContentInfo.load(seal_der)["content"]
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        status = asyncio.run(
            async_validate_detached_cms(
                data,
                signed_data,
                signer_validation_context=context,
                ts_validation_context=ValidationContext(
                    trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
                ),
            )
        )
    except Exception as exc:  # noqa: BLE001 - any failure is a finding
        return SealCheck(False, False, False, "", None, f"{type(exc).__name__}: {exc}"[:300])
    token = status.timestamp_validity
    stamped = token.timestamp if token is not None and token.valid and token.trusted else None
    return SealCheck(
        bool(status.intact),
        bool(status.valid),
        bool(status.trusted),
        hashlib.sha256(status.signing_cert.dump()).hexdigest(),
        stamped,
        status.summary(),
    )


def local_timestamper(tsa: SignerKey) -> TimeStamper:
    """An in-process RFC 3161 time stamper with the portal's own TSA key and certificate."""
    private_key = load_private_key_from_pemder_data(tsa.private_key_pem, tsa.passphrase)
    certificate = next(iter(load_certs_from_pemder_data(tsa.certificate_pem)))
    chain = [c for pem in tsa.chain_pem for c in load_certs_from_pemder_data(pem)]
    return DummyTimeStamper(
        tsa_cert=certificate, tsa_key=private_key, certs_to_embed=SimpleCertificateStore.from_certs(chain)
    )


def issue_tsa_certificate(
    ca_key_pem: bytes,
    ca_passphrase: bytes | None,
    ca_cert_pem: bytes,
    *,
    common_name: str = "Sopu time-stamping authority",
    valid_days: int = 10 * 365,
) -> tuple[bytes, bytes]:
    """A time-stamping certificate (extended key usage timeStamping, critical) issued by the CA,
    for an RSA-3072 key (pyHanko's in-process stamper signs with RSA only).
    Returns (unencrypted key PEM, certificate PEM)."""
    ca_key = serialization.load_pem_private_key(ca_key_pem, password=ca_passphrase)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ValueError("the CA key must be an EC or RSA key")
    ca_cert = x509.load_pem_x509_certificate(ca_cert_pem)
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    now = datetime.now(UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FI"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sopu"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(min(now + timedelta(days=valid_days), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem, cert.public_bytes(serialization.Encoding.PEM)
