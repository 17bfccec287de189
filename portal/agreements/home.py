"""The home page's reading: what waits for a person, and their agreements one page at a time,
each in a fixed number of queries whatever the number of parties or agreements, whose rows do
not grow with them either: the database counts a document's parties, signatures and approvals
(domain.progress's counts) and names only the parties a page shows. What waits is
portal.agreements.domain's rule (waiting); who may act is portal.permissions'."""

from collections.abc import Set
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Select,
    Subquery,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, selectinload

from portal.agreements.domain import DocumentFacts, Progress, Status, Waiting, waiting
from portal.agreements.models import Agreement
from portal.agreements.services import standing_approval
from portal.annexes.models import DocumentFlag
from portal.auth.domain import Role
from portal.auth.models import User
from portal.checks import Severity
from portal.dbtypes import among
from portal.documents.domain import DocumentKind
from portal.documents.models import ApprovalDecision, Document, DocumentParty, DocumentVersion, Signature
from portal.memberships import held
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
    """Something that waits for the person: the document's and its agreement's columns shown."""

    kind: Waiting
    document: "Waited"
    agreement: "Titled"


@dataclass(frozen=True)
class AgreementRow:
    """One agreement of the list: its progress and the parties still missing (the first
    MISSING_NAMED of them by name, and how many in all); `agreement` holds the columns shown."""

    agreement: "Listed"
    status: Status
    progress: Progress
    unsigned: list["PartyName"]
    unapproved: list["PartyName"]
    unsigned_count: int = 0
    unapproved_count: int = 0


# The statements below are built once a process (functools.cache) with bound parameters: a
# statement of this size costs SQLAlchemy more to build than the database to run.
#: the person's id, a parameter of the statements that depend on who reads
_USER: BindParameter[int] = bindparam("user_id")


def _read(session: Session) -> Connection:
    """Where the statements of columns below are run: the session's connection, in its
    transaction. They load no objects, and the ORM's execution (its context and result set-up,
    a third of the standings' cost) would add nothing to them; the pages only read."""
    return session.connection()


def _visible_ids() -> Select:
    """The agreements the person holds an active role in."""
    return select(Membership.agreement_id).where(Membership.user_id == _USER, Membership.ended_at.is_(None))


def _administered(admin: bool) -> ColumnElement[bool]:
    if admin:
        return true()
    return Document.agreement_id.in_(
        select(Membership.agreement_id).where(
            Membership.user_id == _USER,
            Membership.ended_at.is_(None),
            Membership.role == Role.administrator,
        )
    )


def _visible(admin: bool) -> ColumnElement[bool]:
    return true() if admin else Document.agreement_id.in_(_visible_ids())


def _latest_version_id():
    return (
        select(func.max(DocumentVersion.id))
        .where(DocumentVersion.document_id == Document.id)
        .correlate(Document)
        .scalar_subquery()
    )


def _to_sign() -> Select:
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
                Membership.user_id == _USER,
                Membership.role == Role.representative,
                Membership.ended_at.is_(None),
            ),
        )
        .where(Document.status == Status.signing, unsigned)
    )


def _to_acknowledge(admin: bool) -> Select:
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
        .where(Document.status != Status.in_force, _visible(admin), open_warning)
    )


def _to_decide(admin: bool) -> Select:
    """Documents open for signature whose parties' approvals are not all recorded."""
    parties = select(func.count(DocumentParty.id)).where(DocumentParty.document_id == Document.id)
    approved = select(func.count(func.distinct(ApprovalDecision.organisation_id))).where(
        ApprovalDecision.document_id == Document.id,
        standing_approval(),
        ApprovalDecision.version_id == _latest_version_id(),
    )
    return select(Document.id).where(
        Document.status == Status.signing,
        Document.requires_approval.is_(True),
        _administered(admin),
        approved.scalar_subquery() < parties.scalar_subquery(),
    )


@cache
def _candidates(admin: bool) -> CompoundSelect:
    """The documents that may wait for the person, at most WAITING_LIMIT of each kind, in one
    statement (parameter: user_id)."""
    kinds = (_to_sign(), _to_acknowledge(admin), _to_decide(admin))
    parts = [query.order_by(Document.id).limit(WAITING_LIMIT).subquery() for query in kinds]
    return union_all(*(select(part.c.id) for part in parts))


@cache
def _unread_queries() -> tuple[Select, Select]:
    keys = (
        select(Notification.event_key)
        .where(
            Notification.user_id == _USER,
            Notification.kind == NotificationKind.annex_version,
            Notification.read_at.is_(None),
        )
        .order_by(Notification.id.desc())
        .limit(WAITING_LIMIT)
    )
    return keys, select(DocumentVersion.document_id).where(among(DocumentVersion.id, "ids"))


def _unread_versions(session: Session, user: User) -> set[int]:
    """The documents of which the person has an unread notice of a new version."""
    keys_query, documents_query = _unread_queries()
    keys = _read(session).scalars(keys_query, {"user_id": user.id})
    # the key is notifications.domain.annex_version_key(version_id, user_id)
    parts = [key.split(":") for key in keys]
    version_ids = {int(p[1]) for p in parts if len(p) == 3 and p[1].isdigit()}
    if not version_ids:
        return set()
    return set(_read(session).scalars(documents_query, {"ids": sorted(version_ids)}))


class PartyName(NamedTuple):
    """What the list shows of a party: its names (portal.i18n.party_name reads them)."""

    name: str
    name_sv: str | None


class Named(NamedTuple):
    """One party the home page names or decides on, in the document's party order. (Named
    tuples: a page makes a hundred of them, and a frozen dataclass costs ten times as much to
    make.)"""

    org_id: int
    name: PartyName
    signed: bool
    approved: bool
    #: where it is not signed (approved): its place among the parties that have not, from 1
    unsigned_rank: int
    unapproved_rank: int


@dataclass
class Standing:
    """Where one document stands: how many parties it has, signed and approved (the approvals
    of its latest version), and the few parties the page needs by name: the first, the first
    MISSING_NAMED that have not signed and not approved, and those the person represents."""

    parties: int = 0
    signed: int = 0
    approved: int = 0
    named: list[Named] = field(default_factory=list)

    def missing(self, *, approvals: bool) -> list[PartyName]:
        """The first MISSING_NAMED parties that have not signed (approvals: not approved)."""
        if approvals:
            return [n.name for n in self.named if not n.approved and n.unapproved_rank <= MISSING_NAMED]
        return [n.name for n in self.named if not n.signed and n.unsigned_rank <= MISSING_NAMED]


def _party_flags(document_ids: str) -> Subquery:
    """Each party of the documents whose ids the parameter named `document_ids` binds, with
    whether it has signed, and approved the latest version. The signatures and approvals are
    read of these documents only (each table by its index on the document) and joined: a
    correlated EXISTS here had PostgreSQL hash the whole signature table on every page."""
    latest = (
        select(DocumentVersion.document_id, func.max(DocumentVersion.id).label("version_id"))
        .where(among(DocumentVersion.document_id, document_ids))
        .group_by(DocumentVersion.document_id)
        .subquery()
    )
    signers = (
        select(Signature.document_id, Signature.organisation_id)
        .where(among(Signature.document_id, document_ids))
        .distinct()
        .subquery()
    )
    approvers = (
        select(ApprovalDecision.document_id, ApprovalDecision.organisation_id)
        .join(
            latest,
            and_(
                latest.c.document_id == ApprovalDecision.document_id,
                latest.c.version_id == ApprovalDecision.version_id,
            ),
        )
        .where(among(ApprovalDecision.document_id, document_ids), standing_approval())
        .distinct()
        .subquery()
    )

    def party_of(found: Subquery) -> ColumnElement[bool]:
        return and_(
            found.c.document_id == DocumentParty.document_id,
            found.c.organisation_id == DocumentParty.organisation_id,
        )

    return (
        select(
            DocumentParty.document_id,
            DocumentParty.organisation_id,
            DocumentParty.position,
            signers.c.organisation_id.is_not(None).label("signed"),
            approvers.c.organisation_id.is_not(None).label("approved"),
        )
        .outerjoin(signers, party_of(signers))
        .outerjoin(approvers, party_of(approvers))
        .where(among(DocumentParty.document_id, document_ids))
        .subquery()
    )


@cache
def _standings_query() -> Select:
    """The statement of standings, built once a process: a statement this size costs more to
    build than to run (its parameters: document_ids, represented)."""
    flags = _party_flags("document_ids")
    document, order = flags.c.document_id, (flags.c.position, flags.c.organisation_id)

    # one window, one sort: each rank is a running count in the parties' order (the order ends
    # with the organisation's id, so no two rows tie); the totals are the whole partition's
    def counted(condition: ColumnElement[bool] | None):
        return func.count() if condition is None else func.count().filter(condition)

    def running(condition: ColumnElement[bool] | None = None):
        return counted(condition).over(partition_by=document, order_by=order)

    def total(condition: ColumnElement[bool] | None = None):
        return counted(condition).over(partition_by=document)

    ranked = select(
        flags,
        total().label("parties"),
        total(flags.c.signed).label("signed_n"),
        total(flags.c.approved).label("approved_n"),
        running().label("rank"),
        running(~flags.c.signed).label("unsigned_rank"),
        running(~flags.c.approved).label("unapproved_rank"),
    ).subquery()
    columns = (
        *(ranked.c.document_id, ranked.c.organisation_id, ranked.c.signed, ranked.c.approved),
        *(ranked.c.parties, ranked.c.signed_n, ranked.c.approved_n),
        *(ranked.c.unsigned_rank, ranked.c.unapproved_rank),
        *(Organisation.name, Organisation.name_sv),
    )  # the order standings() unpacks them in
    return (
        select(*columns)
        .join(Organisation, Organisation.id == ranked.c.organisation_id)
        .where(
            or_(
                ranked.c.rank == 1,
                and_(~ranked.c.signed, ranked.c.unsigned_rank <= MISSING_NAMED),
                and_(~ranked.c.approved, ranked.c.unapproved_rank <= MISSING_NAMED),
                among(ranked.c.organisation_id, "represented"),
            )
        )
        .order_by(ranked.c.document_id, ranked.c.rank)
    )


def standings(
    session: Session, document_ids: set[int], represented: Set[int] = frozenset()
) -> dict[int, Standing]:
    """Where each of these documents stands, in one query whose rows do not grow with the number
    of parties: the database counts, and names only the parties of Standing.named."""
    found = {d: Standing() for d in document_ids}
    if not document_ids:
        return found
    params = {"document_ids": sorted(document_ids), "represented": sorted(represented)}
    # all() fetches the rows at once (iterating a result fetches them one at a time)
    rows = _read(session).execute(_standings_query(), params).all()
    # unpacked in the statement's order: a Row's attribute is looked up by name each time, and
    # a page reads a hundred rows of eleven columns
    for document_id, org_id, signed, approved, parties, signed_n, approved_n, *ranks, name, name_sv in rows:
        standing = found[document_id]
        standing.parties, standing.signed, standing.approved = parties, signed_n, approved_n
        standing.named.append(Named(org_id, PartyName(name, name_sv), bool(signed), bool(approved), *ranks))
    return found


@cache
def _documents_query() -> Select:
    """The columns the waiting list shows and decides on of some documents, with their
    agreements' (parameter: ids)."""
    columns = (
        Document.id,
        Document.agreement_id,
        Document.kind,
        Document.title,
        Document.status,
        Document.requires_approval,
        Agreement.title.label("agreement_title"),
        Agreement.title_sv.label("agreement_title_sv"),
        Agreement.language.label("agreement_language"),
    )
    query = (
        select(*columns)
        .join(Agreement, Agreement.id == Document.agreement_id)
        .where(among(Document.id, "ids"))
        .order_by(Document.id)
    )
    assert tuple(query.selected_columns.keys()) == Waited._fields  # read as Waited
    return query


class Waited(NamedTuple):
    """The columns of _documents_query, in its order (a named tuple, as Listed)."""

    id: int
    agreement_id: int
    kind: DocumentKind
    title: str
    status: Status
    requires_approval: bool
    agreement_title: str
    agreement_title_sv: str | None
    agreement_language: str


def _documents(session: Session, ids: set[int]) -> list[Waited]:
    if not ids:
        return []
    return list(map(Waited._make, _read(session).execute(_documents_query(), {"ids": sorted(ids)}).all()))


@cache
def _open_warnings_query() -> Select:
    return (
        select(Document.id, func.count(DocumentFlag.id))
        .join(DocumentVersion, DocumentVersion.id == _latest_version_id())
        .join(
            DocumentFlag,
            and_(
                DocumentFlag.version_id == DocumentVersion.id, DocumentFlag.run == DocumentVersion.check_run
            ),
        )
        .where(
            among(Document.id, "ids"),
            DocumentFlag.severity == Severity.warning,
            DocumentFlag.acknowledged_at.is_(None),
        )
        .group_by(Document.id)
    )


def _open_warnings(session: Session, ids: set[int]) -> dict[int, int]:
    """How many unacknowledged warnings each document's latest version has, in one query."""
    if not ids:
        return {}
    return {
        document_id: found
        for document_id, found in _read(session).execute(_open_warnings_query(), {"ids": sorted(ids)})
    }


def _may_handle(session: Session, user: User, ids: set[int]) -> set[int]:
    """Of these documents, those whose warnings the person may acknowledge (permissions, which
    read the person's and each uploader's memberships in the documents' agreements: one query)."""
    if not ids:
        return set()
    loaded = list(
        session.scalars(
            select(Document)
            .where(Document.id.in_(ids))
            .options(selectinload(Document.parties), selectinload(Document.versions))
        )
    )
    uploaders = [d.versions[0].uploaded_by for d in loaded if d.versions]
    held.prefetch(session, [user, *uploaders], {d.agreement_id for d in loaded})
    return {d.id for d in loaded if allowed(user, Action.handle_document, d)}


def facts_of(
    document: Waited,
    standing: Standing,
    user: User,
    open_warnings: int = 0,
    may_handle: bool = False,
    unread: bool = False,
) -> DocumentFacts:
    """The facts domain.waiting decides on. The parties are those of Standing.named, enough for
    it: every party the person represents, and an unapproved one if there is any."""
    return DocumentFacts(
        status=document.status,
        party_org_ids=frozenset(n.org_id for n in standing.named),
        signed_org_ids=frozenset(n.org_id for n in standing.named if n.signed),
        approved_org_ids=frozenset(n.org_id for n in standing.named if n.approved),
        approvals_required=document.requires_approval,
        open_warnings=open_warnings,
        represented_org_ids=frozenset(represented_parties(user, document.agreement_id)),
        may_handle=may_handle,
        may_decide=allowed(user, Action.record_decision, document),
        new_version_unread=unread,
    )


@dataclass(frozen=True)
class Titled:
    """What agreement_label reads of an agreement."""

    id: int
    title: str
    title_sv: str | None
    language: str


def waiting_for(session: Session, user: User) -> list[WaitingItem]:
    """What waits for the person, their signatures first: the database narrows the candidates
    (at most WAITING_LIMIT of each kind), domain.waiting decides."""
    ids = set(_read(session).scalars(_candidates(is_portal_admin(user)), {"user_id": user.id}))
    unread = _unread_versions(session, user)
    documents = _documents(session, ids | unread)
    in_agreements = {d.agreement_id for d in documents}
    held.prefetch(session, [user], in_agreements)
    represented = {org for a in in_agreements for org in represented_parties(user, a)}
    found = standings(session, {d.id for d in documents}, represented)
    warnings = _open_warnings(session, {d.id for d in documents})
    handled = _may_handle(session, user, set(warnings))
    agreements = {
        d.agreement_id: Titled(d.agreement_id, d.agreement_title, d.agreement_title_sv, d.agreement_language)
        for d in documents
    }
    items = [
        WaitingItem(kind, document, agreements[document.agreement_id])
        for document in documents
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


def _matching(query: Select, admin: bool, by_state: bool, by_text: bool) -> Select:
    """The query narrowed to the agreements the list shows (parameters: user_id, status, like)."""
    query = query.select_from(Agreement).join(Document, Document.id == Agreement.main_document_id)
    if not admin:
        query = query.where(Agreement.id.in_(_visible_ids()))
    if by_state:
        query = query.where(Document.status == bindparam("status"))
    if by_text:
        like: BindParameter[str] = bindparam("like")
        # ILIKE on the columns themselves (lower() on SQLite), so that PostgreSQL estimates the
        # matches from the columns' statistics: lower(title) has none, and its guess of one row
        # had it look up a document for every agreement
        query = query.where(
            or_(Agreement.title.ilike(like, escape="\\"), Agreement.title_sv.ilike(like, escape="\\"))
        )
    return query


class Listed(NamedTuple):
    """The columns the list shows of an agreement and its main document, in _list_queries'
    order. (A named tuple: the page and its template read them a dozen times a row, and a Row
    looks an attribute up by name each time.)"""

    id: int
    title: str
    title_sv: str | None
    language: str
    document_id: int
    status: Status
    requires_approval: bool


@cache
def _list_queries(admin: bool, by_state: bool, by_text: bool) -> tuple[Select, Select]:
    """One page of the list (parameters: those of _matching, offset, limit), and how many match
    in all. Apart, because together (a count over the window) PostgreSQL walks every match in
    the page's order, looking up each one's document, instead of counting them in one hash join."""
    columns = select(
        Agreement.id,
        Agreement.title,
        Agreement.title_sv,
        Agreement.language,
        Document.id.label("document_id"),
        Document.status,
        Document.requires_approval,
    )
    page = (
        _matching(columns, admin, by_state, by_text)
        .order_by(Agreement.id.desc())
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )
    assert tuple(page.selected_columns.keys()) == Listed._fields  # read as Listed
    return page, _matching(select(func.count()), admin, by_state, by_text)


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
    part of the title; and how many there are in all. Three queries, whatever the number of
    parties or agreements."""
    by_state = state in set(Status)
    page_query, count_query = _list_queries(is_portal_admin(user), by_state, bool(text.strip()))
    params = {
        "user_id": user.id,
        "status": Status(state) if by_state else None,
        "like": _like(text[:200]),
        "offset": (max(page, 1) - 1) * page_size,
        "limit": page_size,
    }
    rows = list(map(Listed._make, _read(session).execute(page_query, params).all()))
    total = _read(session).scalar(count_query, params) or 0
    found = standings(session, {r.document_id for r in rows})
    return [_row(r, found[r.document_id]) for r in rows], total


def _row(agreement: Listed, standing: Standing) -> AgreementRow:
    approvals = agreement.requires_approval
    return AgreementRow(
        agreement,
        agreement.status,
        Progress(standing.parties, standing.signed, standing.approved, approvals),
        standing.missing(approvals=False),
        standing.missing(approvals=True) if approvals else [],
        standing.parties - standing.signed,
        standing.parties - standing.approved if approvals else 0,
    )
