"""How each person receives each kind of mail (the rule: domain.delivery). Services flush, never commit."""

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import User
from portal.errors import PortalError
from portal.notifications import domain
from portal.notifications.models import Delivery, MailPreference, NotificationKind


def chosen(session: Session, user: User) -> dict[NotificationKind, Delivery]:
    """Every choosable kind with what the person chose (at once where they never chose)."""
    rows = {
        row.kind: row.delivery
        for row in session.scalars(select(MailPreference).where(MailPreference.user_id == user.id))
    }
    return {kind: domain.delivery(kind, rows.get(kind)) for kind in domain.CHOOSABLE_KINDS}


def delivery_for(session: Session, user: User, kind: NotificationKind) -> Delivery:
    if kind in domain.REQUIRED_KINDS:
        return Delivery.immediate
    row = session.get(MailPreference, (user.id, kind.value))
    return domain.delivery(kind, row.delivery if row else None)


def save(session: Session, user: User, choices: Mapping[str, str]) -> None:
    """Store a choice for each choosable kind; a required kind or an unknown value is refused
    (422) and nothing is stored."""
    parsed: dict[NotificationKind, Delivery] = {}
    for kind, value in choices.items():
        if kind not in domain.CHOOSABLE_KINDS or value not in Delivery.__members__:
            raise PortalError("invalid_field", 422, field=kind)
        parsed[NotificationKind(kind)] = Delivery(value)
    for kind, value in parsed.items():
        row = session.get(MailPreference, (user.id, kind.value))
        if row is None:
            session.add(MailPreference(user_id=user.id, kind=kind, delivery=value))
        else:
            row.delivery = value
    session.flush()
