"""The portal's seal over a statement (the audit trail's head): a detached CMS signature
(SHA-256) with the seal key, carrying an RFC 3161 timestamp token, and its check. Also a local
time-stamping authority for when no outside TSA is configured: a TSA certificate issued by the
portal's CA and pyHanko's in-process time stamper. Bytes in, bytes and a small report out."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asn1crypto import algos, cms, core
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.sign import general
from pyhanko.sign.general import simple_cms_attribute
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from signing.ca import with_pointers
from signing.model import SignerKey, TokenKey
from signing.pades import DIGEST, simple_signer
from signing.pkcs11 import sign_in_token
from signing.pki import Pointers


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
    """An in-process RFC 3161 time stamper with the portal's own TSA key and certificate (made
    once per process and key: opening an RSA key checks it, which costs more than a signature);
    with `tsa.token`, an EC key in a PKCS#11 token signs each token's attributes."""
    if tsa.token is not None:
        return _token_timestamper(tsa.token, tsa.certificate_pem, tsa.chain_pem)
    return _local_timestamper(tsa.private_key_pem, tsa.passphrase, tsa.certificate_pem, tsa.chain_pem)


@functools.lru_cache(maxsize=4)
def _local_timestamper(
    key_pem: bytes, passphrase: bytes | None, certificate_pem: bytes, chain_pem: tuple[bytes, ...]
) -> TimeStamper:
    try:
        key = serialization.load_pem_private_key(
            key_pem, password=passphrase, unsafe_skip_rsa_key_validation=True
        )
    except (TypeError, ValueError) as exc:
        raise ValueError("the TSA key cannot be opened with this passphrase") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the TSA key must be an RSA key")
    certificate = next(iter(load_certs_from_pemder_data(certificate_pem)))
    chain = [c for pem in chain_pem for c in load_certs_from_pemder_data(pem)]
    return _KeyTimeStamper(key, certificate, SimpleCertificateStore.from_certs(chain))


@functools.lru_cache(maxsize=4)
def _token_timestamper(key: TokenKey, certificate_pem: bytes, chain_pem: tuple[bytes, ...]) -> TimeStamper:
    certificate = next(iter(load_certs_from_pemder_data(certificate_pem)))
    chain = [c for pem in chain_pem for c in load_certs_from_pemder_data(pem)]
    return _TokenTimeStamper(key, certificate, SimpleCertificateStore.from_certs(chain))


def _tst_signed_attributes(
    tsa_cert: asn1_x509.Certificate, tst_info_data: bytes, md_algorithm: str, dt: datetime
) -> cms.CMSAttributes:
    """The signed attributes of a timestamp token (as pyHanko's DummyTimeStamper makes them), for
    the stampers below that sign them with a key of their own."""
    digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
    digest.update(tst_info_data)
    return cms.CMSAttributes(
        [
            simple_cms_attribute("content_type", "tst_info"),
            simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
            simple_cms_attribute("signing_certificate", general.as_signing_certificate(tsa_cert)),
            simple_cms_attribute("message_digest", digest.finalize()),
        ]
    )


class _TokenTimeStamper(DummyTimeStamper):
    """pyHanko's in-process stamper with its key in a PKCS#11 token: the signed attributes are
    signed there (ecdsa-with-SHA256, or sha256WithRSAEncryption for an RSA key moved there)."""

    def __init__(
        self, key: TokenKey, certificate: asn1_x509.Certificate, chain: SimpleCertificateStore
    ) -> None:
        # the key in memory pyHanko's stamper would sign with is never used: _sign_tst_info is ours
        super().__init__(tsa_cert=certificate, tsa_key=None, certs_to_embed=chain)
        self._token_key = key

    def _sign_tst_info(
        self, tst_info_data: bytes, md_algorithm: str, dt: datetime
    ) -> tuple[bytes, cms.CMSAttributes]:
        signed_attrs = _tst_signed_attributes(self.tsa_cert, tst_info_data, md_algorithm, dt)
        return sign_in_token(self._token_key, signed_attrs.dump()), signed_attrs

    def _build_signed_data(
        self, tst_info_data: bytes, md_algorithm: str, signature: bytes, signed_attrs: cms.CMSAttributes
    ) -> dict[str, object]:
        signed_data: dict[str, object] = super()._build_signed_data(
            tst_info_data, md_algorithm, signature, signed_attrs
        )
        signer_infos = signed_data["signer_infos"]
        assert isinstance(signer_infos, list)
        rsa_key = self.tsa_cert.public_key.algorithm == "rsa"  # an RSA key moved into the token
        algorithm = "sha256_rsa" if rsa_key else "sha256_ecdsa"
        signer_infos[0]["signature_algorithm"] = algos.SignedDigestAlgorithm({"algorithm": algorithm})
        return signed_data


class _KeyTimeStamper(DummyTimeStamper):
    """pyHanko's in-process stamper, signing with a key opened once (pyHanko's own re-opens
    and re-checks the key for every token: a third of a second for RSA-3072)."""

    def __init__(
        self, key: rsa.RSAPrivateKey, certificate: asn1_x509.Certificate, chain: SimpleCertificateStore
    ) -> None:
        der = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        super().__init__(
            tsa_cert=certificate, tsa_key=asn1_keys.PrivateKeyInfo.load(der), certs_to_embed=chain
        )
        self._key = key

    def _sign_tst_info(
        self, tst_info_data: bytes, md_algorithm: str, dt: datetime
    ) -> tuple[bytes, cms.CMSAttributes]:
        signed_attrs = _tst_signed_attributes(self.tsa_cert, tst_info_data, md_algorithm, dt)
        signature = self._key.sign(
            signed_attrs.dump(), padding.PKCS1v15(), get_pyca_cryptography_hash(md_algorithm.upper())
        )
        return signature, signed_attrs


def issue_tsa_certificate(
    ca_key_pem: bytes,
    ca_passphrase: bytes | None,
    ca_cert_pem: bytes,
    *,
    common_name: str = "Sopu time-stamping authority",
    valid_days: int = 20 * 365,
    pointers: Pointers | None = None,
    public_key_pem: bytes | None = None,
) -> tuple[bytes, bytes]:
    """A time-stamping certificate (extended key usage timeStamping, critical) issued by the CA,
    for an RSA-3072 key (pyHanko's in-process stamper signs with RSA only), valid as long as the
    CA (its timestamps keep the signatures valid after theirs expire), naming the CA's CRL and
    OCSP responder with `pointers`. Returns (unencrypted key PEM, certificate PEM); with
    `public_key_pem` (an EC key in a PKCS#11 token) the certificate is for that key, key PEM empty."""
    ca_key = serialization.load_pem_private_key(ca_key_pem, password=ca_passphrase)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ValueError("the CA key must be an EC or RSA key")
    ca_cert = x509.load_pem_x509_certificate(ca_cert_pem)
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072) if public_key_pem is None else None
    public = key.public_key() if key is not None else serialization.load_pem_public_key(public_key_pem or b"")
    if not isinstance(public, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        raise ValueError("the TSA key must be an EC or RSA key")
    now = datetime.now(UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FI"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sopu"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(public)
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
    )
    if pointers is not None:
        builder = with_pointers(builder, pointers)
    cert = builder.sign(ca_key, hashes.SHA256())
    pem = (
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        if key is not None
        else b""
    )
    return pem, cert.public_bytes(serialization.Encoding.PEM)
