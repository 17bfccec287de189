"""A person's roles belong to them in an agreement and a party, not to the user globally: a
lawyer of Tampere in agreement A is nobody in agreement B. The rules read a Standing, the plain
summary of what one user is in one agreement; portal.permissions builds it."""

from collections.abc import Iterable
from dataclasses import dataclass

from portal.auth.domain import Role

#: the roles a membership carries; `administrator` is the administrator of that agreement only
MEMBER_ROLES = (Role.representative, Role.lawyer, Role.contact_person, Role.viewer, Role.administrator)


@dataclass(frozen=True)
class Seat:
    """One role for one party (the party's organisation id)."""

    organisation_id: int
    role: Role


@dataclass(frozen=True)
class Standing:
    """What a user is in one agreement: whether they run the portal, and their seats in it."""

    portal_admin: bool = False
    seats: frozenset[Seat] = frozenset()

    @property
    def roles(self) -> set[Role]:
        return {s.role for s in self.seats}

    def parties(self, *roles: Role) -> set[int]:
        """The parties for which the user holds one of `roles` (any role when none is given)."""
        return {s.organisation_id for s in self.seats if not roles or s.role in roles}

    @property
    def member(self) -> bool:
        return bool(self.seats)


def standing(portal_admin: bool, seats: Iterable[tuple[int, Role]]) -> Standing:
    return Standing(portal_admin, frozenset(Seat(org, Role(role)) for org, role in seats))


def may_see(s: Standing) -> bool:
    """An agreement is visible to whoever holds any active role in it, and to the portal's
    administrators; to anybody else it does not exist (404)."""
    return s.portal_admin or s.member


def may_administer(s: Standing) -> bool:
    """The agreement's secretary work (open, record approvals, invite, replace contacts): the
    portal's administrators and the administrators of that agreement."""
    return s.portal_admin or Role.administrator in s.roles


def may_invite(s: Standing, role: Role) -> bool:
    """Who invites people to an agreement. An agreement's administrator may invite any role of
    it, including another administrator of it; only membership roles exist."""
    return may_administer(s) and role in MEMBER_ROLES


def signing_party(represented: set[int], party_org_ids: set[int], signed_org_ids: set[int]) -> int | None:
    """The party a representative signs for on a document: the one of their representative
    memberships in the agreement that is a party of the document and has not signed yet (the
    lowest id when a person represents two parties of it: one signature per click)."""
    open_parties = (represented & party_org_ids) - signed_org_ids
    return min(open_parties) if open_parties else None


def may_ask_to_join(
    home_role: Role, home_organisation: int | None, organisation_id: int, parties: set[int]
) -> bool:
    """R10: an organisation that is not a party asks to join through its own representative
    (the agreement's secretary may record the request on its behalf: may_administer)."""
    return (
        home_role is Role.representative
        and home_organisation == organisation_id
        and organisation_id not in parties
    )
