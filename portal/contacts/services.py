"""Contact persons: own edits, replacement by an administrator, and the written notice (R2) to
the other parties' contact persons. Services flush, never commit: the notice mails are in the
outbox in the same transaction as the change."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agreements.models import Agreement
from portal.audit.services import record
from portal.auth.models import User
from portal.contacts import domain
from portal.contacts.models import ContactChange, ContactPerson
from portal.errors import PortalError
from portal.links import Links
from portal.notifications import services as notifications
from portal.permissions import Action, require
from portal.timeutil import utcnow


def contacts_of(session: Session, agreement_id: int, active: bool = True) -> list[ContactPerson]:
    query = select(ContactPerson).where(ContactPerson.agreement_id == agreement_id)
    if active:
        query = query.where(ContactPerson.active.is_(True))
    return list(session.scalars(query.order_by(ContactPerson.organisation_id, ContactPerson.id)))


def own_contacts(session: Session, user_id: int) -> list[ContactPerson]:
    """A user's active contact entries, one per agreement they serve."""
    return list(
        session.scalars(
            select(ContactPerson)
            .where(ContactPerson.user_id == user_id, ContactPerson.active.is_(True))
            .order_by(ContactPerson.id)
        )
    )


def add_contact(
    session: Session,
    agreement_id: int,
    organisation_id: int,
    *,
    name: str,
    email: str,
    title: str = "",
    phone: str = "",
    language: str = "fi",
    user_id: int | None = None,
) -> ContactPerson:
    contact = ContactPerson(
        agreement_id=agreement_id,
        organisation_id=organisation_id,
        user_id=user_id,
        name=name,
        title=title,
        email=email,
        phone=phone,
        language=language if language in domain.LANGUAGES else "fi",
    )
    session.add(contact)
    session.flush()
    return contact


def get_contact(session: Session, contact_id: int) -> ContactPerson:
    contact = session.get(ContactPerson, contact_id)
    if contact is None:
        raise PortalError("not_found", 404)
    return contact


def update_own_details(
    session: Session, links: Links, user: User, contact_id: int, **fields
) -> list[ContactChange]:
    """The contact person changes their own details; the same person's entries in the other
    agreements they serve change with them, and each agreement's other parties are told."""
    contact = get_contact(session, contact_id)
    require(user, Action.edit_own_contact, contact)
    new = {f: fields[f] for f in domain.FIELDS if f in fields}
    rows = [contact] + [
        c
        for c in session.scalars(
            select(ContactPerson).where(
                ContactPerson.user_id == user.id,
                ContactPerson.active.is_(True),
                ContactPerson.id != contact.id,
            )
        )
    ]
    changes = []
    for row in rows:
        old = row.details()
        if not domain.changes(old, {**old, **new}):
            continue
        for field, value in new.items():
            setattr(row, field, value)
        row.updated_at = utcnow()
        changes.append(_changed(session, links, user, row, old, row.details(), replaced_by=None))
    return changes


def replace_contact(session: Session, links: Links, admin: User, contact_id: int, **fields) -> ContactPerson:
    """An administrator (of the portal or of the agreement) replaces a party's contact person
    with a new one (R2); the other parties' contact persons are told."""
    old_contact = get_contact(session, contact_id)
    require(admin, Action.replace_contact, old_contact)
    new_contact = add_contact(
        session,
        old_contact.agreement_id,
        old_contact.organisation_id,
        **{f: fields[f] for f in (*domain.FIELDS, "user_id") if f in fields},
    )
    old_contact.active = False
    old_contact.updated_at = utcnow()
    _changed(
        session,
        links,
        admin,
        old_contact,
        old_contact.details(),
        new_contact.details(),
        replaced_by=new_contact,
    )
    return new_contact


def history_of(session: Session, user: User) -> list[ContactChange]:
    return list(
        session.scalars(
            select(ContactChange)
            .join(ContactChange.contact)
            .where(ContactPerson.user_id == user.id)
            .order_by(ContactChange.changed_at.desc(), ContactChange.id.desc())
        )
    )


def _changed(
    session,
    links: Links,
    actor: User,
    contact: ContactPerson,
    old: dict,
    new: dict,
    replaced_by: ContactPerson | None,
) -> ContactChange:
    change = ContactChange(
        contact_id=contact.id,
        replaced_by_id=replaced_by and replaced_by.id,
        changed_by_id=actor.id,
        changed_at=utcnow(),
        old=old,
        new=new,
    )
    session.add(change)
    session.flush()
    recipients = _notify(session, links, change, contact)
    record(
        session,
        "contact.changed",
        actor_id=actor.id,
        agreement_id=contact.agreement_id,
        contact_id=contact.id,
        change_id=change.id,
        replaced=replaced_by is not None,
        fields=sorted(domain.changes(old, new)),
        notified=recipients,
    )
    return change


def _notify(session: Session, links: Links, change: ContactChange, contact: ContactPerson) -> list[int]:
    agreement = session.get_one(Agreement, contact.agreement_id)
    everyone = contacts_of(session, contact.agreement_id)
    recipients = domain.notice_recipients(
        contact.organisation_id, [domain.Contact(c.id, c.organisation_id, c.active) for c in everyone]
    )
    by_id = {c.id: c for c in everyone}
    for r in recipients:
        person = by_id[r.id]
        notifications.contact_changed(
            session,
            links,
            domain.notice_event_key(change.id, person.id),
            agreement,
            person,
            party=contact.organisation,
            old=change.old,
            new=change.new,
            changed=domain.changes(change.old, change.new),
            replaced=change.replaced_by_id is not None,
        )
    return [r.id for r in recipients]
