"""Roles and token scopes. A role is held in one agreement for one party (portal.memberships:
a representative of Nokia signs for Nokia only); `administrator` as a user's own role marks the
people who run the installation (portal.permissions.is_portal_admin)."""

import unicodedata
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import unquote, urlsplit

#: a token's last use is written at most this often, so that reads never queue on the token row
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


class Role(StrEnum):
    administrator = "administrator"
    representative = "representative"
    lawyer = "lawyer"
    contact_person = "contact_person"
    viewer = "viewer"


class Scope(StrEnum):
    """Scopes of a personal access token; `sign` must be asked for explicitly."""

    read = "read"
    write = "write"
    sign = "sign"


def token_use_due(last_used_at: datetime | None, now: datetime) -> bool:
    """Whether a token's recorded last use is stale enough to be written again."""
    return last_used_at is None or now - last_used_at >= TOKEN_USE_RESOLUTION


#: a `next` address longer than this is not one of the portal's own pages
MAX_NEXT_LENGTH = 2000


def _control(char: str) -> bool:
    """Controls (tab, CR, LF, NUL), format characters (zero-width, bidirectional overrides) and
    code points that are not characters."""
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn")


def _invisible(char: str) -> bool:
    """What a browser strips or ignores in a URL: whitespace and the controls above."""
    return char.isspace() or _control(char)


def _is_local_path(value: str) -> bool:
    """A path on this site: it starts with one slash, and nothing a browser would read as a scheme
    or a host remains once the characters it drops are gone."""
    for form in {value, unicodedata.normalize("NFKC", value)}:
        cleaned = "".join(c for c in form if not _invisible(c))
        if "\\" in cleaned or not cleaned.startswith("/") or cleaned.startswith("//"):
            return False
        parts = urlsplit(cleaned)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site to go to after signing in or choosing a language,
    else None. Refused: anything with a scheme or a host (`https:`, `//host`, `/\\host`,
    `/<tab>/host`), backslashes, control and invisible characters (a CR/LF would also break the
    Location header), and the same in percent-encoded form (decoded up to three times)."""
    if not target or len(target) > MAX_NEXT_LENGTH or any(_invisible(c) for c in target):
        return None
    layer = target
    for _ in range(4):
        if any(_control(c) for c in layer) or not _is_local_path(layer):
            return None
        decoded = unquote(layer)
        if decoded == layer:
            return target
        layer = decoded
    return None  # still encoded after three rounds: not a link the portal wrote


# -- second factor and sign-scoped tokens ----------------------------------------------------------


class MfaMode(StrEnum):
    """PORTAL_MFA: `required` (production's default) makes administrators and representatives
    enrol a second factor before anything else; `optional` offers it; `off` hides it."""

    required = "required"
    optional = "optional"
    off = "off"


#: a second factor entered this recently confirms a signature or a sign-scoped token without a new one
FRESH_FACTOR = timedelta(minutes=5)
#: how long the second step of a sign-in (after the password or SSO) may wait for its factor
PENDING_SIGN_IN = timedelta(minutes=5)
#: a sign-scoped token expires this soon after it was made
SIGN_TOKEN_LIFETIME = timedelta(minutes=15)
#: ... except the demo's tokens (portal demo --tokens), for automation and evaluation
DEMO_SIGN_TOKEN_LIFETIME = timedelta(days=1)
#: roles of whom PORTAL_MFA=required asks a second factor
MFA_ROLES = frozenset({Role.administrator, Role.representative})


def mfa_required(mode: MfaMode, roles: set[Role]) -> bool:
    """Whether a person holding `roles` (in any agreement) must have a second factor."""
    return mode is MfaMode.required and bool(roles & MFA_ROLES)


def factor_fresh(verified_at: datetime | None, now: datetime, window: timedelta = FRESH_FACTOR) -> bool:
    """Whether a second factor verified at `verified_at` still confirms a signature."""
    return verified_at is not None and timedelta(0) <= now - verified_at <= window


def token_expired(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is not None and now >= expires_at


def token_covers(
    bound_agreement_id: int | None, bound_document_ids: set[int], agreement_id: int, document_id: int
) -> bool:
    """Whether a sign-scoped token may sign this document: one of the documents it was made for,
    or, with no documents named, any document of the agreement it was made for (the demo's)."""
    if bound_agreement_id != agreement_id:
        return False
    return not bound_document_ids or document_id in bound_document_ids
