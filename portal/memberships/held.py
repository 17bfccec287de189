"""What a person holds, read as a request asks for it, so that a person with a thousand
memberships costs a request what a person with one does: the roles they hold anywhere (a row a
role) and their memberships in the agreements the request is about, each agreement's read once
(`prefetch` reads those of many agreements, or of many people, in one query).

What was read stays on the person's object until the session expires it: at a commit, or when
add_membership or end_membership expires `User.memberships`. portal.permissions decides on it.
A person that is not a mapped object (the rules' unit tests build plain ones) is read from its
`memberships`."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import Session, lazyload

from portal.auth.domain import Role
from portal.auth.models import User
from portal.dbtypes import kept_until_expired
from portal.memberships.models import Membership

#: where on the person's object (its __dict__, beside SQLAlchemy's own state) the reading is kept
_KEPT = "_sopu_held"


@dataclass
class _Held:
    roles: frozenset[Role] | None = None
    #: agreement id -> the person's active memberships in it (an empty list: none, read)
    by_agreement: dict[int, list[Any]] = field(default_factory=dict)


#: built once a process, with bound parameters (SQLAlchemy then reuses their compiled form)
#: read from the index on (user_id, role) of the active memberships. Not an EXISTS a role: under
#: the generic plan of a prepared statement PostgreSQL expects a thousand rows for any person and
#: scans the table for the first, which for someone with none is all of it
_ROLES = (
    select(Membership.role)
    .where(Membership.user_id == bindparam("user_id"), Membership.ended_at.is_(None))
    .distinct()
)
_IN_AGREEMENTS = (
    select(Membership)
    .where(
        Membership.user_id.in_(bindparam("user_ids", expanding=True)),
        Membership.agreement_id.in_(bindparam("agreement_ids", expanding=True)),
        Membership.ended_at.is_(None),
    )
    .order_by(Membership.id)
    # the person is in the session already: the many-to-one finds them without a join
    .options(lazyload(Membership.user))
)


def _session_of(user: Any) -> Session | None:
    state = inspect(user, raiseerr=False)
    return state.session if state is not None else None


def _kept(user: Any) -> _Held:
    found = user.__dict__.get(_KEPT)
    if found is None:
        found = user.__dict__[_KEPT] = _Held()
    return found


def roles(user: Any) -> frozenset[Role]:
    """Every role the person holds in any agreement (active memberships)."""
    session = _session_of(user)
    if session is None:
        return frozenset(m.role for m in user.memberships)
    kept = _kept(user)
    if kept.roles is None:
        # on the session's connection: values, no objects for the ORM's execution to set up
        kept.roles = frozenset(session.connection().scalars(_ROLES, {"user_id": user.id}))
    return kept.roles


def memberships_in(user: Any, agreement_id: int) -> list[Any]:
    """The person's active memberships in that agreement, oldest first."""
    kept = user.__dict__.get(_KEPT)  # read already: the rules ask this many times a request
    if kept is not None and agreement_id in kept.by_agreement:
        return kept.by_agreement[agreement_id]
    session = _session_of(user)
    if session is None:
        return [m for m in user.memberships if m.agreement_id == agreement_id]
    kept = _kept(user)
    if agreement_id not in kept.by_agreement:
        prefetch(session, [user], [agreement_id])
    return kept.by_agreement[agreement_id]


def prefetch(session: Session, users: Iterable[Any], agreement_ids: Iterable[int]) -> None:
    """Read, in one query, each person's memberships in each of the agreements not read yet:
    for a list that asks the permissions about many agreements, or about many people."""
    people = {u.id: u for u in users if _session_of(u) is session}
    wanted = set(agreement_ids)
    missing = {a for u in people.values() for a in wanted if a not in _kept(u).by_agreement}
    if not people or not missing:
        return
    found = session.scalars(_IN_AGREEMENTS, {"user_ids": sorted(people), "agreement_ids": sorted(missing)})
    read: dict[tuple[int, int], list[Any]] = {}
    for membership in found:
        read.setdefault((membership.user_id, membership.agreement_id), []).append(membership)
    for user_id, user in people.items():
        kept = _kept(user).by_agreement
        for agreement_id in missing:
            kept.setdefault(agreement_id, read.get((user_id, agreement_id), []))


# A commit, a rollback and session.expire end what was read, as they end the loaded attributes.
kept_until_expired(User, _KEPT)
