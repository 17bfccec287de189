"""Second factors: an authenticator app (TOTP, pyotp) with single-use recovery codes, and WebAuthn
passkeys (the `webauthn` package). Services over a Session; the views keep the sign-in's pending
state and the time of the last verified factor in the Flask session."""

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import pyotp
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from portal.auth.models import PasskeyCredential, RecoveryCode, TotpFactor, User

#: how many recovery codes a person gets at a time
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or typed from paper


@dataclass(frozen=True)
class RelyingParty:
    """The portal as WebAuthn sees it: the host of PORTAL_BASE_URL and its origin."""

    id: str
    name: str
    origin: str


@dataclass(frozen=True)
class Factors:
    totp: bool
    passkeys: list[PasskeyCredential]
    recovery_codes_left: int

    @property
    def any(self) -> bool:
        return self.totp or bool(self.passkeys)


def factors(session: Session, user: User) -> Factors:
    totp = session.scalar(
        select(TotpFactor.id).where(TotpFactor.user_id == user.id, TotpFactor.confirmed_at.is_not(None))
    )
    passkeys = list(
        session.scalars(
            select(PasskeyCredential)
            .where(PasskeyCredential.user_id == user.id)
            .order_by(PasskeyCredential.id)
        )
    )
    left = (
        session.scalar(
            select(func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )
    return Factors(totp is not None, passkeys, left)


def has_factor(session: Session, user: User) -> bool:
    return factors(session, user).any


# -- TOTP ----------------------------------------------------------------------------------------


def _secret_key(kek: str) -> bytes:
    return hmac.new(kek.encode(), b"totp-secret", hashlib.sha256).digest()


def _seal(kek: str, secret: str) -> str:
    nonce = os.urandom(12)
    return base64.b64encode(
        nonce + AESGCM(_secret_key(kek)).encrypt(nonce, secret.encode(), b"sopu-totp")
    ).decode()


def _open(kek: str, sealed: str) -> str:
    raw = base64.b64decode(sealed)
    return AESGCM(_secret_key(kek)).decrypt(raw[:12], raw[12:], b"sopu-totp").decode()


def new_totp_secret() -> str:
    """A secret for the person's authenticator app: kept in their session (they see it anyway)
    until a code confirms it (confirm_totp); an app already in force stays until then."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, user: User, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email or user.username, issuer_name=issuer)


def _step(totp: pyotp.TOTP, code: str, now: datetime) -> int | None:
    """The time step the code belongs to (this one or the one either side), or None."""
    if not (len(code) == 6 and code.isdigit()):
        return None
    moment = int(now.timestamp())
    for offset in (0, -1, 1):
        at = moment + offset * totp.interval
        if hmac.compare_digest(totp.at(at), code):
            return at // totp.interval
    return None


def confirm_totp(
    session: Session, kek: str, user: User, secret: str, code: str, now: datetime
) -> list[str] | None:
    """Put the app in force when `code` fits `secret`; returns the new recovery codes (shown once)
    or None when the code was wrong (nothing changes)."""
    step = _step(pyotp.TOTP(secret), normalise_code(code), now)
    if step is None:
        return None
    row = session.scalar(select(TotpFactor).where(TotpFactor.user_id == user.id))
    if row is None:
        row = TotpFactor(user_id=user.id, secret_encrypted="")
        session.add(row)
    row.secret_encrypted, row.confirmed_at, row.last_step = _seal(kek, secret), now, step
    session.flush()
    return new_recovery_codes(session, kek, user)


def remove_totp(session: Session, user: User) -> None:
    session.execute(delete(TotpFactor).where(TotpFactor.user_id == user.id))


# -- recovery codes --------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return "".join(c for c in code.lower() if c.isalnum())


def _code_digest(kek: str, user: User, code: str) -> str:
    message = f"{user.id}:{normalise_code(code)}".encode()
    return hmac.new(kek.encode(), b"recovery:" + message, hashlib.sha256).hexdigest()


def new_recovery_codes(session: Session, kek: str, user: User) -> list[str]:
    """Replace the person's recovery codes with new ones; only their keyed digests are stored."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_sha256=_code_digest(kek, user, raw)))
    session.flush()
    return codes


def verify_code(session: Session, kek: str, user: User, code: str, now: datetime) -> bool:
    """A code from the person's app (each accepted once) or one of their unused recovery codes
    (used up by this). The caller counts wrong codes as wrong passwords (auth.throttle)."""
    code = normalise_code(code)
    row = session.scalar(
        select(TotpFactor)
        .where(TotpFactor.user_id == user.id, TotpFactor.confirmed_at.is_not(None))
        .with_for_update()
    )
    if row is not None and len(code) == 6 and code.isdigit():
        step = _step(pyotp.TOTP(_open(kek, row.secret_encrypted)), code, now)
        if step is None or (row.last_step is not None and step <= row.last_step):
            return False
        row.last_step = step
        session.flush()
        return True
    if len(code) != 10:
        return False
    recovery = session.scalar(
        select(RecoveryCode)
        .where(
            RecoveryCode.code_sha256 == _code_digest(kek, user, code),
            RecoveryCode.user_id == user.id,
            RecoveryCode.used_at.is_(None),
        )
        .with_for_update()
    )
    if recovery is None:
        return False
    recovery.used_at = now
    session.flush()
    return True


# -- passkeys (WebAuthn) ---------------------------------------------------------------------------


def registration_options(session: Session, user: User, rp: RelyingParty) -> tuple[str, str]:
    """(options JSON for navigator.credentials.create, the challenge base64url to keep)."""
    existing = [
        PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
        for p in factors(session, user).passkeys
    ]
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name=rp.name,
        user_id=str(user.id).encode(),
        user_name=user.username,
        user_display_name=user.display_name,
        exclude_credentials=existing,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
    )
    return options_to_json(options), bytes_to_base64url(options.challenge)


def register_passkey(
    session: Session, user: User, rp: RelyingParty, credential: dict, challenge: str, name: str, now: datetime
) -> PasskeyCredential | None:
    """Store the passkey the browser created, or None when its answer does not verify."""
    try:
        verified = verify_registration_response(
            credential=json.dumps(credential),
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError):  # any malformed answer
        return None
    row = PasskeyCredential(
        user_id=user.id,
        name=name or "passkey",
        created_at=now,
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=bytes_to_base64url(verified.credential_public_key),
        sign_count=verified.sign_count,
    )
    session.add(row)
    session.flush()
    return row


def authentication_options(session: Session, user: User, rp: RelyingParty) -> tuple[str, str]:
    """(options JSON for navigator.credentials.get naming the person's passkeys, the challenge)."""
    allowed = [
        PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
        for p in factors(session, user).passkeys
    ]
    options = generate_authentication_options(
        rp_id=rp.id, allow_credentials=allowed, user_verification=UserVerificationRequirement.REQUIRED
    )
    return options_to_json(options), bytes_to_base64url(options.challenge)


def verify_passkey(
    session: Session, user: User, rp: RelyingParty, credential: dict, challenge: str, now: datetime
) -> bool:
    """Whether the browser's assertion comes from one of the person's passkeys."""
    raw_id = credential.get("id") if isinstance(credential, dict) else None
    row = raw_id and session.scalar(
        select(PasskeyCredential).where(
            PasskeyCredential.user_id == user.id, PasskeyCredential.credential_id == raw_id
        )
    )
    if not row:
        return False
    try:
        verified = verify_authentication_response(
            credential=json.dumps(credential),
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            credential_public_key=base64url_to_bytes(row.public_key),
            credential_current_sign_count=row.sign_count,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError):  # any malformed answer
        return False
    row.sign_count, row.last_used_at = verified.new_sign_count, now
    session.flush()
    return True


def remove_passkey(session: Session, user: User, passkey_id: int) -> bool:
    result = session.execute(
        delete(PasskeyCredential).where(
            PasskeyCredential.id == passkey_id, PasskeyCredential.user_id == user.id
        )
    )
    return cast(CursorResult[Any], result).rowcount == 1
