"""A contact person's personal data (GDPR): export it as JSON, and erase it when they leave.

Erasing keeps the audit trail verifiable: each chain link covers the digest of its payload, not
the payload, so the payload of the events about the person is set to NULL and the chain stays.
Services flush, never commit."""

from sqlalchemy import null, or_, select, update
from sqlalchemy.orm import Session

from portal.audit.models import AuditEvent
from portal.audit.services import record
from portal.auth.models import User
from portal.contacts import domain
from portal.contacts.models import ContactChange, ContactPerson
from portal.contacts.services import get_contact
from portal.permissions import Action, require
from portal.timeutil import utcnow


def _utc(value) -> str | None:
    return value.isoformat() + "Z" if value else None


def entries_of_user(session: Session, user_id: int) -> list[ContactPerson]:
    return list(
        session.scalars(
            select(ContactPerson).where(ContactPerson.user_id == user_id).order_by(ContactPerson.id)
        )
    )


def same_person(session: Session, contact: ContactPerson) -> list[ContactPerson]:
    """The entry and the person's entries in other agreements: the same account or address."""
    same = [ContactPerson.id == contact.id]
    if contact.user_id is not None:
        same.append(ContactPerson.user_id == contact.user_id)
    if contact.email:
        same.append(ContactPerson.email == contact.email)
    return list(session.scalars(select(ContactPerson).where(or_(*same)).order_by(ContactPerson.id)))


def _changes_of(session: Session, ids: set[int]) -> list[ContactChange]:
    return list(
        session.scalars(
            select(ContactChange)
            .where(or_(ContactChange.contact_id.in_(ids), ContactChange.replaced_by_id.in_(ids)))
            .order_by(ContactChange.id)
        )
    )


def _events_about(session: Session, entries: list[ContactPerson]) -> list[AuditEvent]:
    ids = {c.id for c in entries}
    identifiers = domain.identifiers_of([c.details() for c in entries])
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.payload.is_not(None))
        .order_by(AuditEvent.seq)
        .execution_options(yield_per=500)
    )
    return [e for e in rows if domain.mentions(e.payload, ids, identifiers)]


def export_for_user(session: Session, user: User) -> dict:
    """The user's contact entries, their changes and the audit events about them. A change that
    replaced someone else with this person shows only this person's side."""
    entries = entries_of_user(session, user.id)
    ids = {c.id for c in entries}
    changes = [
        {
            "id": ch.id,
            "contact_id": ch.contact_id if ch.contact_id in ids else None,
            "changed_at": _utc(ch.changed_at),
            "old": ch.old if ch.contact_id in ids else {},
            "new": ch.new if ch.contact_id in ids or ch.replaced_by_id in ids else {},
            "replaced": ch.replaced_by_id is not None,
        }
        for ch in _changes_of(session, ids)
    ]
    return {
        "exported_at": _utc(utcnow()),
        "contacts": [
            {
                "id": c.id,
                "agreement_id": c.agreement_id,
                "party": c.organisation.business_id,
                **c.details(),
                "active": c.active,
                "created_at": _utc(c.created_at),
                "updated_at": _utc(c.updated_at),
            }
            for c in entries
        ],
        "changes": changes,
        "audit_events": [
            {
                "seq": e.seq,
                "occurred_at": _utc(e.occurred_at),
                "kind": e.kind,
                "agreement_id": e.agreement_id,
                "payload": e.payload,
            }
            for e in (_events_about(session, entries) if entries else [])
        ],
    }


def erase(session: Session, admin: User, contact_id: int) -> AuditEvent:
    """An administrator erases a contact person who has left, in every agreement: the details
    become a placeholder, the entries inactive, the change history and the audit payloads about
    them empty. The erasure itself is recorded, naming entries and events by number only."""
    require(admin, Action.administer)
    contact = get_contact(session, contact_id)
    entries = same_person(session, contact)
    ids = {c.id for c in entries}
    events = _events_about(session, entries)
    changes = _changes_of(session, ids)
    for change in changes:
        if change.contact_id in ids:  # their own change: before and after are theirs
            change.old, change.new = {}, {}
        else:  # someone else was replaced by them: the old details are the other person's
            change.new = {}
    for entry in entries:
        for field, value in domain.erased_details().items():
            setattr(entry, field, value)
        entry.active, entry.user_id, entry.updated_at = False, None, utcnow()
    if events:
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.id.in_([e.id for e in events]))
            .values(payload=null())
            .execution_options(synchronize_session=False)
        )
        for e in events:
            session.expire(e, ["payload"])
    session.flush()
    return record(
        session,
        "contact.erased",
        actor_id=admin.id,
        agreement_id=contact.agreement_id,
        contact_ids=sorted(ids),
        changes_cleared=len(changes),
        events_erased=[e.seq for e in events],
    )
