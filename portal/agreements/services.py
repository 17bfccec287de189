from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import ColumnElement, Integer, Row, Select, and_, bindparam, distinct, func, select
from sqlalchemy.orm import Session, joinedload, lazyload

from portal.agreements.domain import AnnexProcedure, Status
from portal.agreements.models import Agreement, AgreementParty, Goal
from portal.audit.services import record
from portal.auth.models import User
from portal.documents.domain import DecisionType, DocumentKind
from portal.documents.models import ApprovalDecision, Document, DocumentParty, DocumentVersion, Signature
from portal.documents.services import set_parties
from portal.errors import PortalError
from portal.memberships.models import Membership
from portal.organisations.domain import valid_business_id
from portal.organisations.models import Organisation
from portal.permissions import Action, is_portal_admin, require, require_visible


def organisations_by_business_id(session: Session, business_ids: list[str]) -> list[Organisation]:
    for business_id in business_ids:
        if not valid_business_id(business_id):
            raise PortalError("invalid_business_id", 422, business_id=business_id)
    found = {
        o.business_id: o
        for o in session.scalars(select(Organisation).where(Organisation.business_id.in_(business_ids)))
    }
    for business_id in business_ids:
        if business_id not in found:
            raise PortalError("unknown_business_id", 422, business_id=business_id)
    return [found[b] for b in dict.fromkeys(business_ids)]


@dataclass(frozen=True)
class Terms:
    """What an agreement states beside its text: the Swedish title, whether the councils'
    approvals are needed for entry into force (R3; not in seed 000, where the signatures alone
    bring it into force), and the terms the compatibility checks compare annexes with (None:
    read from the agreement's text)."""

    title_sv: str | None = None
    approvals_required: bool = True
    notice_months: int | None = None
    valid_until: date | None = None
    dispute_forum: str | None = None
    #: how an annex is added or updated after entry into force (issue 12)
    annex_procedure: AnnexProcedure = AnnexProcedure.steering_group


#: a goal (R11): its title, description and indicators (one a line)
GoalText = tuple[str, str] | tuple[str, str, str]


def _goals(goals: Sequence[GoalText]) -> list[Goal]:
    return [
        Goal(number=i, title=g[0], description=g[1], indicators=g[2] if len(g) > 2 else "")
        for i, g in enumerate(goals, start=1)
    ]


def _set_terms(agreement: Agreement, document: Document, terms: Terms) -> None:
    agreement.title_sv = terms.title_sv or None
    agreement.notice_months = terms.notice_months
    agreement.valid_until = terms.valid_until
    agreement.dispute_forum = terms.dispute_forum or None
    agreement.annex_procedure = AnnexProcedure(terms.annex_procedure)
    document.requires_approval = terms.approvals_required


def create_agreement(
    session: Session,
    actor: User,
    *,
    title: str,
    business_ids: list[str],
    language: str = "fi",
    goals: Sequence[GoalText] = (),
    terms: Terms = Terms(),
) -> Agreement:
    require(actor, Action.administer)
    organisations = organisations_by_business_id(session, business_ids)
    agreement = Agreement(title=title, language=language)
    agreement.parties = [
        AgreementParty(organisation_id=o.id, position=i) for i, o in enumerate(organisations, start=1)
    ]
    agreement.goals = _goals(goals)
    session.add(agreement)
    session.flush()
    document = Document(agreement_id=agreement.id, kind=DocumentKind.main, title=title)
    set_parties(document, [o.id for o in organisations])
    _set_terms(agreement, document, terms)
    session.add(document)
    session.flush()
    agreement.main_document_id = document.id
    record(
        session,
        "agreement_created",
        actor_id=actor.id,
        agreement_id=agreement.id,
        title=title,
        parties=[o.business_id for o in organisations],
    )
    return agreement


def update_draft(
    session: Session,
    actor: User,
    agreement: Agreement,
    *,
    title: str,
    business_ids: list[str],
    language: str,
    goals: Sequence[GoalText],
    terms: Terms,
) -> Agreement:
    """Change a draft agreement: its titles, language, parties, goals and terms. Once it is open
    for signature it changes only by an amendment (R8)."""
    require(actor, Action.administer)
    document = agreement.main_document
    if document is None or document.status is not Status.draft:
        raise PortalError("document_not_draft", 409)
    organisations = organisations_by_business_id(session, business_ids)
    agreement.parties.clear()
    agreement.goals.clear()
    document.parties.clear()
    session.flush()  # the old rows go before new ones with the same numbers come
    agreement.title, agreement.language, document.title = title, language, title
    agreement.parties = [
        AgreementParty(organisation_id=o.id, position=i) for i, o in enumerate(organisations, start=1)
    ]
    agreement.goals = _goals(goals)
    set_parties(document, [o.id for o in organisations])
    _set_terms(agreement, document, terms)
    session.flush()
    record(
        session,
        "agreement_updated",
        actor_id=actor.id,
        agreement_id=agreement.id,
        title=title,
        parties=[o.business_id for o in organisations],
    )
    return agreement


def visible_agreements(
    session: Session, user: User, *, after: int | None = None, limit: int | None = None
) -> list[Row]:
    """Every agreement for the portal's administrators; else those the user holds a role in. By
    id; from the one after `after`, at most `limit` of them: the columns a list shows (id,
    title, status), not the agreements and their documents."""
    status = func.coalesce(Document.status, Status.draft).label("status")
    query = (
        select(Agreement.id, Agreement.title, status)
        .outerjoin(Document, Document.id == Agreement.main_document_id)
        .order_by(Agreement.id)
    )
    if not is_portal_admin(user):
        query = query.where(
            Agreement.id.in_(
                select(Membership.agreement_id).where(
                    Membership.user_id == user.id, Membership.ended_at.is_(None)
                )
            )
        )
    if after is not None:
        query = query.where(Agreement.id > after)
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query))


def get_visible_agreement(session: Session, user: User, agreement_id: int) -> Agreement:
    # 404, not 403: do not reveal that it exists
    return require_visible(user, session.get(Agreement, agreement_id))


#: the agreement of its page with the main document and that document's versions joined: every
#: section reads the main document and the overview its latest version, which were two more
#: queries each loaded lazily. The overview's goals are read by goals_of: joined beside the
#: versions they would multiply the rows (versions × goals). Built once a process (see
#: auth.load_user).
_AGREEMENT_PAGE = (
    select(Agreement)
    .options(
        joinedload(Agreement.main_document)
        .joinedload(Document.versions)
        .joinedload(DocumentVersion.uploaded_by)
        .lazyload(User.organisation)  # the uploader's name is shown, not their organisation
    )
    .where(Agreement.id == bindparam("agreement_id"))
)


#: an agreement's goals in their order. Built once: read through `Agreement.goals`, SQLAlchemy's
#: lazy loader builds the statement and works out its cache key anew on every page (1.0 of a
#: representative's page's 26.2 M instructions)
_GOALS_OF = select(Goal).where(Goal.agreement_id == bindparam("agreement_id")).order_by(Goal.number)


def goals_of(session: Session, agreement_id: int) -> list[Goal]:
    """The agreement's joint goals (R11), in their order."""
    return list(session.scalars(_GOALS_OF, {"agreement_id": agreement_id}))


def get_visible_agreement_page(session: Session, user: User, agreement_id: int) -> Agreement:
    """get_visible_agreement for the agreement's page: the same answer and the same refusal."""
    found = session.execute(_AGREEMENT_PAGE, {"agreement_id": agreement_id}).unique().scalar_one_or_none()
    return require_visible(user, found)


#: a document with its agreement and versions, in one query (see visible_document)
_DOCUMENT_AND_AGREEMENT = (
    select(Document, Agreement)
    .join(Agreement, Agreement.id == Document.agreement_id)
    .options(
        joinedload(Document.versions).joinedload(DocumentVersion.uploaded_by).lazyload(User.organisation)
    )
    .where(Document.id == bindparam("document_id"))
)


def get_visible_document(session: Session, user: User, document_id: int) -> tuple[Document, Agreement]:
    """A document and its agreement, when the user may see the agreement; 404 otherwise, as for
    a document that does not exist. Its versions come with it: its pages read the latest."""
    found = session.execute(_DOCUMENT_AND_AGREEMENT, {"document_id": document_id}).unique().one_or_none()
    if found is None:
        raise PortalError("not_found", 404)
    document, agreement = found
    return document, require_visible(user, agreement)


@dataclass(frozen=True)
class PartyState:
    position: int
    organisation: Organisation
    #: the decision that counts (R3, R12), if any
    approval: ApprovalDecision | None
    signature: Signature | None
    #: every decision recorded for the party, oldest first: voided, corrected, taking note
    decisions: tuple[ApprovalDecision, ...] = ()
    #: the signature field the party signs in
    field_name: str = ""

    @property
    def other_decisions(self) -> tuple[ApprovalDecision, ...]:
        return tuple(d for d in self.decisions if d is not self.approval)


@cache
def _party_state_queries(some: bool) -> tuple[Select, Select]:
    """Built once a process (`some`: only the parties of `organisation_ids`): the document's
    parties, each with its signature if any (one a party: the table's unique key), and their
    decisions. The organisations come with the parties; the signatures' and decisions' own are
    found in the session instead of being joined again."""
    document_id = bindparam("document_id", type_=Integer)

    def of(model, query):
        query = query.where(model.document_id == document_id)
        if some:
            query = query.where(model.organisation_id.in_(bindparam("organisation_ids", expanding=True)))
        return query

    signed = and_(
        Signature.document_id == DocumentParty.document_id,
        Signature.organisation_id == DocumentParty.organisation_id,
    )
    return (
        of(DocumentParty, select(DocumentParty, Signature).outerjoin(Signature, signed))
        .order_by(DocumentParty.position)
        .options(lazyload(Signature.organisation), joinedload(Signature.signer).lazyload(User.organisation)),
        of(ApprovalDecision, select(ApprovalDecision))
        .order_by(ApprovalDecision.id)
        .options(lazyload(ApprovalDecision.organisation)),
    )


def party_states(
    session: Session, document: Document, organisation_ids: Collection[int] | None = None
) -> list[PartyState]:
    """Where the document's parties stand (only those of `organisation_ids` when given: a page of
    them, or the person's own), in two queries whatever the number of parties."""
    parties_query, decisions_query = _party_state_queries(organisation_ids is not None)
    params: dict = {"document_id": document.id}
    if organisation_ids is not None:
        params["organisation_ids"] = sorted(organisation_ids)
    parties = session.execute(parties_query, params).all()
    if organisation_ids is not None:  # which of them are parties: asked again by the rules
        document.note_parties(organisation_ids, {p.organisation_id for p, _signature in parties})
    latest = document.latest_version  # the current version (R3, R12); the page reads it anyway
    current = latest.id if latest else None
    decisions: dict[int, list[ApprovalDecision]] = {}
    approvals: dict[int, ApprovalDecision] = {}
    for decision in session.scalars(decisions_query, params):
        decisions.setdefault(decision.organisation_id, []).append(decision)
        if decision.counts_for(current):
            approvals[decision.organisation_id] = decision
    return [
        PartyState(
            p.position,
            p.organisation,
            approvals.get(p.organisation_id),
            signature,
            tuple(decisions.get(p.organisation_id, ())),
            p.field_name,
        )
        for p, signature in parties
    ]


@dataclass(frozen=True)
class PartyCounts:
    """How many parties a document has, how many signed, how many approved (R3, R12)."""

    total: int
    signed: int
    approved: int


def standing_approval() -> ColumnElement[bool]:
    """An approving decision neither voided nor corrected: counted_approval without the version
    (for a query that finds each document's current version itself)."""
    return and_(
        ApprovalDecision.decision_type == DecisionType.approve,
        ApprovalDecision.voided_at.is_(None),
        ApprovalDecision.superseded_at.is_(None),
    )


def counted_approval() -> ColumnElement[bool]:
    """R3, R12 in SQL (domain.counts_as_approval): an approving decision on the document's current
    version, neither voided nor corrected."""
    return and_(
        standing_approval(),
        ApprovalDecision.version_id
        == select(func.max(DocumentVersion.id))
        .where(DocumentVersion.document_id == ApprovalDecision.document_id)
        .correlate(ApprovalDecision)
        .scalar_subquery(),
    )


@cache
def _party_counts_query() -> Select:
    """Built once: a page asks it on every request (a statement made anew costs more than it runs)."""
    document_id = bindparam("document_id", type_=Integer)

    def count(what, model, *where):
        return select(func.count(what)).where(model.document_id == document_id, *where).scalar_subquery()

    return select(
        count(DocumentParty.id, DocumentParty),
        count(distinct(Signature.organisation_id), Signature),
        count(distinct(ApprovalDecision.organisation_id), ApprovalDecision, counted_approval()),
    )


def party_counts(session: Session, document_id: int) -> PartyCounts:
    """The document's parties, signatures and counted approvals as three numbers, in one query."""
    # on the session's connection: numbers, no objects for the ORM's execution to set up
    query, params = _party_counts_query(), {"document_id": document_id}
    total, signed, approved = session.connection().execute(query, params).one()
    return PartyCounts(total, signed, approved)
