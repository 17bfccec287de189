"""The agreement page's sections, each a URL of its own (`?tab=`) and an htmx fragment: what
each needs, read in a fixed number of queries whatever the number of parties."""

from collections.abc import Callable
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from portal.agreements import services
from portal.agreements.domain import Status
from portal.agreements.forms import OpenForm, UploadForm
from portal.agreements.models import Agreement
from portal.annexes.views import annex_list_context
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.contacts import services as contacts
from portal.documents.views import party_list_context, state_context
from portal.extensions import db
from portal.lifecycle.views import termination_context
from portal.paging import Paged, page_arg, paged
from portal.permissions import standing

TAB_TITLES = {
    "overview": _l("Overview"),
    "documents": _l("Documents"),
    "parties": _l("Parties"),
    "contacts": _l("Contacts"),
    "history": _l("History"),
}
CONTACT_PARTIES_PER_PAGE = 10
EVENTS_PER_PAGE = 50

#: what each event of an agreement's audit trail means, as its history tab says it
EVENT_TITLES = {
    "agreement_created": _l("The agreement was created"),
    "agreement_updated": _l("The draft was changed"),
    "document_created": _l("A document was added"),
    "document_uploaded": _l("A new version was uploaded"),
    "document_checked": _l("The compatibility checks ran"),
    "document_opened": _l("Opened for signature"),
    "document_parties_changed": _l("The parties of a document were corrected"),
    "flag_acknowledged": _l("A warning was acknowledged"),
    "signature": _l("A party signed"),
    "approval": _l("An approval decision was recorded"),
    "approval_corrected": _l("An approval decision was corrected"),
    "approvals_voided": _l("A new version voided the approval decisions"),
    "entered_into_force": _l("Entered into force"),
    "entry_into_force_withheld": _l("Entry into force was withheld"),
    "termination": _l("A notice of termination was recorded"),
    "accession_requested": _l("An organisation asked to join"),
    "accession_decided": _l("The steering group decided on joining"),
    "membership_added": _l("A person was given a role"),
    "membership_ended": _l("A person's role ended"),
    "invitation_sent": _l("An invitation was sent"),
    "invitation_resent": _l("An invitation was sent again"),
    "invitation_withdrawn": _l("An invitation was withdrawn"),
    "invitation_accepted": _l("An invitation was accepted"),
    "signing_authority_recorded": _l("A signing authority was recorded"),
    "steering_member": _l("The steering group changed"),
    "meeting": _l("A steering group meeting was called"),
    "meeting_attendance": _l("Attendance at a meeting was recorded"),
    "meeting_minutes": _l("Minutes of a meeting were stored"),
    "costs": _l("A cost-sharing table was recorded"),
}


def tab_of(value: str | None) -> str:
    return value if value in TAB_TITLES else "overview"


def overview(agreement: Agreement) -> dict:
    document = agreement.main_document
    assert document is not None, "every agreement has its main document"
    context = {
        **state_context(document),
        **termination_context(agreement),
        "goals": services.goals_of(db.session(), agreement.id),
    }
    if context["may_administer"] and document.status is Status.draft:
        # "Prepare for signature": the template shows that section where these forms are given
        context |= {"upload_form": UploadForm(), "open_form": OpenForm()}
    return context


def documents(agreement: Agreement) -> dict:
    return {"agreement": agreement, **annex_list_context(agreement)}


def parties(agreement: Agreement) -> dict:
    """Where every party stands, filtered ("not yet signed", "not yet approved"), a page at a time."""
    assert agreement.main_document is not None, "every agreement has its main document"
    return party_list_context(agreement.main_document)


def _matches(query: str) -> Callable[[Any, list], bool]:
    words = query.strip().casefold()

    def match(party, found: list) -> bool:
        names = [party.organisation.name, party.organisation.name_sv or "", party.organisation.business_id]
        names += [c.name for c in found]
        return not words or any(words in n.casefold() for n in names)

    return match


def contact_list(agreement: Agreement) -> dict:
    """The contact persons by party: the person's own parties first, then the others, those
    searchable (party or contact name) and a page of parties at a time."""
    found = contacts.contacts_of(db.session(), agreement.id)
    by_party: dict[int, list] = {}
    for contact in found:
        by_party.setdefault(contact.organisation_id, []).append(contact)
    mine = standing(current_user, agreement.id).parties()
    query = request.args.get("q", "")[:200]
    match = _matches(query)
    own = [(p, by_party.get(p.organisation_id, [])) for p in agreement.parties if p.organisation_id in mine]
    others = [
        (p, by_party.get(p.organisation_id, []))
        for p in agreement.parties
        if p.organisation_id not in mine and match(p, by_party.get(p.organisation_id, []))
    ]
    return {
        "agreement": agreement,
        "own_contacts": own,
        "contact_page": paged(others, page_arg(), CONTACT_PARTIES_PER_PAGE),
        "contact_query": query,
    }


def history(agreement: Agreement) -> dict:
    """The audit trail of this agreement, newest first, with who did it."""
    session = db.session()
    total = (
        session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.agreement_id == agreement.id)) or 0
    )
    pages = max(1, -(-total // EVENTS_PER_PAGE))
    page = min(page_arg(), pages)
    events = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.agreement_id == agreement.id)
            .order_by(AuditEvent.seq.desc())
            .offset((page - 1) * EVENTS_PER_PAGE)
            .limit(EVENTS_PER_PAGE)
        )
    )
    actor_ids = {e.actor_id for e in events if e.actor_id is not None}
    actors = (
        {u.id: u for u in session.scalars(select(User).where(User.id.in_(actor_ids)))} if actor_ids else {}
    )
    return {
        "agreement": agreement,
        "events": [(e, actors.get(e.actor_id) if e.actor_id else None) for e in events],
        "event_page": Paged(events, page, pages, total),
        "event_titles": EVENT_TITLES,
    }


CONTEXTS: dict[str, Callable[[Agreement], dict]] = {
    "overview": overview,
    "documents": documents,
    "parties": parties,
    "contacts": contact_list,
    "history": history,
}
