"""The second factor within a request: the sign-in's pending second step, the time of the last
verified factor (kept in the session cookie, which the session nonce already ties to one
sign-in), and the gate that signing and sign-scoped tokens pass: a fresh second factor for people
who have one, else the password."""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, session, url_for
from flask_login import login_user
from wtforms import Field

from portal.audit.services import record
from portal.auth import mfa
from portal.auth.domain import PENDING_SIGN_IN, MfaMode, factor_fresh, mfa_required, safe_next
from portal.auth.models import User
from portal.auth.services import check_password, renew_session_nonce
from portal.auth.throttle import password_attempt
from portal.extensions import db
from portal.messages import message
from portal.permissions import roles_held
from portal.timeutil import utcnow

_VERIFIED = "mfa_at"
#: the WebAuthn challenge of the ceremony under way, in the session
CHALLENGE = "mfa_webauthn_challenge"
_PENDING = "mfa_pending"


def mode() -> MfaMode:
    return MfaMode(current_app.config["PORTAL_MFA"])


def relying_party() -> mfa.RelyingParty:
    base = urlsplit(current_app.config["PORTAL_BASE_URL"])
    return mfa.RelyingParty(
        id=base.hostname or "localhost", name="Sopu", origin=f"{base.scheme}://{base.netloc}"
    )


def _stamp(moment: datetime) -> float:
    return moment.replace(tzinfo=UTC).timestamp()


def _moment(stamp: float | None) -> datetime | None:
    return None if stamp is None else datetime.fromtimestamp(stamp, UTC).replace(tzinfo=None)


def note_verified(now: datetime) -> None:
    """A second factor was verified in this session just now."""
    session[_VERIFIED] = _stamp(now)


def verified_recently(now: datetime) -> bool:
    window = timedelta(seconds=current_app.config["PORTAL_MFA_FRESH_SECONDS"])
    return factor_fresh(_moment(session.get(_VERIFIED)), now, window)


def verified_in_session() -> bool:
    return _VERIFIED in session


def enrolment_due(user: User) -> bool:
    """PORTAL_MFA=required and the person's role asks for a factor this session has not seen."""
    current = mode()
    return (
        current is MfaMode.required  # first what costs no query: the roles are read from the database
        and not verified_in_session()
        and mfa_required(current, roles_held(user))
        and not mfa.has_factor(db.session(), user)
    )


# -- the sign-in's second step ---------------------------------------------------------------


def begin_pending(user: User, next_url: str | None, now: datetime) -> None:
    session[_PENDING] = {"user": user.id, "nonce": user.session_nonce, "next": next_url, "at": _stamp(now)}


def pending_user(now: datetime) -> User | None:
    """The person whose first factor was right a moment ago, or None (none, or too long ago)."""
    pending: dict = session.get(_PENDING) or {}
    began = _moment(pending.get("at"))
    if not began or not timedelta(0) <= now - began <= PENDING_SIGN_IN:
        return None
    user = db.session.get(User, pending["user"])
    if user is None or not user.is_active or user.session_nonce != pending["nonce"]:
        return None
    return user


def pending_next() -> str | None:
    return (session.get(_PENDING) or {}).get("next")


def end_pending() -> None:
    session.pop(_PENDING, None)


# -- the gate of signing and sign-scoped tokens -------------------------------------------------


@dataclass
class Gate:
    ok: bool = False
    status: int = 422
    headers: dict = field(default_factory=dict)
    #: the password when that was the gate (it re-wraps a legacy signing key)
    password: str | None = None


def confirm(
    user: User, password: Field, code: Field, wrong_password: str, passkey: Field | None = None
) -> Gate:
    """People with a second factor: fresh (within FRESH_FACTOR), or given now on the form (an
    app's code, a recovery code, or a passkey's assertion that the sign form's script put in
    `passkey`); others: their password. Wrong codes and passkeys count as wrong passwords."""
    now = utcnow()
    has_factor = uses_factor(user)
    if has_factor and verified_recently(now):
        return Gate(ok=True, status=200)
    assertion = _assertion(passkey) if has_factor else None
    given = (code.data if has_factor else password.data) or ""
    target = code if has_factor else password
    if assertion is None and not given.strip():
        target.errors = [*target.errors, message("second_factor_needed" if has_factor else "password_needed")]
        return Gate()
    attempt = password_attempt(user.username)
    if not attempt.allowed:
        target.errors = [*target.errors, message("rate_limited")]
        return Gate(status=429, headers=attempt.headers)
    kek = current_app.config["PORTAL_KEY_ENCRYPTION_KEY"]
    if assertion is not None:
        challenge = session.pop(CHALLENGE, None)
        right = bool(challenge) and mfa.verify_passkey(
            db.session(), user, relying_party(), assertion, challenge, now
        )
    elif has_factor:
        right = mfa.verify_code(db.session(), kek, user, given, now)
    else:
        right = check_password(user, given)
    if not right:
        wrong = "wrong_passkey" if assertion is not None else "wrong_code" if has_factor else wrong_password
        target.errors = [*target.errors, message(wrong)]
        return Gate()
    attempt.succeeded()
    if has_factor:
        note_verified(now)
        return Gate(ok=True, status=200)
    return Gate(ok=True, status=200, password=given)


def _assertion(passkey: Field | None) -> dict | None:
    if passkey is None or not passkey.data:
        return None
    try:
        value = json.loads(passkey.data)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


# -- signing in -----------------------------------------------------------------------------------


def uses_factor(user: User) -> bool:
    """Whether the person's second factor is asked (never with PORTAL_MFA=off)."""
    return mode() is not MfaMode.off and mfa.has_factor(db.session(), user)


def _fresh_session() -> None:
    lang = session.get("lang")
    session.clear()  # a fresh session at sign-in: nothing carries over but the language
    if lang:
        session["lang"] = lang


def start_sign_in(user: User, next_url: str | None, method: str) -> str:
    """After the first factor (the password, or SSO): sign in, or ask for the second factor
    first. Returns where to go next."""
    if uses_factor(user):
        _fresh_session()
        begin_pending(user, next_url, utcnow())
        session["mfa_method"] = method
        return url_for("mfa.second_factor")
    complete_sign_in(user, method, verified=False)
    return safe_next(next_url) or url_for("agreements.index")


def complete_sign_in(user: User, method: str, verified: bool) -> None:
    """The session of a signed-in person; the caller commits."""
    _fresh_session()
    renew_session_nonce(user)
    login_user(user)
    if verified:
        note_verified(utcnow())
    record(db.session(), "sign_in", actor_id=user.id, method=method, second_factor=verified)


@dataclass(frozen=True)
class SignConfirmation:
    """What the sign form asks: the password, or a code or passkey unless a factor is fresh."""

    factor: bool
    fresh: bool
    passkeys: bool
    #: an authenticator app or recovery codes: the form has a field for a code
    codes: bool


def sign_confirmation(user: User) -> SignConfirmation:
    if mode() is MfaMode.off:
        return SignConfirmation(False, False, False, False)
    factors = mfa.factors(db.session(), user)
    return SignConfirmation(
        factors.any,
        factors.any and verified_recently(utcnow()),
        bool(factors.passkeys),
        factors.totp or factors.recovery_codes_left > 0,
    )
