"""Invite people by mail, follow and withdraw invitations. Services flush, never commit; the
caller decides nothing: every check is here or in permissions."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agreements.models import Agreement
from portal.audit.services import record
from portal.auth.domain import Role
from portal.auth.models import User
from portal.auth.services import hash_password
from portal.contacts.domain import valid_email
from portal.errors import PortalError
from portal.invitations import domain
from portal.invitations.domain import InvitationState
from portal.invitations.models import Invitation
from portal.languages import LANGUAGES
from portal.links import Links
from portal.mail.services import enqueue
from portal.memberships import services as memberships
from portal.memberships.domain import MEMBER_ROLES
from portal.organisations.domain import valid_business_id
from portal.people import services as people
from portal.permissions import Action, require
from portal.timeutil import utcnow

#: the password hash of an account that signs in only through single sign-on (see the invitation
#: page's `sso_url`): not a hash argon2 accepts, so no password ever matches it
NO_PASSWORD = "!sso"  # noqa: S105 (a marker, not a secret)


@dataclass(frozen=True)
class Context:
    links: Links
    #: PORTAL_INVITATION_DAYS
    days: float = domain.DEFAULT_DAYS


@dataclass(frozen=True)
class Sent:
    invitation: Invitation
    #: the same seat was invited before: the open invitation got a new link instead
    resent: bool


def _party(agreement: Agreement, business_id: str) -> int:
    if not valid_business_id(business_id):
        raise PortalError("invalid_business_id", 422, business_id=business_id)
    for party in agreement.parties:
        if party.organisation.business_id == business_id:
            return party.organisation_id
    raise PortalError("not_a_party", 422)


def invite(
    session: Session,
    ctx: Context,
    actor: User,
    agreement: Agreement,
    *,
    email: str,
    role: Role | str,
    business_id: str,
    language: str = "fi",
) -> Sent:
    """Invite `email` to hold `role` in the agreement for the party `business_id`; the mail goes
    in `language`. The same address invited again to the same party and role while the first
    invitation is open gets a new link (the old one stops working) rather than a second
    invitation."""
    require(actor, Action.administer, agreement)
    email = email.strip().lower()
    if not valid_email(email):
        raise PortalError("invalid_email", 422)
    if role not in {r.value for r in MEMBER_ROLES}:
        raise PortalError("invalid_role", 422)
    if language not in LANGUAGES:
        raise PortalError("invalid_language", 422)
    role = Role(role)
    organisation_id = _party(agreement, business_id)
    now = utcnow()
    invitation = next(
        (
            i
            for i in session.scalars(
                select(Invitation).where(
                    Invitation.agreement_id == agreement.id,
                    Invitation.organisation_id == organisation_id,
                    Invitation.role == role,
                    Invitation.email == email,
                )
            )
            if i.state(now) is InvitationState.open
        ),
        None,
    )
    resent = invitation is not None
    token = domain.new_token()
    if invitation is None:
        invitation = Invitation(
            agreement_id=agreement.id,
            organisation_id=organisation_id,
            role=role,
            email=email,
            language=language,
            sent_count=1,
            created_by_id=actor.id,
        )
        session.add(invitation)
    else:
        invitation.sent_count += 1
        invitation.language = language
    invitation.token_sha256 = domain.token_digest(token)
    invitation.expires_at = domain.expires_at(now, ctx.days)
    session.flush()
    _mail(session, ctx, invitation, agreement, actor, token)
    record(
        session,
        "invitation_resent" if resent else "invitation_sent",
        actor_id=actor.id,
        agreement_id=agreement.id,
        invitation_id=invitation.id,
        email=email,
        role=role.value,
        organisation_id=organisation_id,
        expires_at=invitation.expires_at.isoformat(timespec="seconds"),
    )
    return Sent(invitation, resent)


def _mail(
    session: Session, ctx: Context, invitation: Invitation, agreement: Agreement, actor: User, token: str
) -> None:
    party = invitation.organisation
    enqueue(
        session,
        f"invitation:{invitation.id}:{invitation.sent_count}",
        kind="invitation",
        recipient=invitation.email,
        language=invitation.language,
        agreement_id=agreement.id,
        agreement=agreement,
        title=agreement.title,
        party=party,
        role=invitation.role,
        inviter=actor.display_name,
        link=ctx.links.external(ctx.links.invitation(token)),
        expires_at=invitation.expires_at,
    )


def invite_to_portal(
    session: Session, ctx: Context, user: User, *, actor_id: int | None = None
) -> Invitation:
    """Mail `user` a link to set their own password (an account made for them without one,
    such as the first administrator made at the console). Any earlier open link of theirs stops
    working."""
    now = utcnow()
    for earlier in session.scalars(
        select(Invitation).where(
            Invitation.user_id == user.id, Invitation.accepted_at.is_(None), Invitation.withdrawn_at.is_(None)
        )
    ):
        earlier.withdrawn_at = now
    token = domain.new_token()
    invitation = Invitation(
        user_id=user.id,
        email=user.email.strip().lower(),
        language=user.locale if user.locale in LANGUAGES else "fi",
        token_sha256=domain.token_digest(token),
        created_by_id=actor_id,
        sent_count=1,
        expires_at=domain.expires_at(now, ctx.days),
    )
    session.add(invitation)
    session.flush()
    enqueue(
        session,
        f"invitation:{invitation.id}:1",
        kind="account_invitation",
        recipient=invitation.email,
        language=invitation.language,
        user=user,
        link=ctx.links.external(ctx.links.invitation(token)),
        expires_at=invitation.expires_at,
    )
    record(
        session,
        "invitation_sent",
        actor_id=actor_id,
        invitation_id=invitation.id,
        user_id=user.id,
        email=invitation.email,
    )
    return invitation


def set_own_password(session: Session, token: str, password: str) -> User:
    """The person follows their link to the portal and chooses their password."""
    invitation = usable(by_token(session, token))
    user = session.get(User, invitation.user_id) if invitation.user_id else None
    if user is None or not user.is_active:
        raise PortalError("invitation_unknown", 404)
    user.password_hash = hash_password(password)
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    session.flush()
    record(session, "invitation_accepted", actor_id=user.id, invitation_id=invitation.id, user_id=user.id)
    return user


def by_token(session: Session, token: str) -> Invitation | None:
    """The invitation this link's secret opens, whatever its state (None: no such link)."""
    if not token or len(token) > 200:
        return None
    return session.scalar(select(Invitation).where(Invitation.token_sha256 == domain.token_digest(token)))


def usable(invitation: Invitation | None) -> Invitation:
    """The invitation when it can still be followed; else a refusal naming its state (404)."""
    if invitation is None:
        raise PortalError("invitation_unknown", 404)
    found = invitation.state(utcnow())
    if found is not InvitationState.open:
        raise PortalError(f"invitation_{found.value}", 410)
    return invitation


def existing_person(session: Session, invitation: Invitation) -> User | None:
    if invitation.user_id is not None:
        return session.get(User, invitation.user_id)
    return people.find_person(session, invitation.email)


def _accept(session: Session, invitation: Invitation, user: User) -> None:
    agreement = invitation.agreement
    if agreement is None or invitation.organisation_id is None or invitation.role is None:
        raise PortalError("invitation_unknown", 404)  # a link to the portal, not to an agreement
    memberships.add_membership(
        session, user, agreement, invitation.organisation_id, invitation.role, actor_id=user.id
    )
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    session.flush()
    record(
        session,
        "invitation_accepted",
        actor_id=user.id,
        agreement_id=agreement.id,
        invitation_id=invitation.id,
        user_id=user.id,
    )


def accept_as_new_person(session: Session, token: str, *, display_name: str, password: str | None) -> User:
    """A person new to the portal follows the link: they get an account (their username is the
    invited address) with the password they chose, and the membership. With `password` None
    (single sign-on: the identity provider vouched for the invited address) the account has no
    password that could ever match."""
    invitation = usable(by_token(session, token))
    if existing_person(session, invitation) is not None:
        raise PortalError("invitation_sign_in", 409)
    user = people.create_person(
        session,
        username=invitation.email,
        display_name=display_name.strip(),
        email=invitation.email,
        organisation_id=invitation.organisation_id,
        password_hash=hash_password(password) if password else NO_PASSWORD,
        locale=invitation.language,
    )
    _accept(session, invitation, user)
    return user


def accept_as(session: Session, token: str, user: User) -> Invitation:
    """A person who already has an account, signed in, takes the invitation: only the person
    it was sent to (the same e-mail address)."""
    invitation = usable(by_token(session, token))
    if not domain.same_address(user.email, invitation.email) or not user.is_active:
        raise PortalError("invitation_other_person", 403)
    _accept(session, invitation, user)
    return invitation


def accept_with_sso(session: Session, token: str, email: str, name: str) -> User | None:
    """The invited person signed in with single sign-on and the identity provider vouched for
    `email`: the invitation is taken with it, by the account of that address or by a new one
    with no password (SSO is its way in). None, signing in nobody, when the link cannot be
    followed or the provider's address is not the invited one."""
    try:
        invitation = usable(by_token(session, token))
        if not domain.same_address(email, invitation.email):
            return None
        existing = existing_person(session, invitation)
        if invitation.agreement is None:  # a link to the portal itself: SSO is the way in
            if existing is None or not existing.is_active:
                return None
            invitation.accepted_at, invitation.accepted_by_id = utcnow(), existing.id
            session.flush()
            record(
                session,
                "invitation_accepted",
                actor_id=existing.id,
                invitation_id=invitation.id,
                user_id=existing.id,
                method="oidc",
            )
            return existing
        if existing is not None:
            accept_as(session, token, existing)
            return existing
        return accept_as_new_person(session, token, display_name=name or email, password=None)
    except PortalError:
        return None


def withdraw(session: Session, actor: User, invitation: Invitation) -> None:
    agreement = invitation.agreement
    require(actor, Action.administer, agreement)  # None: the portal's administrators
    if invitation.state() is InvitationState.open:
        invitation.withdrawn_at = utcnow()
        session.flush()
        record(
            session,
            "invitation_withdrawn",
            actor_id=actor.id,
            agreement_id=invitation.agreement_id,
            invitation_id=invitation.id,
        )


def open_invitations(session: Session, agreement_id: int) -> list[Invitation]:
    now = utcnow()
    return [
        i
        for i in session.scalars(
            select(Invitation)
            .where(
                Invitation.agreement_id == agreement_id,
                Invitation.accepted_at.is_(None),
                Invitation.withdrawn_at.is_(None),
            )
            .order_by(Invitation.id)
        )
        if i.state(now) is InvitationState.open
    ]
