"""Who may do what: roles are per party (a representative of Nokia signs for Nokia only)."""

from datetime import datetime, timedelta
from enum import StrEnum

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


def may_see_agreement(role: Role, user_org_id: int, party_org_ids: set[int]) -> bool:
    """Administrators (agreement secretaries) see every agreement; others those of their party."""
    return role is Role.administrator or user_org_id in party_org_ids


def may_administer(role: Role) -> bool:
    return role is Role.administrator


def may_sign_for(role: Role, user_org_id: int, party_org_id: int) -> bool:
    """Only a representative, and only for their own party."""
    return role is Role.representative and user_org_id == party_org_id


def token_use_due(last_used_at: datetime | None, now: datetime) -> bool:
    """Whether a token's recorded last use is stale enough to be written again."""
    return last_used_at is None or now - last_used_at >= TOKEN_USE_RESOLUTION
