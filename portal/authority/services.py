"""The portal's own CA: created on first start, it issues each representative a certificate on
their first signature and certifies prepared documents with its document-seal key."""

import base64
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import signing
from portal.auth.models import SigningCredential, User
from portal.authority import keysource
from portal.authority.models import AuthorityKey
from portal.errors import PortalError
from portal.organisations.models import Organisation
from signing import pkcs11
from signing.model import TokenKey
from signing.seal import issue_tsa_certificate, local_timestamper

#: how long a signature waits for an outside TSA's answer
TSA_TIMEOUT_SECONDS = 15


def _passphrase(key_encryption_key: str, purpose: str) -> bytes:
    return hmac.new(key_encryption_key.encode(), purpose.encode(), hashlib.sha256).hexdigest().encode()


def signer_passphrase(key_encryption_key: str, user: User, password: str) -> bytes:
    """What unlocked a representative's private key before key_salt (legacy credentials): both
    the server's key and the user's password. Kept to re-wrap those keys (see unlock_signer)."""
    return _passphrase(key_encryption_key, f"signer:{user.id}:{password}")


def credential_passphrase(key_encryption_key: str, credential: SigningCredential) -> bytes:
    """What unlocks a credential's private key: the server's key and the credential's own salt.
    The gate is the caller's check of a fresh second factor (or the password, or a sign-scoped
    token bound to the document): a person signing in by SSO has no password to derive from."""
    if not credential.key_salt:
        raise ValueError("a legacy credential is unlocked with the password")
    return _passphrase(key_encryption_key, f"signer-credential:{credential.key_salt}")


def _token_key(key_encryption_key: str, token: str) -> bytes:
    return hmac.new(key_encryption_key.encode(), f"token:{token}".encode(), hashlib.sha256).digest()


def wrap_for_token(key_encryption_key: str, token: str, passphrase: bytes) -> str:
    """A token with the `sign` scope carries the signer's passphrase, encrypted with a key derived
    from the token itself (never stored): the token unlocks the key as the password would."""
    nonce = os.urandom(12)
    sealed = AESGCM(_token_key(key_encryption_key, token)).encrypt(nonce, passphrase, b"sopu-sign")
    return base64.b64encode(nonce + sealed).decode()


def unlock_signer(
    session: Session,
    kek: str,
    user: User,
    password: str | None,
    now: datetime,
    pointers: signing.Pointers | None = None,
    party: Organisation | None = None,
) -> bytes:
    """The passphrase of the representative's current key, once the caller has checked the gate
    (a fresh second factor, or the password). Issues the certificate on first use. A legacy key
    (wrapped with the password) is re-wrapped under the server's key when the password is given,
    else superseded: revoked (reason superseded, kept to validate what it signed) and replaced."""
    credential = current_credential(session, user, party)
    if credential is not None and not credential.key_salt:
        if password is not None:
            key_pem = signing.decrypt_private_key(
                credential.private_key_encrypted.encode(), signer_passphrase(kek, user, password)
            )
            credential.key_salt = secrets.token_hex(16)
            credential.private_key_encrypted = signing.encrypt_private_key(
                key_pem, credential_passphrase(kek, credential)
            ).decode()
        else:
            revoke_credentials(session, user.id, "superseded", now)
            credential = None
    if credential is None:
        credential = _issue_credential(session, kek, user, pointers, party)
    session.flush()
    return credential_passphrase(kek, credential)


def sign_key_wrapper(
    session: Session,
    kek: str,
    user: User,
    password: str | None,
    now: datetime,
    pointers: signing.Pointers | None = None,
    party: Organisation | None = None,
):
    """For create_token(): ensures the representative has a certificate (see unlock_signer) and
    wraps what unlocks their key for the new token. The gate must have been checked."""
    passphrase = unlock_signer(session, kek, user, password, now, pointers, party)
    return lambda token: wrap_for_token(kek, token, passphrase)


def unwrap_for_token(key_encryption_key: str, token: str, wrapped: str) -> bytes:
    raw = base64.b64decode(wrapped)
    return AESGCM(_token_key(key_encryption_key, token)).decrypt(raw[:12], raw[12:], b"sopu-sign")


def ensure_authority(
    session: Session, key_encryption_key: str, pointers: signing.Pointers | None = None
) -> None:
    """Create the CA and the seal key once; a second process racing here loses the insert. With
    a PKCS#11 token configured both keys are generated in it and the rows keep only markers."""
    if session.get(AuthorityKey, "ca") is not None:
        return
    if keysource.token_configured():
        _ensure_authority_in_token(session, pointers)
        return
    ca_key, ca_cert = signing.create_authority("Sopu CA", "Sopu")
    seal_key, seal_cert = signing.issue_seal_certificate(ca_key, None, ca_cert, pointers=pointers)
    try:
        with session.begin_nested():
            for name, key, cert in (("ca", ca_key, ca_cert), ("seal", seal_key, seal_cert)):
                encrypted = signing.encrypt_private_key(key, _passphrase(key_encryption_key, name))
                session.add(
                    AuthorityKey(
                        name=name, certificate_pem=cert.decode(), private_key_encrypted=encrypted.decode()
                    )
                )
    except IntegrityError:
        pass


def _ensure_authority_in_token(session: Session, pointers: signing.Pointers | None) -> None:
    ca = keysource.token_key("ca")
    ca_cert = pkcs11.create_token_authority(ca)
    seal_public = pkcs11.generate_key(keysource.token_key("seal"))
    _, seal_draft = signing.issue_seal_certificate(
        pkcs11.draft_key_pem(), None, ca_cert, pointers=pointers, public_key_pem=seal_public
    )
    seal_cert = pkcs11.certify_with_token(seal_draft, ca, ca_cert)
    try:
        with session.begin_nested():
            for name, cert in (("ca", ca_cert), ("seal", seal_cert)):
                session.add(
                    AuthorityKey(
                        name=name, certificate_pem=cert.decode(), private_key_encrypted=keysource.marker(name)
                    )
                )
    except IntegrityError:
        return
    local_tsa_key(session, "", pointers)  # the own TSA's key in the token too (no KEK needed)


def _authority(session: Session, name: str) -> AuthorityKey:
    row = session.get(AuthorityKey, name)
    if row is None:
        raise LookupError("the portal's authority has not been created: run `portal db upgrade`")
    return row


def held(session: Session) -> list[AuthorityKey]:
    """The authority's rows (CA, seal, own TSA) in one query. The session's identity map holds
    rows weakly: while the caller keeps this list, every _authority() of the request finds them
    there instead of querying again (a signature looked up the CA's and the TSA's six times)."""
    return list(session.scalars(select(AuthorityKey)))


def trust_roots(session: Session) -> list[bytes]:
    return [_authority(session, "ca").certificate_pem.encode()]


def seal_key(session: Session, key_encryption_key: str) -> signing.SignerKey:
    seal, ca = _authority(session, "seal"), _authority(session, "ca")
    token = keysource.in_token(seal.private_key_encrypted)
    return signing.SignerKey(
        private_key_pem=b"" if token else seal.private_key_encrypted.encode(),
        passphrase=None if token else _passphrase(key_encryption_key, "seal"),
        certificate_pem=seal.certificate_pem.encode(),
        chain_pem=(ca.certificate_pem.encode(),),
        token=token,
    )


def seal_certificate_sha256(session: Session) -> str:
    return signing.certificate_sha256(_authority(session, "seal").certificate_pem.encode())


def current_credential(
    session: Session, user: User, party: Organisation | None = None
) -> SigningCredential | None:
    """The person's unrevoked certificate for signing for `party` (by default their own
    organisation): a certificate names the party it signs for."""
    party_id = party.id if party is not None else user.organisation_id
    return session.scalar(
        select(SigningCredential)
        .where(
            SigningCredential.user_id == user.id,
            SigningCredential.organisation_id == party_id,
            SigningCredential.revoked_at.is_(None),
        )
        .order_by(SigningCredential.id.desc())
        .limit(1)
    )


def _issue_credential(
    session: Session,
    kek: str,
    user: User,
    pointers: signing.Pointers | None,
    party: Organisation | None = None,
) -> SigningCredential:
    """A new certificate naming the party it signs for (and the CA's CRL and OCSP responder when
    `pointers` are given) and its private key, wrapped under the server's key with a salt of its
    own."""
    party = party or user.organisation
    if party is None:  # no party given and no organisation of their own: nobody to sign for
        raise PortalError("sign_not_a_representative", 403)
    key_pem, cert_pem = _ca_issues(
        session,
        kek,
        lambda ca_key, ca_passphrase, ca_cert: signing.issue_certificate(
            ca_key,
            ca_passphrase,
            ca_cert,
            person_name=user.display_name,
            organisation=party.name,
            business_id=party.business_id,
            email=user.email,
            pointers=pointers,
        ),
    )
    credential = SigningCredential(
        user_id=user.id,
        organisation_id=party.id,
        certificate_pem=cert_pem.decode(),
        certificate_sha256=signing.certificate_sha256(cert_pem),
        certificate_serial=serial_hex(signing.certificate_serial(cert_pem)),
        key_salt=secrets.token_hex(16),
        private_key_encrypted="",
    )
    credential.private_key_encrypted = signing.encrypt_private_key(
        key_pem, credential_passphrase(kek, credential)
    ).decode()
    session.add(credential)
    session.flush()
    return credential


def signer_key(
    session: Session,
    key_encryption_key: str,
    user: User,
    passphrase: bytes,
    pointers: signing.Pointers | None = None,
    party: Organisation | None = None,
) -> tuple[signing.SignerKey, SigningCredential]:
    """The representative's key for signing for `party` (by default their own organisation).
    `passphrase` comes from unlock_signer() after the caller checked the gate, or from a
    sign-scoped token; with no certificate for that party yet, one is issued now. A key under the
    server's key (key_salt set) opens with its own passphrase: the caller's proves the gate."""
    ca = _authority(session, "ca")
    credential = current_credential(session, user, party)
    if credential is None:
        credential = _issue_credential(session, key_encryption_key, user, pointers, party)
    if credential.key_salt:
        passphrase = credential_passphrase(key_encryption_key, credential)
    key = signing.SignerKey(
        private_key_pem=credential.private_key_encrypted.encode(),
        passphrase=passphrase,
        certificate_pem=credential.certificate_pem.encode(),
        chain_pem=(ca.certificate_pem.encode(),),
    )
    return key, credential


# -- revocation: what the CA's CRL and OCSP responder publish -----------------------------------


def serial_hex(serial: int) -> str:
    return format(serial, "x")


def revoke_credentials(session: Session, user_id: int, reason: str, now: datetime) -> int:
    """Revoke every unrevoked certificate of a person (deactivated: cessation_of_operation; a key
    replaced: superseded). The certificates are kept: they still validate what was signed before
    the revocation time. Returns how many were revoked."""
    credentials = list(
        session.scalars(
            select(SigningCredential).where(
                SigningCredential.user_id == user_id, SigningCredential.revoked_at.is_(None)
            )
        )
    )
    for credential in credentials:
        credential.revoked_at, credential.revocation_reason = now, reason
    session.flush()
    return len(credentials)


def revocations(session: Session) -> list[signing.Revocation]:
    rows = session.execute(
        select(
            SigningCredential.certificate_serial,
            SigningCredential.revoked_at,
            SigningCredential.revocation_reason,
        )
        .where(SigningCredential.revoked_at.is_not(None))
        .order_by(SigningCredential.revoked_at, SigningCredential.id)
    )
    return [
        signing.Revocation(int(serial, 16), at.replace(tzinfo=UTC), reason or "unspecified")
        for serial, at, reason in rows
    ]


def certificate_state(session: Session, serial: int) -> signing.CertificateState:
    """good, revoked (with when and why) or unknown, for a serial number the CA may have issued."""
    credential = session.scalar(
        select(SigningCredential).where(SigningCredential.certificate_serial == serial_hex(serial))
    )
    if credential is not None:
        if credential.revoked_at is None:
            return signing.CertificateState(signing.CertificateStatus.good)
        return signing.CertificateState(
            signing.CertificateStatus.revoked,
            signing.Revocation(
                serial,
                credential.revoked_at.replace(tzinfo=UTC),
                credential.revocation_reason or "unspecified",
            ),
        )
    for row in session.scalars(select(AuthorityKey)):
        if signing.certificate_serial(row.certificate_pem.encode()) == serial:
            return signing.CertificateState(signing.CertificateStatus.good)
    return signing.CertificateState(signing.CertificateStatus.unknown)


_Draw = TypeVar("_Draw")


def _ca_signed(
    session: Session,
    key_encryption_key: str,
    draw: Callable[[bytes, bytes | None, bytes], _Draw],
    resign: Callable[[_Draw, TokenKey, bytes], _Draw],
) -> _Draw:
    """What the CA signs: `draw` (given the CA's key PEM, its passphrase and its certificate)
    makes it with the CA's wrapped key; with the key in a PKCS#11 token, `draw` makes it with a
    throwaway key and `resign` (given the token key and the CA certificate) signs it in the token."""
    ca = _authority(session, "ca")
    token = keysource.in_token(ca.private_key_encrypted)
    if token is None:
        return draw(
            ca.private_key_encrypted.encode(),
            _passphrase(key_encryption_key, "ca"),
            ca.certificate_pem.encode(),
        )
    return resign(
        draw(pkcs11.draft_key_pem(), None, ca.certificate_pem.encode()), token, ca.certificate_pem.encode()
    )


def _ca_issues(
    session: Session,
    key_encryption_key: str,
    draw: Callable[[bytes, bytes | None, bytes], tuple[bytes, bytes]],
) -> tuple[bytes, bytes]:
    """A (key PEM, certificate PEM) pair whose certificate the CA signs (see _ca_signed)."""
    return _ca_signed(
        session,
        key_encryption_key,
        draw,
        lambda pair, token, ca_cert: (pair[0], pkcs11.certify_with_token(pair[1], token, ca_cert)),
    )


def crl(session: Session, key_encryption_key: str, now: datetime) -> bytes:
    """The CA's current CRL (DER); its number counts the revocations, so it grows with each."""
    revoked = revocations(session)
    return _ca_signed(
        session,
        key_encryption_key,
        lambda key, passphrase, cert: signing.certificate_revocation_list(
            key, passphrase, cert, revoked, now=now, number=len(revoked) + 1
        ),
        lambda der, token, _cert: pkcs11.resign_crl(der, token),
    )


def ocsp(session: Session, key_encryption_key: str, request_der: bytes, now: datetime) -> bytes:
    """The CA's OCSP answer (DER) to a request."""
    ca = _authority(session, "ca")
    token = keysource.in_token(ca.private_key_encrypted)
    if token is None:
        key, draft = ca.private_key_encrypted.encode(), None
        passphrase: bytes | None = _passphrase(key_encryption_key, "ca")
    else:  # drawn with a throwaway key and certificate, then made the CA's in the token
        (key, draft), passphrase = pkcs11.draft_signer(), None
    answer = signing.ocsp_response(
        request_der,
        key,
        passphrase,
        ca.certificate_pem.encode(),
        lambda serial: certificate_state(session, serial),
        now=now,
        draft_cert_pem=draft,
    )
    return answer if token is None else pkcs11.resign_ocsp(answer, token, ca.certificate_pem.encode())


def ca_certificate_pem(session: Session) -> bytes:
    return _authority(session, "ca").certificate_pem.encode()


def local_tsa_key(
    session: Session, key_encryption_key: str, pointers: signing.Pointers | None = None
) -> signing.SignerKey:
    """The portal's own time-stamping key (issued by its CA on first use, naming the CA's CRL
    and OCSP responder with `pointers`): what timestamps the audit seals, and the signatures
    while no outside TSA is configured. With the CA's key in a PKCS#11 token, so is this one's."""
    ca = _authority(session, "ca")
    if session.get(AuthorityKey, "tsa") is None:
        in_token = keysource.in_token(ca.private_key_encrypted) is not None
        public = pkcs11.generate_key(keysource.token_key("tsa")) if in_token else None
        key, cert = _ca_issues(
            session,
            key_encryption_key,
            lambda ca_key, ca_passphrase, ca_cert: issue_tsa_certificate(
                ca_key, ca_passphrase, ca_cert, pointers=pointers, public_key_pem=public
            ),
        )
        stored = (
            keysource.marker("tsa")
            if in_token
            else signing.encrypt_private_key(key, _passphrase(key_encryption_key, "tsa")).decode()
        )
        try:
            with session.begin_nested():
                session.add(
                    AuthorityKey(name="tsa", certificate_pem=cert.decode(), private_key_encrypted=stored)
                )
        except IntegrityError:
            pass  # another process created it first
    tsa = _authority(session, "tsa")
    token = keysource.in_token(tsa.private_key_encrypted)
    return signing.SignerKey(
        private_key_pem=b"" if token else tsa.private_key_encrypted.encode(),
        passphrase=None if token else _passphrase(key_encryption_key, "tsa"),
        certificate_pem=tsa.certificate_pem.encode(),
        chain_pem=(ca.certificate_pem.encode(),),
        token=token,
    )


# -- long-term signatures: timestamps and validation data ---------------------------------------


def timestamper(
    session: Session, key_encryption_key: str, tsa_url: str, pointers: signing.Pointers | None = None
) -> TimeStamper:
    """The signature and document timestamps' TSA: the outside one at `tsa_url` over HTTP, else
    the portal's own, in process (never an HTTP call to itself)."""
    if tsa_url:
        return RequestsHTTPTimeStamper(tsa_url, timeout=TSA_TIMEOUT_SECONDS)
    return local_timestamper(local_tsa_key(session, key_encryption_key, pointers))


def validation_data(
    session: Session, key_encryption_key: str, certificates_pem: list[bytes], now: datetime
) -> signing.ValidationData:
    """What a document's DSS gains before a signature (or its document timestamp): the
    certificates given (each is added once: the seal's, the CA's and the own TSA's when the
    document is prepared, then each signer's) and the CA's current CRL, made in process: the
    portal is the CA, so nothing is fetched. A CRL rather than OCSP answers: one covers every
    certificate of the CA, and pyHanko's long-term validation cannot use an OCSP answer signed
    by the root CA itself."""
    return signing.ValidationData(
        certificates=tuple(certificates_pem), crls=(crl(session, key_encryption_key, now),)
    )


def own_certificate_sha256s(session: Session) -> frozenset[str]:
    """The fingerprints of the CA's and the own TSA's certificates: a TSA at PORTAL_TSA_URL that
    is the portal's own (its /pki/tsa) is validated from the CA's CRL made in process, as the CA
    is this portal, instead of fetching that CRL over HTTP."""
    rows = (session.get(AuthorityKey, name) for name in ("ca", "tsa"))
    return frozenset(signing.certificate_sha256(row.certificate_pem.encode()) for row in rows if row)


def authority_certificates(
    session: Session, key_encryption_key: str, tsa_url: str, pointers: signing.Pointers | None
) -> list[bytes]:
    """The certificates of the portal's own authority a document's DSS starts with: the CA's,
    the seal's and, while no outside TSA is configured, the own TSA's."""
    certificates = [ca_certificate_pem(session), _authority(session, "seal").certificate_pem.encode()]
    if not tsa_url:
        certificates.append(local_tsa_key(session, key_encryption_key, pointers).certificate_pem)
    return certificates


def answer_timestamp_request(
    session: Session, key_encryption_key: str, request_der: bytes, pointers: signing.Pointers | None
) -> bytes | None:
    """The own TSA's RFC 3161 answer (DER) to a request, or None for a malformed one."""
    tsa = local_timestamper(local_tsa_key(session, key_encryption_key, pointers))
    return signing.answer_timestamp_request(request_der, tsa)
