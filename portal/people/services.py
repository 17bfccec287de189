"""People: creating a person, and what makes someone the portal's administrator.

Independent of how people sign in (portal.auth): a person made here signs in with the password
given, or is invited to set one (portal's invitations, when there)."""

import re

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portal.audit.services import record
from portal.auth.domain import Role
from portal.auth.models import User
from portal.auth.services import hash_password, renew_session_nonce
from portal.errors import PortalError
from portal.languages import LANGUAGES
from portal.organisations.models import Organisation

USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,79}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: a password shorter than this is refused
MIN_PASSWORD_LENGTH = 12


def make_portal_administrator(user: User) -> None:
    """The one place that says what being the portal's administrator means (today: the
    administrator role); the per-agreement roles may change it here alone."""
    user.role = Role.administrator


def find_person(session: Session, username_or_email: str) -> User | None:
    """A person by username, or by e-mail address (any case)."""
    return session.scalar(
        select(User)
        .where(
            or_(
                User.username == username_or_email,
                func.lower(User.email) == username_or_email.strip().lower(),
            )
        )
        .order_by(User.id)
        .limit(1)
    )


def create_person(
    session: Session,
    *,
    username: str,
    email: str,
    display_name: str = "",
    locale: str = "fi",
    organisation: Organisation | None = None,
    organisation_id: int | None = None,
    role: Role = Role.viewer,
    administrator: bool = False,
    password: str | None = None,
    password_hash: str | None = None,
    actor_id: int | None = None,
) -> User:
    """A new, active person: the one place people are made (the console, invitations, the
    demo). `password`, or an already hashed one (`password_hash`, or a marker no password
    matches); without either they cannot sign in until they set one. Their roles in
    agreements are memberships (portal.memberships)."""
    if not USERNAME.fullmatch(username):
        raise PortalError("invalid_field", 422, field="username")
    if not EMAIL.fullmatch(email) or len(email) > 254:
        raise PortalError("invalid_field", 422, field="email")
    if locale not in LANGUAGES:
        raise PortalError("invalid_field", 422, field="locale")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise PortalError("password_too_short", 422, length=MIN_PASSWORD_LENGTH)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise PortalError("username_taken", 409, username=username)
    if password_hash is None:  # "!" is never an argon2 hash: no password signs in until one is set
        password_hash = hash_password(password) if password is not None else "!"
    user = User(
        username=username,
        email=email,
        display_name=display_name.strip() or username,
        locale=locale,
        role=role,
        active=True,
        password_hash=password_hash,
        organisation_id=organisation.id if organisation else organisation_id,
    )
    if administrator:
        make_portal_administrator(user)
    renew_session_nonce(user)
    session.add(user)
    session.flush()
    record(
        session, "person_created", actor_id=actor_id, user_id=user.id, username=username, role=str(user.role)
    )
    return user


def set_language(session: Session, user: User, locale: str) -> None:
    """The person's language of pages, mail and signature stamp."""
    if locale not in LANGUAGES:
        raise PortalError("invalid_field", 422, field="locale")
    if user.locale != locale:
        user.locale = locale
        session.flush()
        record(session, "language_changed", actor_id=user.id, user_id=user.id, locale=locale)
