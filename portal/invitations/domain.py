"""Rules of invitations: a single-use link that expires; only its hash is stored."""

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

#: how long a link stays usable unless PORTAL_INVITATION_DAYS says otherwise
DEFAULT_DAYS = 7
#: the secret in the link: 32 random bytes, URL-safe
TOKEN_BYTES = 32


class InvitationState(StrEnum):
    open = "open"
    used = "used"
    withdrawn = "withdrawn"
    expired = "expired"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def expires_at(now: datetime, days: float = DEFAULT_DAYS) -> datetime:
    return now + timedelta(days=days)


def state(
    accepted_at: datetime | None, withdrawn_at: datetime | None, expires: datetime, now: datetime
) -> InvitationState:
    """Used and withdrawn are final; an open link expires at `expires`."""
    if accepted_at is not None:
        return InvitationState.used
    if withdrawn_at is not None:
        return InvitationState.withdrawn
    if now >= expires:
        return InvitationState.expired
    return InvitationState.open


def same_address(a: str, b: str) -> bool:
    """E-mail addresses compared as people type them: case and surrounding spaces aside."""
    return a.strip().casefold() == b.strip().casefold()
