"""The home page's reading: what waits for a person, and their agreements one page at a time,
each in a fixed number of queries whatever the number of parties or agreements. The rules are
portal.agreements.domain's (waiting, progress); who may act is portal.permissions'."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from portal.agreements.domain import DocumentFacts, Progress, Status, Waiting, progress, waiting
from portal.agreements.models import Agreement
from portal.annexes.models import DocumentFlag
from portal.auth.domain import Role
from portal.auth.models import User
from portal.checks import Severity
from portal.documents.domain import DecisionType
from portal.documents.models import ApprovalDecision, Document, DocumentParty, DocumentVersion, Signature
from portal.memberships.models import Membership
from portal.notifications.models import Notification, NotificationKind
from portal.organisations.models import Organisation
from portal.permissions import Action, allowed, is_portal_admin, represented_parties

#: how many documents of each kind of waiting work the home page lists at most
WAITING_LIMIT = 20
#: agreements on one page of the list
PAGE_SIZE = 20
#: how many of the parties still missing a row of the list names
MISSING_NAMED = 3


@dataclass(frozen=True)
class WaitingItem:
    kind: Waiting
    document: Document
    agreement: Agreement


@dataclass(frozen=True)
class AgreementRow:
    """One agreement of the list: its progress and the parties still missing (the first
    MISSING_NAMED of them by name, and how many in all)."""

    agreement: Agreement
    status: Status
    progress: Progress
    unsigned: list["PartyName"]
    unapproved: list["PartyName"]
    unsigned_count: int = 0
    unapproved_count: int = 0


def _visible_ids(user: User) -> Select:
    """The agreements the person holds an active role in."""
    return select(Membership.agreement_id).where(Membership.user_id == user.id, Membership.ended_at.is_(None))


def _administered(user: User) -> ColumnElement[bool]:
    if is_portal_admin(user):
        return true()
    return Document.agreement_id.in_(
        select(Membership.agreement_id).where(
            Membership.user_id == user.id,
            Membership.ended_at.is_(None),
            Membership.role == Role.administrator,
        )
    )


def _visible(user: User) -> ColumnElement[bool]:
    return true() if is_portal_admin(user) else Document.agreement_id.in_(_visible_ids(user))


def _latest_version_id():
    return (
        select(func.max(DocumentVersion.id))
        .where(DocumentVersion.document_id == Document.id)
        .correlate(Document)
        .scalar_subquery()
    )


def _to_sign(user: User) -> Select:
    """Open documents with a party the person represents that has not signed yet."""
    unsigned = ~exists().where(
        Signature.document_id == Document.id, Signature.organisation_id == DocumentParty.organisation_id
    )
    return (
        select(Document.id)
        .join(DocumentParty, DocumentParty.document_id == Document.id)
        .join(
            Membership,
            and_(
                Membership.agreement_id == Document.agreement_id,
                Membership.organisation_id == DocumentParty.organisation_id,
                Membership.user_id == user.id,
                Membership.role == Role.representative,
                Membership.ended_at.is_(None),
            ),
        )
        .where(Document.status == Status.signing, unsigned)
    )


def _to_acknowledge(user: User) -> Select:
    """Documents not in force whose latest version has a warning nobody has acknowledged."""
    open_warning = exists().where(
        DocumentFlag.version_id == DocumentVersion.id,
        DocumentFlag.run == DocumentVersion.check_run,
        DocumentFlag.severity == Severity.warning,
        DocumentFlag.acknowledged_at.is_(None),
    )
    return (
        select(Document.id)
        .join(DocumentVersion, DocumentVersion.id == _latest_version_id())
        .where(Document.status != Status.in_force, _visible(user), open_warning)
    )


def _to_decide(user: User) -> Select:
    """Documents open for signature whose parties' approvals are not all recorded."""
    parties = select(func.count(DocumentParty.id)).where(DocumentParty.document_id == Document.id)
    approved = select(func.count(func.distinct(ApprovalDecision.organisation_id))).where(
        ApprovalDecision.document_id == Document.id,
        ApprovalDecision.decision_type == DecisionType.approve,
        ApprovalDecision.voided_at.is_(None),
        ApprovalDecision.superseded_at.is_(None),
        ApprovalDecision.version_id == _latest_version_id(),
    )
    return select(Document.id).where(
        Document.status == Status.signing,
        Document.requires_approval.is_(True),
        _administered(user),
        approved.scalar_subquery() < parties.scalar_subquery(),
    )


def _unread_versions(session: Session, user: User) -> set[int]:
    """The documents of which the person has an unread notice of a new version."""
    keys = session.scalars(
        select(Notification.event_key)
        .where(
            Notification.user_id == user.id,
            Notification.kind == NotificationKind.annex_version,
            Notification.read_at.is_(None),
        )
        .order_by(Notification.id.desc())
        .limit(WAITING_LIMIT)
    )
    # the key is notifications.domain.annex_version_key(version_id, user_id)
    parts = [key.split(":") for key in keys]
    version_ids = {int(p[1]) for p in parts if len(p) == 3 and p[1].isdigit()}
    if not version_ids:
        return set()
    return set(
        session.scalars(select(DocumentVersion.document_id).where(DocumentVersion.id.in_(version_ids)))
    )


@dataclass(frozen=True)
class PartyName:
    """What the list shows of a party: its names (portal.i18n.party_name reads them)."""

    name: str
    name_sv: str | None


@dataclass
class Standing:
    """Where one document stands, read as plain rows: its parties' ids in order, who signed,
    whose approval counts."""

    parties: list[int]
    signed: set[int]
    approved: set[int]


def standings(session: Session, document_ids: set[int]) -> dict[int, Standing]:
    """Where each of these documents stands, in three queries of plain ids whatever the number
    of parties (no ORM objects per party, no names: party_names reads those a page shows)."""
    found = {d: Standing([], set(), set()) for d in document_ids}
    if not document_ids:
        return found
    for document_id, org_id in session.execute(
        select(DocumentParty.document_id, DocumentParty.organisation_id)
        .where(DocumentParty.document_id.in_(document_ids))
        .order_by(DocumentParty.document_id, DocumentParty.position)
    ):
        found[document_id].parties.append(org_id)
    for document_id, org_id in session.execute(
        select(Signature.document_id, Signature.organisation_id).where(
            Signature.document_id.in_(document_ids)
        )
    ):
        found[document_id].signed.add(org_id)
    for document_id, org_id in session.execute(
        select(ApprovalDecision.document_id, ApprovalDecision.organisation_id).where(
            ApprovalDecision.document_id.in_(document_ids),
            ApprovalDecision.decision_type == DecisionType.approve,
            ApprovalDecision.voided_at.is_(None),
            ApprovalDecision.superseded_at.is_(None),
            ApprovalDecision.version_id
            == select(func.max(DocumentVersion.id))
            .where(DocumentVersion.document_id == ApprovalDecision.document_id)
            .correlate(ApprovalDecision)
            .scalar_subquery(),
        )
    ):
        found[document_id].approved.add(org_id)
    return found


def party_names(session: Session, org_ids: set[int]) -> dict[int, PartyName]:
    """The names of these organisations, in one query."""
    return {
        org_id: PartyName(name, name_sv)
        for org_id, name, name_sv in session.execute(
            select(Organisation.id, Organisation.name, Organisation.name_sv).where(
                Organisation.id.in_(org_ids)
            )
        )
    }


def _documents(session: Session, ids: set[int]) -> list[Document]:
    if not ids:
        return []
    return list(session.scalars(select(Document).where(Document.id.in_(ids)).order_by(Document.id)))


def _open_warnings(session: Session, ids: set[int]) -> dict[int, int]:
    """How many unacknowledged warnings each document's latest version has, in one query."""
    counts: dict[int, int] = {}
    if not ids:
        return counts
    for document_id, found in session.execute(
        select(Document.id, func.count(DocumentFlag.id))
        .join(DocumentVersion, DocumentVersion.id == _latest_version_id())
        .join(
            DocumentFlag,
            and_(
                DocumentFlag.version_id == DocumentVersion.id, DocumentFlag.run == DocumentVersion.check_run
            ),
        )
        .where(
            Document.id.in_(ids),
            DocumentFlag.severity == Severity.warning,
            DocumentFlag.acknowledged_at.is_(None),
        )
        .group_by(Document.id)
    ):
        counts[document_id] = found
    return counts


def _may_handle(session: Session, user: User, ids: set[int]) -> set[int]:
    """Of these documents, those whose warnings the person may acknowledge (permissions)."""
    if not ids:
        return set()
    loaded = session.scalars(
        select(Document)
        .where(Document.id.in_(ids))
        .options(selectinload(Document.parties), selectinload(Document.versions))
    )
    return {d.id for d in loaded if allowed(user, Action.handle_document, d)}


def facts_of(
    document: Document,
    standing: Standing,
    user: User,
    open_warnings: int = 0,
    may_handle: bool = False,
    unread: bool = False,
) -> DocumentFacts:
    return DocumentFacts(
        status=document.status,
        party_org_ids=frozenset(standing.parties),
        signed_org_ids=frozenset(standing.signed),
        approved_org_ids=frozenset(standing.approved),
        approvals_required=document.requires_approval,
        open_warnings=open_warnings,
        represented_org_ids=frozenset(represented_parties(user, document.agreement_id)),
        may_handle=may_handle,
        may_decide=allowed(user, Action.record_decision, document),
        new_version_unread=unread,
    )


def waiting_for(session: Session, user: User) -> list[WaitingItem]:
    """What waits for the person, their signatures first: the database narrows the candidates
    (at most WAITING_LIMIT of each kind), domain.waiting decides."""
    ids: set[int] = set()
    for query in (_to_sign(user), _to_acknowledge(user), _to_decide(user)):
        ids |= set(session.scalars(query.order_by(Document.id).limit(WAITING_LIMIT)))
    unread = _unread_versions(session, user)
    documents = _documents(session, ids | unread)
    found = standings(session, {d.id for d in documents})
    warnings = _open_warnings(session, {d.id for d in documents})
    handled = _may_handle(session, user, set(warnings))
    agreements = {
        a.id: a
        for a in session.scalars(
            select(Agreement).where(Agreement.id.in_({d.agreement_id for d in documents}))
        )
    }
    items = [
        WaitingItem(kind, document, agreements[document.agreement_id])
        for document in documents
        if document.agreement_id in agreements
        for kind in waiting(
            facts_of(
                document,
                found[document.id],
                user,
                warnings.get(document.id, 0),
                document.id in handled,
                document.id in unread,
            )
        )
    ]
    order = list(Waiting)
    return sorted(items, key=lambda item: (order.index(item.kind), item.document.id))


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def agreement_page(
    session: Session,
    user: User,
    *,
    state: str = "",
    text: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> tuple[list[AgreementRow], int]:
    """One page of the agreements the person sees, newest first, filtered by state and by a
    part of the title; and how many there are in all. A fixed number of queries."""
    query = select(Agreement).join(Document, Document.id == Agreement.main_document_id)
    if not is_portal_admin(user):
        query = query.where(Agreement.id.in_(_visible_ids(user)))
    if state in set(Status):
        query = query.where(Document.status == Status(state))
    if text.strip():
        like = _like(text[:200])
        query = query.where(
            or_(
                func.lower(Agreement.title).like(like, escape="\\"),
                func.lower(func.coalesce(Agreement.title_sv, "")).like(like, escape="\\"),
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    agreements = list(
        session.scalars(
            query.order_by(Agreement.id.desc())
            .offset((max(page, 1) - 1) * page_size)
            .limit(page_size)
            .options(selectinload(Agreement.main_document))
        )
    )
    found = standings(session, {a.main_document_id for a in agreements if a.main_document_id})
    missing = {a.id: _missing(a, found[a.main_document.id], user) for a in agreements if a.main_document}
    named = {
        org_id
        for _facts, unsigned, unapproved in missing.values()
        for org_id in (*unsigned[:MISSING_NAMED], *unapproved[:MISSING_NAMED])
    }
    names = party_names(session, named)
    return [_row(a, *missing[a.id], names) for a in agreements if a.main_document], total


def _missing(
    agreement: Agreement, standing: Standing, user: User
) -> tuple[DocumentFacts, list[int], list[int]]:
    """The document's facts, and the parties that have not signed and not approved, in order."""
    document = agreement.main_document
    assert document is not None, "every agreement has its main document"
    facts = facts_of(document, standing, user)
    unsigned = [org_id for org_id in standing.parties if org_id not in facts.signed_org_ids]
    unapproved = (
        [org_id for org_id in standing.parties if org_id not in facts.approved_org_ids]
        if document.requires_approval
        else []
    )
    return facts, unsigned, unapproved


def _row(
    agreement: Agreement, facts: DocumentFacts, unsigned: list[int], unapproved: list[int], names: dict
) -> AgreementRow:
    return AgreementRow(
        agreement,
        facts.status,
        progress(facts),
        [names[org_id] for org_id in unsigned[:MISSING_NAMED] if org_id in names],
        [names[org_id] for org_id in unapproved[:MISSING_NAMED] if org_id in names],
        len(unsigned),
        len(unapproved),
    )
