"""Give and end memberships. Services flush, never commit."""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portal.agreements.models import Agreement
from portal.audit.services import record
from portal.auth.domain import Role
from portal.auth.models import User
from portal.auth.services import deactivate_user
from portal.errors import PortalError
from portal.invitations.models import Invitation
from portal.memberships.domain import MEMBER_ROLES
from portal.memberships.models import Membership
from portal.permissions import Action, require
from portal.timeutil import utcnow


def add_membership(
    session: Session,
    user: User,
    agreement: Agreement,
    organisation_id: int,
    role: Role,
    *,
    actor_id: int | None = None,
) -> Membership:
    """Give `user` a role in the agreement for one of its parties; the same active membership
    is returned rather than made twice. The caller decided who may (an invitation, the demo)."""
    role = Role(role)
    if role not in MEMBER_ROLES:
        raise PortalError("invalid_role", 422)
    if organisation_id not in {p.organisation_id for p in agreement.parties}:
        raise PortalError("not_a_party", 422)
    existing = session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.agreement_id == agreement.id,
            Membership.organisation_id == organisation_id,
            Membership.role == role,
            Membership.ended_at.is_(None),
        )
    )
    if existing is not None:
        return existing
    membership = Membership(
        user_id=user.id, agreement_id=agreement.id, organisation_id=organisation_id, role=role
    )
    session.add(membership)
    session.flush()
    session.expire(user, ["memberships"])
    record(
        session,
        "membership_added",
        actor_id=actor_id,
        agreement_id=agreement.id,
        user_id=user.id,
        organisation_id=organisation_id,
        role=role.value,
    )
    return membership


def end_membership(session: Session, membership: Membership, *, actor_id: int | None = None) -> None:
    if membership.ended_at is None:
        membership.ended_at = utcnow()
        session.flush()
        session.expire(membership.user, ["memberships"])
        record(
            session,
            "membership_ended",
            actor_id=actor_id,
            agreement_id=membership.agreement_id,
            user_id=membership.user_id,
            organisation_id=membership.organisation_id,
            role=membership.role.value,
        )


def members_of(session: Session, agreement_id: int) -> list[Membership]:
    """The agreement's active memberships, by party and role (one query)."""
    return list(
        session.scalars(
            select(Membership)
            .where(Membership.agreement_id == agreement_id, Membership.ended_at.is_(None))
            .order_by(Membership.organisation_id, Membership.role, Membership.id)
        )
    )


#: at most this many people on one page of /admin/users
PEOPLE_PAGE = 200


def search_people(session: Session, query: str = "", limit: int = PEOPLE_PAGE) -> list[User]:
    """People whose name, username or e-mail address contains `query` (case-insensitive)."""
    statement = select(User).order_by(User.display_name, User.id).limit(limit)
    if query.strip():
        like = f"%{query.strip().lower()}%"
        statement = statement.where(
            or_(
                func.lower(User.display_name).like(like),
                func.lower(User.username).like(like),
                func.lower(User.email).like(like),
            )
        )
    return list(session.scalars(statement))


def deactivate_person(session: Session, person: User, actor: User) -> None:
    """A person leaves (a portal administrator decides): their sessions and tokens end at once,
    their signing certificates are revoked (kept, to validate what they signed) and the open
    invitations to their address are withdrawn. Their memberships stay, for the record; an
    inactive person is told nothing and can do nothing."""
    require(actor, Action.administer)
    if person.id == actor.id:
        raise PortalError("deactivate_self", 409)
    deactivate(session, person, actor.id)


def deactivate(session: Session, person: User, actor_id: int | None) -> None:
    """deactivate_person without the check: for `portal admin deactivate-user`, run by whoever
    operates the installation."""
    now = utcnow()
    deactivate_user(session, person, actor_id, now)
    for invitation in session.scalars(
        select(Invitation).where(
            func.lower(Invitation.email) == person.email.strip().lower(),
            Invitation.accepted_at.is_(None),
            Invitation.withdrawn_at.is_(None),
        )
    ):
        invitation.withdrawn_at = now
        record(
            session,
            "invitation_withdrawn",
            actor_id=actor_id,
            agreement_id=invitation.agreement_id,
            invitation_id=invitation.id,
            reason="deactivated",
        )
    session.flush()
