"""Joining (R10; seed 000 §11): an organisation asks to join, the steering group decides
unanimously at a quorate meeting, an accession document is generated in the agreement's language
and signed by the new party and by the steering group's chair's party; from its entry into force
the organisation is a party. Services flush, never commit."""

from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from portal.agreements.models import Agreement, AgreementParty
from portal.agreements.services import organisations_by_business_id
from portal.audit.services import record
from portal.auth.models import User
from portal.demo.pdf import text_to_pdf
from portal.documents import services as documents
from portal.documents.domain import DocumentKind
from portal.documents.models import Document
from portal.errors import PortalError
from portal.lifecycle.domain import AccessionStatus
from portal.lifecycle.models import Accession
from portal.permissions import Action, JoinRequest, require
from portal.steering import domain as steering_rules
from portal.steering import services as steering
from portal.steering.models import Meeting, Office, Seat
from portal.timeutil import helsinki_today

#: built once a process: the agreement's page asks it on every request
_ACCESSIONS_OF = (
    select(Accession).where(Accession.agreement_id == bindparam("agreement_id")).order_by(Accession.id)
)


def accessions_of(session: Session, agreement_id: int) -> list[Accession]:
    return list(session.scalars(_ACCESSIONS_OF, {"agreement_id": agreement_id}))


def request_accession(
    session: Session, agreement: Agreement, actor: User, *, business_id: str, requested_on: date | None = None
) -> Accession:
    organisation = organisations_by_business_id(session, [business_id])[0]
    parties = {p.organisation_id for p in agreement.parties}
    require(actor, Action.request_accession, JoinRequest(agreement.id, organisation.id, parties))
    if organisation.id in {p.organisation_id for p in agreement.parties}:
        raise PortalError("party_already", 409)
    if session.scalar(
        select(Accession.id).where(
            Accession.agreement_id == agreement.id, Accession.organisation_id == organisation.id
        )
    ):
        raise PortalError("accession_pending", 409)
    requested_on = requested_on or helsinki_today()
    if requested_on > helsinki_today():
        raise PortalError("received_in_future", 422)
    accession = Accession(
        agreement_id=agreement.id,
        organisation_id=organisation.id,
        requested_on=requested_on,
        recorded_by_id=actor.id,
    )
    session.add(accession)
    session.flush()
    record(
        session,
        "accession_requested",
        actor_id=actor.id,
        agreement_id=agreement.id,
        accession=accession.id,
        business_id=business_id,
    )
    return accession


def decide_accession(
    session: Session,
    ctx: documents.Context,
    agreement: Agreement,
    accession: Accession,
    actor: User,
    *,
    meeting_id: int,
    in_favour: set[int],
) -> Document:
    """Record the steering group's unanimous decision (every member present, or their deputy,
    in favour, at a quorate meeting) and open the accession document for the signatures of the
    new party and the chair's party. Anything less refuses and changes nothing."""
    require(actor, Action.record_accession, agreement)
    if accession.status is not AccessionStatus.requested:
        raise PortalError("accession_not_requested", 409)
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.agreement_id != agreement.id:
        raise PortalError("not_found", 404)
    people = {m.id: m for m in steering.members_of(session, agreement.id)}
    deputy_of = {i: m.deputy_of_id for i, m in people.items() if m.deputy_of_id}
    seats = {i for i, m in people.items() if m.seat is Seat.member}
    present = steering_rules.seats_taken({a.member_id for a in meeting.attendance}, deputy_of)
    favour = steering_rules.seats_taken(in_favour, deputy_of)
    if not meeting.quorate or not steering_rules.unanimous(seats, present, favour):
        raise PortalError("not_unanimous", 409)
    chair = next((m for m in people.values() if m.office is Office.chair), None)
    if chair is None:
        raise PortalError("no_chair", 409)
    accession.status, accession.meeting_id = AccessionStatus.decided, meeting.id
    accession.decided_on, accession.in_favour = meeting.meets_on, sorted(in_favour)
    position = (
        session.scalar(
            select(func.max(AgreementParty.position)).where(AgreementParty.agreement_id == agreement.id)
        )
        or 0
    )
    agreement.parties.append(AgreementParty(organisation_id=accession.organisation_id, position=position + 1))
    document = _accession_document(
        session, ctx, agreement, accession, meeting.meets_on, chair.organisation_id, actor
    )
    accession.document_id = document.id
    session.flush()
    record(
        session,
        "accession_decided",
        actor_id=actor.id,
        agreement_id=agreement.id,
        accession=accession.id,
        meeting=meeting.id,
        in_favour=accession.in_favour,
        document_id=document.id,
    )
    return document


def _accession_document(
    session: Session,
    ctx: documents.Context,
    agreement: Agreement,
    accession: Accession,
    decided_on: date,
    chair_organisation_id: int,
    actor: User,
) -> Document:
    organisation = accession.organisation
    with force_locale(agreement.language):
        title = _("Accession of %(party)s: %(title)s", party=organisation.name, title=agreement.title)
        text = "\n".join(
            [
                title,
                _(
                    '%(party)s (business ID %(business_id)s) joins the agreement "%(title)s" as its '
                    "party, by the unanimous decision of the steering group of %(date)s.",
                    party=organisation.name,
                    business_id=organisation.business_id,
                    title=agreement.title,
                    date=f"{decided_on.day}.{decided_on.month}.{decided_on.year}",
                ),
                _(
                    "The new party accepts the agreement and its annexes as they are in force, and its "
                    "share of the joint costs from the day it joins (R9, R10)."
                ),
                _(
                    "The accession enters into force when the new party and the chair of the steering "
                    "group have signed it."
                ),
            ]
        )
    document = Document(
        agreement_id=agreement.id, kind=DocumentKind.accession, title=title, requires_approval=False
    )
    session.add(document)
    session.flush()
    parties = list(dict.fromkeys([accession.organisation_id, chair_organisation_id]))
    documents.set_parties(document, parties)
    session.flush()
    documents.add_version(session, ctx, document, text_to_pdf(text, title=title), "accession.pdf", actor)
    documents.open_for_signature(session, ctx, document, actor, title=title, language=agreement.language)
    return document


def joined(session: Session, document: Document) -> None:
    """documents.services.ENTERED_INTO_FORCE: the accession document in force makes the
    organisation a party from that day."""
    if document.kind is not DocumentKind.accession:
        return
    accession = session.scalar(select(Accession).where(Accession.document_id == document.id))
    if accession is not None:
        accession.status, accession.joined_on = AccessionStatus.joined, document.entered_into_force_on
        session.flush()


def init_app() -> None:
    if joined not in documents.ENTERED_INTO_FORCE:
        documents.ENTERED_INTO_FORCE.append(joined)
