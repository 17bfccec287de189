"""The compatibility check of a version against the main agreement, run as a background job:
its text read once, the checks run, the flags stored and compared with the previous run's.
The job handler commits progress itself, as jobs do."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import signing
from portal.agreements.domain import Status
from portal.agreements.models import Agreement
from portal.annexes import domain
from portal.annexes.models import DocumentFlag, VersionText
from portal.annexes.services import current_flags, flag_state
from portal.audit.services import record
from portal.auth.domain import Role
from portal.auth.models import User
from portal.checks import (
    MESSAGES,
    Annex,
    Flag,
    Goal,
    MainAgreement,
    Party,
    Severity,
    extract_pages,
    guess_language,
    main_terms,
    run_checks,
)
from portal.checks.amend import Change, amend, amendment_terms
from portal.documents import services as documents
from portal.documents.domain import CheckStatus, DocumentKind
from portal.documents.models import Document, DocumentVersion
from portal.jobs import services as jobs
from portal.jobs.models import Job
from portal.mail.services import enqueue
from portal.notifications import services as notifications


def pages_of(session: Session, ctx: documents.Context, version: DocumentVersion) -> list[str]:
    """The version's text per page: extracted once (in the isolated worker), then stored."""
    stored = session.get(VersionText, version.id)
    if stored is not None:
        return stored.pages
    pages = extract_pages(ctx.storage.read(version.upload_sha256), ctx.limits)
    try:
        with session.begin_nested():  # two workers may read the same main agreement at once
            session.add(VersionText(version_id=version.id, pages=pages))
    except IntegrityError:
        pass  # the other one stored the same text first
    return pages


def main_agreement(session: Session, ctx: documents.Context, agreement: Agreement) -> MainAgreement:
    """What the checks compare against: the parties, the goals and the terms of the agreement as
    amended (issue 12)."""
    return consolidated(session, ctx, agreement).terms


@dataclass(frozen=True)
class Amended:
    """An amendment in force and what it changed of the terms."""

    document: Document
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Consolidated:
    """The agreement in force: its terms as amended, and the amendments that made them so."""

    terms: MainAgreement
    amendments: tuple[Amended, ...]


def consolidated(session: Session, ctx: documents.Context, agreement: Agreement) -> Consolidated:
    """The main agreement's terms (those the administrator stated win over what its text is read
    to say, h9a), then each amendment in force in the order they entered into force (R8)."""
    main = agreement.main_document
    version = main.latest_version if main else None
    pages = pages_of(session, ctx, version) if version else []
    language = agreement.language if agreement.language in ("fi", "sv") else "fi"
    terms = main_terms(pages, language)
    stated = agreement.notice_months, agreement.valid_until, agreement.dispute_forum
    parties = tuple(
        Party(
            p.organisation.name,
            p.organisation.business_id,
            (p.organisation.name_sv,) if p.organisation.name_sv else (),
        )
        for p in agreement.parties
    )
    current = MainAgreement(
        parties=parties,
        goals=tuple(Goal(g.number, g.title) for g in agreement.goals),
        notice_months=terms.notice_months if stated[0] is None else stated[0],
        valid_until=terms.valid_until if stated[1] is None else stated[1],
        dispute_forum=terms.dispute_forum if stated[2] is None else stated[2],
        title=agreement.title,
    )
    steps = []
    for amendment in amendments_in_force(session, agreement.id):
        if amendment.latest_version is None:  # in force: it has its signed file
            continue
        amended = amendment_terms(pages_of(session, ctx, amendment.latest_version), language)
        current, changes = amend(current, amended)
        steps.append(Amended(amendment, changes))
    return Consolidated(current, tuple(steps))


def amendments_in_force(session: Session, agreement_id: int) -> list[Document]:
    """The amendments in force, in the order they entered into force: the terms the checks read
    are those of the agreement as amended (R8)."""
    return list(
        session.scalars(
            select(Document)
            .where(
                Document.agreement_id == agreement_id,
                Document.kind == DocumentKind.amendment,
                Document.status == Status.in_force,
            )
            .order_by(Document.entered_into_force_at, Document.id)
        )
    )


def _flags_for(
    session: Session,
    ctx: documents.Context,
    version: DocumentVersion,
    document: Document,
    main: MainAgreement,
) -> tuple[list[Flag], str]:
    data = ctx.storage.read(version.upload_sha256)
    try:
        facts = signing.check_pdf(data, ctx.limits)
        pages = pages_of(session, ctx, version)
    except signing.PdfRejected:  # e.g. a text that takes too long to extract
        return [Flag("fit_to_sign", Severity.blocker, MESSAGES["fit_to_sign.text_unreadable"], {}, ())], "fi"
    language = guess_language(pages)
    annex = Annex(
        kind=document.kind,
        pages=tuple(pages),
        declared_parties=tuple(document.declared_business_ids),
        declared_goals=tuple(document.goal_numbers),
        facts=facts,
        language=language,
    )
    flags = run_checks(main, annex)
    if not any(page.strip() for page in pages):
        flags.append(Flag("fit_to_sign", Severity.warning, MESSAGES["fit_to_sign.no_text"], {}))
    return flags, language


def run_check_job(session: Session, ctx: documents.Context, job: Job) -> None:
    """The check_version job: run the checks on a version and store its flags."""
    version = session.get(DocumentVersion, job.payload["version_id"])
    if version is None:
        return
    version.check_status = CheckStatus.checking
    jobs.set_progress(session, job, 10)
    document = session.get_one(Document, version.document_id)
    agreement = session.get_one(Agreement, document.agreement_id)
    main = main_agreement(session, ctx, agreement)
    jobs.set_progress(session, job, 40)
    flags, language = _flags_for(session, ctx, version, document, main)
    jobs.set_progress(session, job, 80)
    previous = _previous_flags(session, document, version)
    rerun = version.check_run > 0
    stored = store_flags(session, version, flags, previous)
    version.check_status = CheckStatus.done
    version.language = language
    main_version = agreement.main_document.latest_version if agreement.main_document else None
    version.checked_against_sha256 = main_version.upload_sha256 if main_version else None
    session.flush()
    counts = {s.value: sum(f.severity is s for f in flags) for s in Severity}
    record(
        session,
        "document_checked",
        agreement_id=agreement.id,
        document_id=document.id,
        version=version.number,
        run=version.check_run,
        against=version.checked_against_sha256,
        **counts,
    )
    if _new_blockers(previous, flags):
        notifications.annex_blocker(session, ctx.links, agreement, document, version)
    elif rerun and (changed := [f for f in stored if f.changed]):
        flags_changed(session, ctx, agreement, document, version, changed)


def flags_changed(
    session: Session,
    ctx: documents.Context,
    agreement: Agreement,
    document: Document,
    version: DocumentVersion,
    changed: list,
) -> int:
    """Issue 12: a re-check against the agreement as amended changed a flag: the lawyers of the
    parties the document concerns are told which."""
    bound = {p.organisation_id for p in document.parties} or {p.organisation_id for p in agreement.parties}
    lawyers = session.scalars(
        select(User)
        .where(User.organisation_id.in_(bound), User.role == Role.lawyer, User.active.is_(True))
        .order_by(User.id)
    ).all()
    link = ctx.links.external(ctx.links.document(document.id)) if ctx.links else ""
    for lawyer in lawyers:
        enqueue(
            session,
            f"flags_changed:{version.id}:{version.check_run}:{lawyer.id}",
            kind="flags_changed",
            recipient=lawyer.email,
            language=lawyer.locale,
            agreement_id=agreement.id,
            agreement=agreement,
            document=document,
            changed=changed,
            link=link,
        )
    return len(lawyers)


def check_job_failed(session: Session, job: Job, final: bool) -> None:
    version = session.get(DocumentVersion, job.payload.get("version_id"))
    if version is not None:
        version.check_status = CheckStatus.failed if final else CheckStatus.pending
        session.flush()


def _previous_flags(
    session: Session, document: Document, version: DocumentVersion
) -> list[DocumentFlag] | None:
    """The flags to compare with: this version's latest run, else the previous version's."""
    if version.check_run:
        return current_flags(session, version)
    earlier = [v for v in document.versions if v.number < version.number and v.check_run]
    return current_flags(session, earlier[-1]) if earlier else None


def store_flags(
    session: Session, version: DocumentVersion, flags: list[Flag], previous: list[DocumentFlag] | None
) -> list[DocumentFlag]:
    """Store a run's flags; mark the codes that changed; keep an acknowledgement for the very same
    warning of this version's previous run."""
    old_states = [flag_state(f) for f in previous] if previous is not None else None
    changed = domain.changed_codes(old_states, [flag_state(f) for f in flags])
    same_version = [f for f in previous or () if f.version_id == version.id]
    version.check_run += 1
    stored = []
    for flag in flags:
        row = DocumentFlag(
            version_id=version.id,
            run=version.check_run,
            code=flag.code,
            severity=flag.severity,
            message_id=flag.message_id,
            params=dict(flag.params),
            changed=flag.code in changed,
            evidence=[{"page": e.page, "text": e.text} for e in flag.evidence],
        )
        new_state = flag_state(flag)
        for old in same_version:
            if domain.carries_acknowledgement(flag_state(old), new_state):
                row.acknowledged_by_id, row.acknowledged_at = old.acknowledged_by_id, old.acknowledged_at
                row.justification = old.justification
                break
        stored.append(row)
    session.add_all(stored)
    session.flush()
    return stored


def _new_blockers(previous: list[DocumentFlag] | None, flags: list[Flag]) -> bool:
    before = {
        (f.message_id, tuple(sorted(f.params.items())))
        for f in previous or ()
        if f.severity is Severity.blocker
    }
    return any(
        (f.message_id, tuple(sorted(f.params.items()))) not in before
        for f in flags
        if f.severity is Severity.blocker
    )
