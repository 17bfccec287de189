"""Rules of an agreement's signing (R3): states, who may sign, entry into force. What follows
entry into force (R4, R5) is portal.lifecycle.domain."""

from collections.abc import Set
from enum import StrEnum


class Status(StrEnum):
    """The state of a signable document: the main agreement, an annex agreement, an amendment."""

    draft = "draft"
    signing = "signing"
    in_force = "in_force"


class SignRefusal(StrEnum):
    not_open = "not_open"
    not_a_representative = "not_a_representative"
    not_a_party = "not_a_party"
    already_signed = "already_signed"


def sign_refusal(
    *,
    status: Status,
    is_representative: bool,
    user_org_id: int,
    party_org_ids: Set[int],
    signed_org_ids: Set[int],
) -> SignRefusal | None:
    """Why this user may not sign now, or None when they may: a representative signs their own
    party's field, once, while the document is open for signature."""
    if not is_representative:
        return SignRefusal.not_a_representative
    if user_org_id not in party_org_ids:
        return SignRefusal.not_a_party
    if user_org_id in signed_org_ids:
        return SignRefusal.already_signed
    if status is not Status.signing:
        return SignRefusal.not_open
    return None


def ready_to_enter_into_force(
    party_org_ids: Set[int], approved_org_ids: Set[int], signed_org_ids: Set[int],
    approvals_required: bool = True,
) -> bool:
    """R3, R8: in force when the competent body of every party has approved it and every party
    has signed it; an annex agreement whose terms need no approval decisions, once signed (R7)."""
    approved = party_org_ids <= approved_org_ids or not approvals_required
    return bool(party_org_ids) and approved and party_org_ids <= signed_org_ids


def next_status(status: Status, *, opened: bool = False, complete: bool = False) -> Status:
    """draft → signing when opened; signing → in force when complete; in force stays."""
    if status is Status.draft and opened:
        return Status.signing
    if status is Status.signing and complete:
        return Status.in_force
    return status
