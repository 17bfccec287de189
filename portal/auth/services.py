import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import CursorResult, Engine, bindparam, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from portal.audit.services import record
from portal.auth.domain import SIGN_TOKEN_LIFETIME, TOKEN_USE_RESOLUTION, Scope, token_use_due
from portal.auth.models import ApiToken, User
from portal.authority.services import revoke_credentials
from portal.config import SQLITE_BUSY_TIMEOUT_SECONDS

_hasher = PasswordHasher()  # argon2id: memory-hard
#: compared against when the username is unknown, so timing does not tell which usernames exist
_DUMMY_HASH = _hasher.hash("not a password")
TOKEN_PREFIX = "sopu_"  # noqa: S105 (a prefix, not a secret)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User | None, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash if user else _DUMMY_HASH, password) and bool(user)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username))
    if check_password(user, password) and user is not None and user.is_active:
        return user
    return None


def renew_session_nonce(user: User) -> None:
    user.session_nonce = secrets.token_hex(16)


#: the person of every signed-in request, alone: their memberships are read as the request asks
#: about an agreement (portal.memberships.held), so a person with a thousand costs what one with
#: one does. Built once a process, as SQLAlchemy keeps its compiled form by the statement's key.
_SIGNED_IN_USER = select(User).where(User.id == bindparam("user_id"))


def load_user(session: Session, user_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session nonce, so a renewed nonce ends old sessions."""
    raw_id, _, nonce = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = session.execute(_SIGNED_IN_USER, {"user_id": int(raw_id)}).scalar_one_or_none()
    if user is None or not user.session_nonce or not secrets.compare_digest(user.session_nonce, nonce):
        return None
    return user


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SignBinding:
    """What a sign-scoped token may sign, and until when: named documents of one agreement (none
    named: all of them, only for the demo's tokens)."""

    agreement_id: int
    document_ids: frozenset[int]
    expires_at: datetime

    @classmethod
    def for_documents(cls, agreement_id: int, document_ids: set[int], now: datetime) -> "SignBinding":
        if not document_ids:
            raise ValueError("a sign-scoped token names its documents")
        return cls(agreement_id, frozenset(document_ids), now + SIGN_TOKEN_LIFETIME)


def create_token(
    session: Session,
    user: User,
    name: str,
    scopes: set[Scope],
    wrap_sign_key=None,
    binding: SignBinding | None = None,
) -> tuple[ApiToken, str]:
    """The token itself is returned once and never stored. A `sign` scope needs
    `wrap_sign_key(token) -> str` (authority.wrap_for_token with the signer's passphrase) and a
    binding to its documents, which also sets when it expires."""
    if not (Scope.sign in scopes) == (wrap_sign_key is not None) == (binding is not None):
        raise ValueError("the sign scope goes with a wrapped signing key and a binding, and only it")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        name=name,
        token_sha256=token_digest(token),
        scopes=" ".join(sorted(s.value for s in scopes | {Scope.read})),
        sign_key_wrapped=wrap_sign_key(token) if wrap_sign_key else None,
    )
    if binding is not None:
        row.sign_agreement_id, row.expires_at = binding.agreement_id, binding.expires_at
        row.sign_document_ids = " ".join(str(d) for d in sorted(binding.document_ids))
    session.add(row)
    session.flush()
    return row, token


#: when this process last saw each token's use recorded (by digest): within a minute of it a
#: request needs no query at all (bounded: forgotten wholesale when it grows past the limit)
_noted: dict[str, datetime] = {}
_NOTED_LIMIT = 10_000


def note_token_use(engine: Engine, token_sha256: str, now: datetime) -> bool:
    """Record that the token with this digest is being used, at most once a minute (see
    record_token_use). Called before the request's own session opens a connection, and done on a
    connection of its own that is returned at once: a request never holds two connections, so
    concurrent requests cannot exhaust the pool waiting for each other."""
    noted = _noted.get(token_sha256)
    if noted is not None and not token_use_due(noted, now):
        return False
    with engine.connect() as conn:
        found = conn.execute(
            select(ApiToken.id, ApiToken.last_used_at).where(
                ApiToken.token_sha256 == token_sha256, ApiToken.revoked_at.is_(None)
            )
        ).first()
    if found is None:
        return False
    if len(_noted) >= _NOTED_LIMIT:
        _noted.clear()
    if not token_use_due(found.last_used_at, now):
        _noted[token_sha256] = found.last_used_at
        return False
    written = record_token_use(engine, found.id, now)
    if written:
        _noted[token_sha256] = now
    return written


def record_token_use(engine: Engine, token_id: int, now: datetime) -> bool:
    """Note a token's use in a short transaction of its own that never waits for a lock: a
    request's own transaction never touches the token row, so requests with one token run side
    by side, and a row held by someone else just means this use goes unrecorded (the next one,
    at most a minute later, is). PostgreSQL skips a locked row; SQLite gives up at once when
    another writer holds the database. Returns whether it was written."""
    stale = or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - TOKEN_USE_RESOLUTION)
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA busy_timeout = 0")
            target = ApiToken.id == token_id
        else:
            target = ApiToken.id.in_(
                select(ApiToken.id)
                .where(ApiToken.id == token_id)
                .with_for_update(skip_locked=True)
                .scalar_subquery()
            )
        try:
            written = (
                conn.execute(update(ApiToken).where(target, stale).values(last_used_at=now)).rowcount == 1
            )
            conn.commit()
        except OperationalError:  # SQLite: another writer holds the database right now
            conn.rollback()
            written = False
        finally:
            if sqlite:
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
    return written


def deactivate_user(session: Session, user: User, actor_id: int | None, now: datetime) -> None:
    """A person leaves: their sessions and tokens stop working at once and their signing
    certificates are revoked (reason cessation_of_operation; kept, to validate what they signed
    before). The account stays, for the audit trail and the signatures."""
    user.active = False
    renew_session_nonce(user)
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    tokens = cast(CursorResult[Any], result).rowcount
    certificates = revoke_credentials(session, user.id, "cessation_of_operation", now)
    record(
        session,
        "user_deactivated",
        actor_id=actor_id,
        user_id=user.id,
        tokens=tokens,
        certificates=certificates,
    )
