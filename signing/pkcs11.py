"""Keys in a PKCS#11 token (an HSM, or SoftHSM2 in the tests): the CA's and the seal's private
keys never leave it. A key is named by the module, the token's label, its PIN and the key's
label; pyHanko signs PDFs with it (PKCS11Signer), and certificates are issued with it by
re-signing a certificate drawn with cryptography (whose builder needs a key object in memory):
its TBS part is given the CA's key identifier and signed in the token (ECDSA P-256 over its
SHA-256 digest). CRLs and OCSP answers are drawn the same way (signed by a throwaway key, then
their signed part re-signed in the token). The portal names its token with PORTAL_PKCS11_MODULE,
..._TOKEN_LABEL and ..._PIN (portal/authority/keysource.py)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pkcs11
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from pkcs11.util.ec import (
    decode_ec_private_key,
    encode_ec_public_key,
    encode_ecdsa_signature,
    encode_named_curve_parameters,
)
from pkcs11.util.rsa import decode_rsa_private_key
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.sign.pkcs11 import PKCS11Signer

from signing.model import TokenKey

#: one logged-in session per (module, token): a token's login is shared by all of a process's
#: sessions, so a second login would be refused (CKR_USER_ALREADY_LOGGED_IN)
_SESSIONS: dict[tuple[str, str], Any] = {}
_LOCK = threading.Lock()


def _session(key: TokenKey) -> Any:
    with _LOCK:
        return _session_unlocked(key)


def _session_unlocked(key: TokenKey) -> Any:
    found = _SESSIONS.get((key.module, key.token_label))
    if found is None:
        token = pkcs11.lib(key.module).get_token(token_label=key.token_label)
        found = token.open(rw=True, user_pin=key.pin)
        _SESSIONS[(key.module, key.token_label)] = found
    return found


def generate_key(key: TokenKey) -> bytes:
    """Generate an EC P-256 key pair in the token under `key.key_label`; the public key's PEM."""
    with _LOCK:
        session = _session_unlocked(key)
        if list(session.get_objects({pkcs11.Attribute.LABEL: key.key_label})):
            # a second key of the label would make every later use ambiguous
            raise ValueError(f"the token already holds a key labelled {key.key_label!r}")
        parameters = session.create_domain_parameters(
            pkcs11.KeyType.EC,
            {pkcs11.Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")},
            local=True,
        )
        public, _private = parameters.generate_keypair(store=True, label=key.key_label)
        der = encode_ec_public_key(public)
    return serialization.load_der_public_key(der).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def import_key(key: TokenKey, private_key_pem: bytes, passphrase: bytes | None) -> None:
    """Put an existing EC or RSA private key (PEM, encrypted with `passphrase`) into the token
    under `key.key_label`: sensitive, not extractable, for signing only. A key the token already
    holds under that label is left as it is when it is this very key (a move run again) and
    refused otherwise. Raises ValueError."""
    private = serialization.load_pem_private_key(private_key_pem, password=passphrase)
    if isinstance(private, ec.EllipticCurvePrivateKey):
        if not isinstance(private.curve, ec.SECP256R1):
            raise ValueError("only EC P-256 keys are moved into a token")
        attributes = decode_ec_private_key(
            private.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL, _NONE
            )
        )
    elif isinstance(private, rsa.RSAPrivateKey):
        attributes = decode_rsa_private_key(
            private.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL, _NONE
            )
        )
    else:
        raise ValueError("only EC and RSA keys are moved into a token")
    attributes |= {
        pkcs11.Attribute.LABEL: key.key_label,
        pkcs11.Attribute.TOKEN: True,
        pkcs11.Attribute.PRIVATE: True,
        pkcs11.Attribute.SENSITIVE: True,
        pkcs11.Attribute.EXTRACTABLE: False,
        pkcs11.Attribute.SIGN: True,
        pkcs11.Attribute.DECRYPT: False,
        pkcs11.Attribute.UNWRAP: False,
        pkcs11.Attribute.DERIVE: False,
    }
    with _LOCK:
        session = _session_unlocked(key)
        if list(session.get_objects({pkcs11.Attribute.LABEL: key.key_label})):
            return  # the caller's test signature tells whether it is this key
        session.create_object(attributes)


_NONE = serialization.NoEncryption()


def token_signer(key: TokenKey, certificate_pem: bytes, chain_pem: Sequence[bytes] = ()) -> PKCS11Signer:
    """A pyHanko signer for the token key with its certificate (and chain, embedded); the digest
    is made here and the token signs it with raw ECDSA (as SoftHSM2 and most tokens allow)."""
    session = _session(key)
    certificate = next(iter(load_certs_from_pemder_data(certificate_pem)))
    chain = [c for pem in chain_pem for c in load_certs_from_pemder_data(pem)]
    return PKCS11Signer(
        session, signing_cert=certificate, ca_chain=chain, key_label=key.key_label, use_raw_mechanism=True
    )


def create_token_authority(ca: TokenKey, common_name: str = "Sopu CA", organisation: str = "Sopu") -> bytes:
    """A self-signed CA certificate (PEM) for a key generated in the token now."""
    public = _public_key(generate_key(ca))
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FI"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.now(UTC).replace(microsecond=0)
    draft = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=20 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(ec.generate_private_key(ec.SECP256R1()), hashes.SHA256())
    )
    return _resign(
        draft.public_bytes(serialization.Encoding.DER),
        ca,
        x509.SubjectKeyIdentifier.from_public_key(public).digest,
    )


def certify_with_token(draft_pem: bytes, ca: TokenKey, ca_cert_pem: bytes) -> bytes:
    """`draft_pem` (a certificate drawn and signed by any EC P-256 key in memory, with the
    CA's name as issuer) re-issued by the token's CA key: its authority key identifier set to
    the CA's and its signature made in the token. Returns the certificate's PEM."""
    ca_cert = x509.load_pem_x509_certificate(ca_cert_pem)
    ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    draft = x509.load_pem_x509_certificate(draft_pem)
    if draft.issuer != ca_cert.subject:
        raise ValueError("the draft's issuer is not the CA")
    return _resign(draft.public_bytes(serialization.Encoding.DER), ca, ski)


def issue_for_token_key(
    ca: TokenKey, ca_cert_pem: bytes, subject_key: TokenKey, subject: x509.Name, valid_days: int = 10 * 365
) -> bytes:
    """A certificate (PEM) issued by the token CA for another key generated in the token now
    (the seal's, the TSA's): document signing, no CA rights."""
    public = _public_key(generate_key(subject_key))
    ca_cert = x509.load_pem_x509_certificate(ca_cert_pem)
    now = datetime.now(UTC).replace(microsecond=0)
    draft = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(min(now + timedelta(days=valid_days), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(ec.generate_private_key(ec.SECP256R1()), hashes.SHA256())
    )
    return certify_with_token(draft.public_bytes(serialization.Encoding.PEM), ca, ca_cert_pem)


def _public_key(pem: bytes) -> ec.EllipticCurvePublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ValueError("an EC key was expected")
    return key


def _resign(draft_der: bytes, ca: TokenKey, authority_key_id: bytes) -> bytes:
    certificate = asn1_x509.Certificate.load(draft_der)
    tbs = certificate["tbs_certificate"]
    extensions = []
    for extension in tbs["extensions"]:
        if extension["extn_id"].native == "authority_key_identifier":
            extension = asn1_x509.Extension(
                {
                    "extn_id": "authority_key_identifier",
                    "critical": False,
                    "extn_value": asn1_x509.AuthorityKeyIdentifier({"key_identifier": authority_key_id}),
                }
            )
        extensions.append(extension)
    tbs = asn1_x509.TbsCertificate(
        {
            **{
                k: tbs[k]
                for k in (
                    "version",
                    "serial_number",
                    "signature",
                    "issuer",
                    "validity",
                    "subject",
                    "subject_public_key_info",
                )
            },
            "extensions": asn1_x509.Extensions(extensions),
        }
    )
    signed = asn1_x509.Certificate(
        {
            "tbs_certificate": tbs,
            "signature_algorithm": certificate["signature_algorithm"],
            "signature_value": sign_in_token(ca, tbs.dump()),
        }
    )
    return x509.load_der_x509_certificate(signed.dump()).public_bytes(serialization.Encoding.PEM)


def sign_in_token(key: TokenKey, data: bytes) -> bytes:
    """The signature of `data` by the token's key: for an EC key DER ECDSA-with-SHA256 (raw
    ECDSA over the SHA-256 digest, what every token offers: SoftHSM2 has no CKM_ECDSA_SHA256),
    for an RSA key (a TSA key moved into the token) PKCS#1 v1.5 with SHA-256."""
    with _LOCK:
        private: Any = _session_unlocked(key).get_key(
            object_class=pkcs11.ObjectClass.PRIVATE_KEY, label=key.key_label
        )
        if private.key_type == pkcs11.KeyType.RSA:
            return bytes(private.sign(data, mechanism=pkcs11.Mechanism.SHA256_RSA_PKCS))
        raw: bytes = private.sign(hashlib.sha256(data).digest(), mechanism=pkcs11.Mechanism.ECDSA)
    return bytes(encode_ecdsa_signature(raw))


def draft_key_pem() -> bytes:
    """A throwaway EC P-256 key (unencrypted PKCS#8 PEM) to draw a certificate, CRL or OCSP
    answer with before the token re-signs it; its signature is replaced, it signs nothing kept."""
    return ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def draft_signer() -> tuple[bytes, bytes]:
    """A throwaway key and a self-signed certificate for it (PEMs): what draws an OCSP answer
    (whose builder wants the signer's certificate) before resign_ocsp()."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "draft")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return (
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        certificate.public_bytes(serialization.Encoding.PEM),
    )


def resign_crl(crl_der: bytes, ca: TokenKey) -> bytes:
    """A CRL drawn with a throwaway key (with the CA's name and key identifier) signed by the
    token's CA key instead (DER)."""
    drawn = asn1_crl.CertificateList.load(crl_der)
    tbs = drawn["tbs_cert_list"]
    return bytes(
        asn1_crl.CertificateList(
            {
                "tbs_cert_list": tbs,
                "signature_algorithm": drawn["signature_algorithm"],
                "signature": sign_in_token(ca, tbs.dump()),
            }
        ).dump()
    )


def resign_ocsp(response_der: bytes, ca: TokenKey, ca_cert_pem: bytes) -> bytes:
    """An OCSP answer drawn with draft_signer()'s key and certificate, made the CA's: its
    responder named by the CA key's hash, the CA's certificate embedded, and signed by the
    token's CA key (DER). An unsuccessful answer carries no signature: returned as it is."""
    drawn = asn1_ocsp.OCSPResponse.load(response_der)
    if drawn["response_status"].native != "successful":
        return response_der
    basic = drawn["response_bytes"]["response"].parsed
    ca_cert = asn1_x509.Certificate.load(
        x509.load_pem_x509_certificate(ca_cert_pem).public_bytes(serialization.Encoding.DER)
    )
    drawn_tbs = basic["tbs_response_data"]
    fields = {
        "version": drawn_tbs["version"],
        "responder_id": asn1_ocsp.ResponderId({"by_key": ca_cert.public_key.sha1}),
        "produced_at": drawn_tbs["produced_at"],
        "responses": drawn_tbs["responses"],
    }
    if drawn_tbs["response_extensions"].native is not None:
        fields["response_extensions"] = drawn_tbs["response_extensions"]
    tbs = asn1_ocsp.ResponseData(fields)
    signed = asn1_ocsp.BasicOCSPResponse(
        {
            "tbs_response_data": tbs,
            "signature_algorithm": basic["signature_algorithm"],
            "signature": sign_in_token(ca, tbs.dump()),
            "certs": [ca_cert],
        }
    )
    return bytes(
        asn1_ocsp.OCSPResponse(
            {
                "response_status": "successful",
                "response_bytes": {"response_type": "basic_ocsp_response", "response": signed},
            }
        ).dump()
    )
