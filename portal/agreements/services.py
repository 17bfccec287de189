from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.agreements.models import Agreement, AgreementParty, Goal
from portal.audit.services import record
from portal.auth.domain import Role
from portal.auth.models import User
from portal.documents.domain import DocumentKind
from portal.documents.models import ApprovalDecision, Document, Signature
from portal.documents.services import set_parties
from portal.errors import PortalError
from portal.organisations.domain import valid_business_id
from portal.organisations.models import Organisation
from portal.permissions import Action, require, require_visible


def organisations_by_business_id(session: Session, business_ids: list[str]) -> list[Organisation]:
    for business_id in business_ids:
        if not valid_business_id(business_id):
            raise PortalError("invalid_business_id", 422, business_id=business_id)
    found = {o.business_id: o for o in session.scalars(
        select(Organisation).where(Organisation.business_id.in_(business_ids)))}
    for business_id in business_ids:
        if business_id not in found:
            raise PortalError("unknown_business_id", 422, business_id=business_id)
    return [found[b] for b in dict.fromkeys(business_ids)]


def create_agreement(session: Session, actor: User, *, title: str, business_ids: list[str],
                     language: str = "fi", goals: Sequence[tuple[str, str]] = ()) -> Agreement:
    require(actor, Action.administer)
    organisations = organisations_by_business_id(session, business_ids)
    agreement = Agreement(title=title, language=language)
    agreement.parties = [AgreementParty(organisation_id=o.id, position=i)
                         for i, o in enumerate(organisations, start=1)]
    agreement.goals = [Goal(number=i, title=t, description=d)
                       for i, (t, d) in enumerate(goals, start=1)]
    session.add(agreement)
    session.flush()
    document = Document(agreement_id=agreement.id, kind=DocumentKind.main, title=title)
    set_parties(document, [o.id for o in organisations])
    session.add(document)
    session.flush()
    agreement.main_document_id = document.id
    record(session, "agreement_created", actor_id=actor.id, agreement_id=agreement.id,
           title=title, parties=[o.business_id for o in organisations])
    return agreement


def visible_agreements(session: Session, user: User) -> list[Agreement]:
    query = select(Agreement).options(selectinload(Agreement.main_document)).order_by(Agreement.id)
    if user.role is not Role.administrator:
        query = query.join(AgreementParty).where(
            AgreementParty.organisation_id == user.organisation_id)
    return list(session.scalars(query))


def get_visible_agreement(session: Session, user: User, agreement_id: int) -> Agreement:
    # 404, not 403: do not reveal that it exists
    return require_visible(user, session.get(Agreement, agreement_id))


@dataclass(frozen=True)
class PartyState:
    position: int
    organisation: Organisation
    approval: ApprovalDecision | None
    signature: Signature | None


def party_states(session: Session, document: Document) -> list[PartyState]:
    """Where every party stands, in three queries whatever the number of parties."""
    document = session.scalars(select(Document).where(Document.id == document.id).options(
        selectinload(Document.parties), selectinload(Document.approvals),
        selectinload(Document.signatures))).one()
    approvals = {a.organisation_id: a for a in document.approvals}
    signatures = {s.organisation_id: s for s in document.signatures}
    return [PartyState(p.position, p.organisation, approvals.get(p.organisation_id),
                       signatures.get(p.organisation_id)) for p in document.parties]
