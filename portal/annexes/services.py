"""Annexes, annex agreements and amendments: upload, queueing the check against the main
agreement (run by portal.annexes.checking), acknowledgements, and the gate before signature.
Signing, approvals and entry into force are the core loop's (portal.documents.services).
Services flush, never commit."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portal.agreements.domain import Status
from portal.agreements.models import Agreement
from portal.annexes import adoption, domain
from portal.annexes.models import DocumentFlag
from portal.audit.services import record
from portal.auth.models import User
from portal.checks import Flag, Severity
from portal.documents import services as documents
from portal.documents.domain import UPLOAD_KINDS, CheckStatus, DocumentKind
from portal.documents.models import Document, DocumentVersion
from portal.errors import PortalError
from portal.jobs import services as jobs
from portal.jobs.models import Job
from portal.lifecycle import queries as lifecycle
from portal.lifecycle.domain import Ended
from portal.lifecycle.queries import refuse_if_ended
from portal.notifications import services as notifications
from portal.organisations.domain import valid_business_id
from portal.permissions import Action, require, require_visible
from portal.timeutil import utcnow

MAX_GOAL = 99


def _check_upload(kind: str, title: str, business_ids: Sequence[str], goals: Sequence[int]) -> None:
    if kind not in UPLOAD_KINDS:
        raise PortalError("invalid_field", 422, field="kind")
    if not title.strip():
        raise PortalError("invalid_field", 422, field="title")
    for business_id in business_ids:
        if not valid_business_id(business_id):
            raise PortalError("invalid_business_id", 422, business_id=business_id)
    if any(not 1 <= n <= MAX_GOAL for n in goals):
        raise PortalError("invalid_field", 422, field="goals")


def upload(
    session: Session,
    ctx: documents.Context,
    agreement: Agreement,
    actor: User,
    *,
    kind: DocumentKind | str,
    title: str,
    data: bytes,
    filename: str,
    business_ids: Sequence[str] = (),
    goals: Sequence[int] = (),
    changes: str = "",
    requires_approval: bool = True,
) -> DocumentVersion:
    """A new annex, annex agreement or amendment with its first version, queued for checking.
    An annex agreement is signed by the declared parties that are the agreement's parties (an
    outsider gets no field: the check flags it as a blocker); an amendment by every party (R8);
    an annex by nobody (it is part of the agreement, R6)."""
    check_party(session, agreement.id, actor)
    require(actor, Action.upload_document, agreement)
    _check_upload(kind, title, business_ids, goals)
    kind = DocumentKind(kind)
    document = Document(
        agreement_id=agreement.id,
        kind=kind,
        title=title.strip(),
        declared_business_ids=list(dict.fromkeys(business_ids)),
        goal_numbers=sorted(set(goals)),
        changes=changes.strip(),
        requires_approval=domain.requires_approval(kind, requires_approval),
    )
    ended = lifecycle.ended(session, agreement)
    documents.set_parties(document, _signers(agreement, kind, document.declared_business_ids, ended))
    session.add(document)
    session.flush()
    record(
        session,
        "document_created",
        actor_id=actor.id,
        agreement_id=agreement.id,
        document_id=document.id,
        document_kind=kind,
        title=document.title,
        parties=document.declared_business_ids,
        goals=document.goal_numbers,
    )
    return new_version(session, ctx, document, data, filename, actor)


def _signers(agreement: Agreement, kind: str, business_ids: list[str], ended: Ended) -> list[int]:
    """Who signs: a party whose participation has ended is asked to sign nothing (issue 12)."""
    bound = [p for p in agreement.parties if not ended.party(p.organisation_id)]
    if kind == DocumentKind.amendment:
        return [p.organisation_id for p in bound]
    if kind == DocumentKind.annex_agreement:
        declared = set(business_ids)
        return [p.organisation_id for p in bound if p.organisation.business_id in declared]
    return []


def correct_parties(session: Session, document: Document, business_ids: list[str], actor: User) -> None:
    """Declare an annex agreement's parties anew (a draft only, before anyone signs): the
    declared parties a blocker names as outsiders can be corrected. The next check reads them."""
    if document.kind is not DocumentKind.annex_agreement:
        raise PortalError("invalid_field", 422, field="parties")
    if document.status.value != "draft":
        raise PortalError("document_not_draft", 409)
    for business_id in business_ids:
        if not valid_business_id(business_id):
            raise PortalError("invalid_business_id", 422, business_id=business_id)
    declared = list(dict.fromkeys(business_ids))
    if declared == list(document.declared_business_ids):
        return
    agreement = session.get_one(Agreement, document.agreement_id)
    document.declared_business_ids = declared
    document.parties = []
    session.flush()  # the old rows go before the new ones (one row per document and party)
    ended = lifecycle.ended(session, agreement)
    documents.set_parties(document, _signers(agreement, document.kind.value, declared, ended))
    session.flush()
    record(
        session,
        "document_parties_changed",
        actor_id=actor.id,
        agreement_id=agreement.id,
        document_id=document.id,
        parties=declared,
    )


def check_party(session: Session, agreement_id: int, actor: User) -> Agreement:
    """The agreement, when the actor holds a role in it (or runs the portal);
    404 otherwise, as the views answer (the agreement's existence is not revealed)."""
    agreement = require_visible(actor, session.get(Agreement, agreement_id))
    refuse_if_ended(session, agreement, actor)  # issue 12: read-only once ended
    return agreement


def new_version(
    session: Session,
    ctx: documents.Context,
    document: Document,
    data: bytes,
    filename: str,
    actor: User,
    business_ids: list[str] | None = None,
) -> DocumentVersion:
    """Store the next version (a rejected file stores nothing) and check it. A new version of the
    main agreement has every annex checked again against it (R6); for an annex the agreement's
    lawyers are told. `business_ids` (an annex agreement's) corrects its declared parties. The
    authority on who may: the web and the API only call this."""
    agreement = check_party(session, document.agreement_id, actor)
    require(actor, Action.add_version, document)
    if business_ids:
        correct_parties(session, document, business_ids, actor)
    version = documents.add_version(session, ctx, document, data, filename, actor)
    adoption.propose(session, agreement, document, version, actor)  # an annex after entry into force
    if document.kind is DocumentKind.main:
        recheck_annexes(session, agreement)
    else:
        queue_check(session, version, agreement.id)
        notifications.annex_version(session, ctx.links, agreement, document, version, actor)
    return version


def queue_check(session: Session, version: DocumentVersion, agreement_id: int) -> Job:
    version.check_status = CheckStatus.pending
    return jobs.enqueue(
        session, "check_version", {"version_id": version.id}, agreement_id, subject=check_subject(version)
    )


def check_subject(version: DocumentVersion) -> str:
    return f"version:{version.id}"


def recheck_annexes(session: Session, agreement: Agreement) -> list[Job]:
    return [
        queue_check(session, d.latest_version, agreement.id)
        for d in annex_documents(session, agreement.id)
        if d.latest_version is not None
    ]


def annex_documents(
    session: Session, agreement_id: int, offset: int = 0, limit: int | None = None
) -> list[Document]:
    """Every document of the agreement but the main one (from `offset`, at most `limit` of them),
    in upload order, with what the agreement page lists of them loaded up front."""
    return list(
        session.scalars(
            select(Document)
            .where(Document.agreement_id == agreement_id, Document.kind != DocumentKind.main)
            .options(
                selectinload(Document.versions),
                selectinload(Document.parties),
                selectinload(Document.signatures),
                selectinload(Document.approvals),
            )
            .order_by(Document.id)
            .offset(offset)
            .limit(limit)
        )
    )


def annex_count(session: Session, agreement_id: int) -> int:
    return (
        session.scalar(
            select(func.count(Document.id)).where(
                Document.agreement_id == agreement_id, Document.kind != DocumentKind.main
            )
        )
        or 0
    )


# -- reading and acting on flags ----------------------------------------------------------------


def flag_state(flag: Flag | DocumentFlag) -> domain.FlagState:
    acknowledged = isinstance(flag, DocumentFlag) and flag.acknowledged_at is not None
    return domain.FlagState(
        flag.code, Severity(flag.severity), flag.message_id, dict(flag.params), acknowledged
    )


def current_flags(session: Session, version: DocumentVersion | None) -> list[DocumentFlag]:
    if version is None or not version.check_run:
        return []
    return list(
        session.scalars(
            select(DocumentFlag)
            .where(DocumentFlag.version_id == version.id, DocumentFlag.run == version.check_run)
            .order_by(DocumentFlag.id)
        )
    )


def current_flags_of(session: Session, versions: list[DocumentVersion]) -> dict[int, list[DocumentFlag]]:
    """The current flags of many versions in one query (the agreement page's list)."""
    runs = {v.id: v.check_run for v in versions if v.check_run}
    found: dict[int, list[DocumentFlag]] = {v.id: [] for v in versions}
    if runs:
        for flag in session.scalars(
            select(DocumentFlag).where(DocumentFlag.version_id.in_(runs)).order_by(DocumentFlag.id)
        ):
            if flag.run == runs[flag.version_id]:
                found[flag.version_id].append(flag)
    return found


def get_flag(session: Session, document: Document, flag_id: int) -> DocumentFlag:
    """A current flag of the document's latest version (anything else is as good as missing)."""
    flag = session.get(DocumentFlag, flag_id)
    version = document.latest_version
    if flag is None or version is None or flag.version_id != version.id or flag.run != version.check_run:
        raise PortalError("not_found", 404)
    return flag


def flags_with_code(session: Session, document: Document, code: str) -> list[DocumentFlag]:
    flags = [f for f in current_flags(session, document.latest_version) if f.code == code]
    if not flags:
        raise PortalError("not_found", 404)
    return flags


def acknowledge(
    session: Session, document: Document, flags: list[DocumentFlag], actor: User, justification: str
) -> list[DocumentFlag]:
    """A lawyer takes a warning on their judgement, in writing; the audit trail keeps the words.
    A blocker cannot be acknowledged: only a new version clears it."""
    check_party(session, document.agreement_id, actor)
    require(actor, Action.handle_document, document)
    if document.status is not Status.draft:
        raise PortalError("document_not_draft", 409)
    justification = " ".join(justification.split())
    if len(justification) < domain.JUSTIFICATION_MIN:
        raise PortalError("justification_too_short", 422, min=domain.JUSTIFICATION_MIN)
    open_warnings = [f for f in flags if domain.needs_acknowledgement(flag_state(f))]
    if not open_warnings:
        code = (
            "flag_blocker"
            if any(f.severity is Severity.blocker for f in flags)
            else "flag_nothing_to_acknowledge"
        )
        raise PortalError(code, 409)
    now = utcnow()
    for flag in open_warnings:
        flag.acknowledged_by_id, flag.acknowledged_at, flag.justification = actor.id, now, justification
        flag.acknowledged_by = actor
    session.flush()
    version = document.latest_version
    assert version is not None, "the flags are the latest version's"
    record(
        session,
        "flag_acknowledged",
        actor_id=actor.id,
        agreement_id=document.agreement_id,
        document_id=document.id,
        version=version.number,
        code=open_warnings[0].code,
        flags=[f.id for f in open_warnings],
        justification=justification,
    )
    notifications.reviewed(session, actor, document.id, notifications.domain.Act.acknowledged)
    return open_warnings


def gate(session: Session, document: Document) -> domain.GateRefusal | None:
    version = document.latest_version
    status = version.check_status if version else None
    return domain.signature_gate(
        document.kind, status, [flag_state(f) for f in current_flags(session, version)]
    )


def open_document(session: Session, ctx: documents.Context, document: Document, actor: User) -> None:
    """The administrator opens an annex agreement or an amendment for its parties' signatures,
    once its check has cleared (no blocker, every warning acknowledged)."""
    require(actor, Action.administer, document)
    if refusal := gate(session, document):
        raise PortalError(f"gate_{refusal}", 409)
    agreement = session.get_one(Agreement, document.agreement_id)
    version = document.latest_version
    documents.open_for_signature(
        session,
        ctx,
        document,
        actor,
        title=document.title,
        language=(version.language if version else None) or agreement.language,
    )
