"""Moving the authority's keys (the CA's, the seal's and the own TSA's) from the database, where
they are wrapped with the key-encryption key, into the PKCS#11 token PORTAL_PKCS11_MODULE names:
the same keys, so the CA and every certificate it issued stay as they are. Each key is put in
the token as sensitive and not extractable; its row's wrapped key is replaced by the token
marker only after a test signature made in the token verified against the row's certificate."""

from __future__ import annotations

import secrets
from enum import StrEnum

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from sqlalchemy.orm import Session

from portal.authority import keysource
from portal.authority.models import AuthorityKey
from portal.authority.services import _passphrase
from signing import pkcs11
from signing.model import TokenKey


class Moved(StrEnum):
    moved = "moved"
    already = "already in the token"
    absent = "not made yet"


def move_key_to_token(session: Session, key_encryption_key: str, name: str) -> Moved:
    """Move the authority key `name` ("ca", "seal" or "tsa") into the configured token (flushes,
    the caller commits). Raises LookupError without a token configured, ValueError when the
    token's key under the label does not sign as the certificate says (nothing changed then)."""
    if not keysource.token_configured():
        raise LookupError("no PKCS#11 token: set PORTAL_PKCS11_MODULE, _TOKEN_LABEL and _PIN")
    row = session.get(AuthorityKey, name)
    if row is None:
        return Moved.absent
    if keysource.in_token(row.private_key_encrypted) is not None:
        return Moved.already
    token = keysource.token_key(name)
    pkcs11.import_key(token, row.private_key_encrypted.encode(), _passphrase(key_encryption_key, name))
    _check_test_signature(token, row.certificate_pem.encode())
    row.private_key_encrypted = keysource.marker(name)
    session.flush()
    return Moved.moved


def _check_test_signature(token: TokenKey, certificate_pem: bytes) -> None:
    data = b"sopu key moved into the token " + secrets.token_bytes(16)
    signature = pkcs11.sign_in_token(token, data)
    public = x509.load_pem_x509_certificate(certificate_pem).public_key()
    try:
        if isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        else:
            raise ValueError("the certificate's key is neither EC nor RSA")
    except InvalidSignature as exc:
        raise ValueError(
            f"the token's key {token.key_label!r} is not the key of the certificate: nothing moved"
        ) from exc
