"""The portal's own CA: created on first start, it issues each representative a certificate on
their first signature and certifies prepared documents with its document-seal key."""

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import signing
from portal.auth.models import SigningCredential, User
from portal.authority.models import AuthorityKey


def _passphrase(key_encryption_key: str, purpose: str) -> bytes:
    return hmac.new(key_encryption_key.encode(), purpose.encode(), hashlib.sha256).hexdigest().encode()


def signer_passphrase(key_encryption_key: str, user: User, password: str) -> bytes:
    """What unlocks a representative's private key: needs both the server's key and the user's
    password, so neither a copy of the database nor the configuration alone opens it."""
    return _passphrase(key_encryption_key, f"signer:{user.id}:{password}")


def _token_key(key_encryption_key: str, token: str) -> bytes:
    return hmac.new(key_encryption_key.encode(), f"token:{token}".encode(), hashlib.sha256).digest()


def wrap_for_token(key_encryption_key: str, token: str, passphrase: bytes) -> str:
    """A token with the `sign` scope carries the signer's passphrase, encrypted with a key derived
    from the token itself (never stored): the token unlocks the key as the password would."""
    nonce = os.urandom(12)
    sealed = AESGCM(_token_key(key_encryption_key, token)).encrypt(nonce, passphrase, b"sopu-sign")
    return base64.b64encode(nonce + sealed).decode()


def sign_key_wrapper(session: Session, kek: str, user: User, password: str):
    """For create_token(): ensures the representative has a certificate (issued now on first use)
    and wraps what unlocks their key for the new token. The password must have been checked."""
    passphrase = signer_passphrase(kek, user, password)
    signer_key(session, kek, user, passphrase)
    return lambda token: wrap_for_token(kek, token, passphrase)


def unwrap_for_token(key_encryption_key: str, token: str, wrapped: str) -> bytes:
    raw = base64.b64decode(wrapped)
    return AESGCM(_token_key(key_encryption_key, token)).decrypt(raw[:12], raw[12:], b"sopu-sign")


def ensure_authority(session: Session, key_encryption_key: str) -> None:
    """Create the CA and the seal key once; a second process racing here loses the insert."""
    if session.get(AuthorityKey, "ca") is not None:
        return
    ca_key, ca_cert = signing.create_authority("Sopu CA", "Sopu")
    seal_key, seal_cert = signing.issue_seal_certificate(ca_key, None, ca_cert)
    try:
        with session.begin_nested():
            for name, key, cert in (("ca", ca_key, ca_cert), ("seal", seal_key, seal_cert)):
                encrypted = signing.encrypt_private_key(key, _passphrase(key_encryption_key, name))
                session.add(AuthorityKey(name=name, certificate_pem=cert.decode(),
                                         private_key_encrypted=encrypted.decode()))
    except IntegrityError:
        pass


def _authority(session: Session, name: str) -> AuthorityKey:
    row = session.get(AuthorityKey, name)
    if row is None:
        raise LookupError("the portal's authority has not been created: run `portal db upgrade`")
    return row


def trust_roots(session: Session) -> list[bytes]:
    return [_authority(session, "ca").certificate_pem.encode()]


def seal_key(session: Session, key_encryption_key: str) -> signing.SignerKey:
    seal, ca = _authority(session, "seal"), _authority(session, "ca")
    return signing.SignerKey(
        private_key_pem=seal.private_key_encrypted.encode(),
        passphrase=_passphrase(key_encryption_key, "seal"),
        certificate_pem=seal.certificate_pem.encode(),
        chain_pem=(ca.certificate_pem.encode(),),
    )


def seal_certificate_sha256(session: Session) -> str:
    return signing.certificate_sha256(_authority(session, "seal").certificate_pem.encode())


def signer_key(session: Session, key_encryption_key: str, user: User, passphrase: bytes) -> tuple[
        signing.SignerKey, SigningCredential]:
    """The representative's key, issuing their certificate on first use. `passphrase` comes from
    signer_passphrase() after the password was checked, or from a sign-scoped token."""
    ca = _authority(session, "ca")
    credential = session.scalar(
        select(SigningCredential).where(
            SigningCredential.user_id == user.id,
            SigningCredential.organisation_id == user.organisation_id,
            SigningCredential.revoked_at.is_(None),
        ).order_by(SigningCredential.id.desc()).limit(1)
    )
    if credential is None:
        key_pem, cert_pem = signing.issue_certificate(
            _authority(session, "ca").private_key_encrypted.encode(),
            _passphrase(key_encryption_key, "ca"), ca.certificate_pem.encode(),
            person_name=user.display_name, organisation=user.organisation.name,
            business_id=user.organisation.business_id, email=user.email,
        )
        credential = SigningCredential(
            user_id=user.id, organisation_id=user.organisation_id,
            certificate_pem=cert_pem.decode(),
            certificate_sha256=signing.certificate_sha256(cert_pem),
            private_key_encrypted=signing.encrypt_private_key(key_pem, passphrase).decode(),
        )
        session.add(credential)
        session.flush()
    key = signing.SignerKey(
        private_key_pem=credential.private_key_encrypted.encode(), passphrase=passphrase,
        certificate_pem=credential.certificate_pem.encode(), chain_pem=(ca.certificate_pem.encode(),),
    )
    return key, credential


def reencrypt_signer_keys(session: Session, key_encryption_key: str, user: User, old_password: str,
                          new_password: str) -> None:
    """On a password change the representative's keys are re-wrapped, never decrypted to disk."""
    old = signer_passphrase(key_encryption_key, user, old_password)
    new = signer_passphrase(key_encryption_key, user, new_password)
    for credential in session.scalars(select(SigningCredential).where(
            SigningCredential.user_id == user.id)):
        plain = signing.decrypt_private_key(credential.private_key_encrypted.encode(), old)
        credential.private_key_encrypted = signing.encrypt_private_key(plain, new).decode()
