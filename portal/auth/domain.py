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
