"""Documents: upload, preparation for signature, signatures, approvals and entry into force.

Services take a Session, may flush and never commit: the view (or API call) commits once."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

import signing
from portal.agreements.domain import (
    Status,
    final_file_refusal,
    ready_to_enter_into_force,
    sign_refusal,
)
from portal.agreements.models import Agreement
from portal.audit.seal import seal_head
from portal.audit.services import record
from portal.auth.models import User
from portal.authority import services as authority
from portal.documents.domain import DecisionType, DocumentKind, clean_filename, decision_date_refusal
from portal.documents.models import (
    ApprovalDecision,
    Blob,
    Document,
    DocumentParty,
    DocumentVersion,
    Signature,
)
from portal.errors import PortalError, RecordedRefusal
from portal.lifecycle.queries import refuse_if_ended
from portal.links import Links
from portal.memberships import domain as member_rules
from portal.notifications import services as notifications
from portal.organisations.domain import name_in
from portal.permissions import Action, represented_parties, require
from portal.signatories.services import title_for
from portal.storage import BlobMismatch, BlobStorage
from portal.timeutil import helsinki_today, utcnow
from signing.pdfa import convert_to_pdfa

HELSINKI = ZoneInfo("Europe/Helsinki")
log = logging.getLogger(__name__)
#: what features do when a document of theirs enters into force (registered at app setup:
#: lifecycle.accessions makes the new party a party from that day)
ENTERED_INTO_FORCE: list[Callable[[Session, Document], None]] = []


@dataclass(frozen=True)
class Context:
    """What the services need from the app, passed in so they stay testable without Flask."""

    storage: BlobStorage
    key_encryption_key: str
    limits: signing.Limits
    #: the addresses written into notifications and mail
    links: Links
    #: the portal's public address: the CA's CRL and OCSP URLs in new certificates are under it
    base_url: str = ""
    #: the roots (PEM) an own certificate must chain to (PORTAL_EXTERNAL_TRUST_ROOTS)
    external_trust_roots: tuple[bytes, ...] = ()
    #: the folder the audit chain's sealed heads are written to ("": sealing is off)
    audit_seal_dir: str = ""
    #: prepare documents from their PDF/A-2b conversion where it shows the same (PORTAL_PDFA)
    pdfa: bool = True
    #: the outside TSA of the signature and document timestamps (PORTAL_TSA_URL; "": the portal's own)
    tsa_url: str = ""

    @property
    def pki_pointers(self) -> signing.Pointers | None:
        return signing.Pointers.under(self.base_url) if self.base_url else None


def store_blob(
    session: Session,
    ctx: Context,
    data: bytes,
    content_type: str,
    base: str | None = None,
    base_data: bytes | None = None,
) -> str:
    """Store a blob and its row. `base`: a stored blob `data` appends to (the file before a
    signature), so that only the appended revision takes space; `base_data`, its bytes when the
    caller read them from storage, spares hashing them again."""
    sha256 = ctx.storage.put(data, base=base, base_data=base_data)
    if session.get(Blob, sha256) is None:
        session.add(Blob(sha256=sha256, size=len(data), content_type=content_type))
        session.flush()
    return sha256


def add_version(
    session: Session, ctx: Context, document: Document, data: bytes, filename: str, uploader: User
) -> DocumentVersion:
    """Check the upload and store it as the document's next version; a rejected file stores
    nothing (signing.PdfRejected carries the reason)."""
    if document.status is not Status.draft:
        raise PortalError("document_not_draft", 409)
    try:
        facts = signing.check_pdf(data, ctx.limits)
    except signing.PdfRejected as rejected:
        raise PortalError(f"pdf_{rejected.code}", 422) from rejected
    sha256 = store_blob(session, ctx, data, "application/pdf")
    version = DocumentVersion(
        document_id=document.id,
        number=len(document.versions) + 1,
        filename=clean_filename(filename),
        upload_sha256=sha256,
        page_count=facts.page_count,
        uploaded_by_id=uploader.id,
    )
    document.versions.append(version)
    document.current_sha256 = sha256
    session.flush()
    record(
        session,
        "document_uploaded",
        actor_id=uploader.id,
        agreement_id=document.agreement_id,
        document_id=document.id,
        version=version.number,
        sha256=sha256,
        filename=version.filename,
    )
    void_earlier_approvals(session, document, version, uploader)
    return version


def set_parties(document: Document, organisation_ids: list[int]) -> None:
    document.parties = [
        DocumentParty(organisation_id=org_id, position=i, field_name=f"party-{i:02d}")
        for i, org_id in enumerate(organisation_ids, start=1)
    ]


def open_for_signature(
    session: Session, ctx: Context, document: Document, actor: User, *, title: str, language: str
) -> None:
    """Prepare the latest version (normalised, signature page, certified) and open it. Only the
    secretary opens a document (the authority: the web and the API only call this)."""
    require(actor, Action.administer, document)
    version = document.latest_version
    if document.status is not Status.draft:
        raise PortalError("document_not_draft", 409)
    if version is None:
        raise PortalError("document_missing", 409)
    if not document.parties:
        raise PortalError("no_parties", 409)
    slots = [
        signing.SignatureSlot(p.field_name, p.organisation.name, p.organisation.business_id)
        for p in document.parties
    ]
    upload = ctx.storage.read(version.upload_sha256)
    stamper = _timestamper(session, ctx)
    try:
        archived = _archive_format(ctx, version, upload)
        prepared = signing.prepare(
            archived or upload,
            slots,
            authority.seal_key(session, ctx.key_encryption_key),
            title=title,
            language=language,
            limits=ctx.limits,
            document_id=signing.DocumentId(document.agreement_id, document.id, version.number),
            timestamper=stamper,
        )
    except signing.PdfRejected as rejected:
        raise PortalError(f"pdf_{rejected.code}", 422) from rejected
    certificates = authority.authority_certificates(
        session, ctx.key_encryption_key, ctx.tsa_url, ctx.pki_pointers
    )
    data = _validation_data(session, ctx, certificates, stamper)
    prepared = signing.add_validation_data(prepared, data)
    version.prepared_sha256 = store_blob(session, ctx, prepared, "application/pdf")
    document.current_sha256 = version.prepared_sha256
    document.status = Status.signing
    record(
        session,
        "document_opened",
        actor_id=actor.id,
        agreement_id=document.agreement_id,
        document_id=document.id,
        version=version.number,
        sha256=version.prepared_sha256,
    )
    notifications.signing_opened(session, ctx.links, document)


def _archive_format(ctx: Context, version: DocumentVersion, upload: bytes) -> bytes | None:
    """The upload as PDF/A-2b when the conversion shows the same, recorded on the version. The
    conversion starts from the portal's own clean rewrite of the upload (active content refused
    there first, as preparation refuses it), never from the upload itself."""
    result = convert_to_pdfa(signing.normalise(upload, ctx.limits)) if ctx.pdfa else None
    version.pdfa = bool(result and result.pdf)
    version.pdfa_note = None if version.pdfa else (result.reason if result else "off")
    return result.pdf if result else None


def lock_document(session: Session, document_id: int) -> Document:
    """Serialise writers of one document: the UPDATE takes a row lock on PostgreSQL and the
    write lock on SQLite, held until commit. Everything read after it is current."""
    session.execute(update(Document).where(Document.id == document_id).values(revision=Document.revision + 1))
    document = session.get(Document, document_id, populate_existing=True)
    if document is None:
        raise PortalError("not_found", 404)
    session.expire(document, ["signatures", "approvals", "parties", "versions"])
    return document


def _refusal(document: Document, user: User, ids: tuple[set[int], set[int]] | None = None) -> str | None:
    parties, signed = ids or (
        {p.organisation_id for p in document.parties},
        {s.organisation_id for s in document.signatures},
    )
    refusal = sign_refusal(
        status=document.status,
        represented_org_ids=represented_parties(user, document.agreement_id),
        party_org_ids=parties,
        signed_org_ids=signed,
    )
    return refusal and f"sign_{refusal}"


def party_and_signed_ids(session: Session, document_id: int) -> tuple[set[int], set[int]]:
    """The document's parties and those that have signed, as plain ids: what a check before
    the document is locked needs, without loading the rows that sign() reads again locked."""
    parties = set(
        session.scalars(select(DocumentParty.organisation_id).where(DocumentParty.document_id == document_id))
    )
    return parties, signed_ids(session, document_id)


def signed_ids(session: Session, document_id: int) -> set[int]:
    """The parties that have signed the document, as plain ids. Signing reads these rather
    than document.signatures: those rows come with their verdicts and joined signers, and a
    signature's cost must not grow with the number of signatures before it."""
    return set(session.scalars(select(Signature.organisation_id).where(Signature.document_id == document_id)))


def signing_party(document: Document, user: User, signed: set[int] | None = None) -> DocumentParty | None:
    """The party the user signs for on this document (their representative membership in the
    agreement), or None (`signed`: signed_ids, when the caller has them)."""
    org_id = member_rules.signing_party(
        represented_parties(user, document.agreement_id),
        {p.organisation_id for p in document.parties},
        signed if signed is not None else {s.organisation_id for s in document.signatures},
    )
    return next((p for p in document.parties if p.organisation_id == org_id), None)


def locked_for_signing(session: Session, document_id: int, user: User) -> tuple[Document, DocumentParty]:
    """The document, locked (lock_document), and the party the user signs for on it; refuses
    (check_may_sign) a signature the user may not give."""
    document = lock_document(session, document_id)
    ids = ({p.organisation_id for p in document.parties}, signed_ids(session, document.id))
    check_may_sign(document, user, ids)
    party = signing_party(document, user, ids[1])
    assert party is not None  # check_may_sign refused otherwise
    return document, party


def check_may_sign(document: Document, user: User, ids: tuple[set[int], set[int]] | None = None) -> None:
    """Refuse a signature the user may not give (`ids`: party_and_signed_ids, for a check before
    the document is locked)."""
    if code := _refusal(document, user, ids):
        raise PortalError(code, 409 if code in ("sign_already_signed", "sign_not_open") else 403)


def sign(
    session: Session, ctx: Context, document_id: int, user: User, passphrase: bytes, place: str
) -> Signature:
    """Sign the user's party's field. The caller checked the password (or the sign-scoped token)
    and passes what unlocks the key: authority.signer_passphrase() or unwrap_for_token().
    The stored file must be the one the database says was signed so far, and the new signature's
    revision must verify (signing.verify_latest_revision) before anything is stored: otherwise
    a RecordedRefusal (409) keeps only its audit event."""
    document, party = locked_for_signing(session, document_id, user)
    held = authority.held(session)  # noqa: F841 - kept for the identity map (see authority.held)
    refuse_if_ended(session, session.get_one(Agreement, document.agreement_id), user, party.organisation_id)
    key, credential = authority.signer_key(
        session, ctx.key_encryption_key, user, passphrase, ctx.pki_pointers, party.organisation
    )
    current = _signed_so_far(session, ctx, document, user)
    signed_at = utcnow()
    local_time = signed_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(HELSINKI)
    stamp = signing.StampText(
        signer_name=user.display_name,
        signer_title=title_for(session, user, party.organisation_id, document.agreement_id, local_time.date())
        or "",
        party_name=name_in(user.locale, party.organisation.name, party.organisation.name_sv),
        place=place,
        signed_at=local_time,
        language=user.locale,
    )
    # B-LT: the validation data of this signature goes into the DSS in the signature's own
    # revision, so the signature covers it and the file gains one revision per signature
    stamper = _timestamper(session, ctx)
    data = _validation_data(session, ctx, [key.certificate_pem], stamper)
    try:
        pdf = signing.sign(current, party.field_name, key, stamp, stamper, validation=data)
    except signing.SigningRefused as refused:  # the PDF and the database disagree: refuse, change nothing
        raise PortalError(f"sign_{refused.code}", 409) from refused
    except TimestampRequestError as failed:
        raise PortalError("timestamp_unavailable", 503) from failed
    expected = signing.ExpectedSigner(
        party.field_name, party.organisation.business_id, credential.certificate_sha256
    )
    verdict = signing.verify_latest_revision(pdf, current, expected, authority.trust_roots(session))
    if not verdict.ok:
        raise _recorded_refusal(
            session,
            "signature_not_verified",
            "sign_not_verified",
            document,
            user,
            field=party.field_name,
            verdict=verdict.as_dict(),
        )
    return add_signature(
        session,
        ctx,
        document,
        user,
        party,
        pdf,
        place=place,
        signed_at=signed_at,
        certificate_sha256=credential.certificate_sha256,
        verdict=verdict.as_dict(),
        previous=current,
    )


def add_signature(
    session: Session,
    ctx: Context,
    document: Document,
    user: User,
    party: DocumentParty,
    pdf: bytes,
    *,
    place: str,
    signed_at: datetime,
    certificate_sha256: str,
    verdict: dict[str, object],
    previous: bytes | None = None,
    **audit: object,
) -> Signature:
    """Store a verified signature's file (as the revision it appends to the current one), its
    row and its audit event (with `audit`'s extra fields), make it the current file and let the
    document enter into force if it was the last thing missing. `previous`: the current file's
    bytes as the caller read them from storage (hashed then). Callers hold the lock."""
    result = store_blob(
        session, ctx, pdf, "application/pdf", base=document.current_sha256, base_data=previous
    )
    version = document.latest_version
    assert version is not None, "a document open for signature has its file"
    signature = Signature(
        document_id=document.id,
        version_id=version.id,
        organisation_id=party.organisation_id,
        signer_id=user.id,
        field_name=party.field_name,
        place=place,
        signed_at=signed_at,
        certificate_sha256=certificate_sha256,
        result_sha256=result,
        verified_at=utcnow(),
        verdict=verdict,
    )
    session.add(signature)  # not document.signatures.append: that would load every earlier one
    document.current_sha256 = result
    session.flush()
    session.expire(document, ["signatures"])  # read again, with this one, where next needed
    record(
        session,
        "signature",
        actor_id=user.id,
        agreement_id=document.agreement_id,
        document_id=document.id,
        party=party.organisation.business_id,
        place=place,
        sha256=result,
        certificate_sha256=certificate_sha256,
        **audit,
    )
    notifications.party_signed(session, document, party.organisation_id)
    enter_into_force_if_ready(session, ctx, document, user)
    return signature


def _timestamper(session: Session, ctx: Context) -> TimeStamper:
    return authority.timestamper(session, ctx.key_encryption_key, ctx.tsa_url, ctx.pki_pointers)


def _validation_data(
    session: Session, ctx: Context, certificates_pem: list[bytes], stamper: TimeStamper
) -> signing.ValidationData:
    """`certificates_pem` and the CA's CRL of now (see authority.validation_data) and, with an
    outside TSA (PORTAL_TSA_URL), that TSA's certificates and revocation data fetched from the
    URLs in them (signing.tsa_validation_data; `stamper` is the one the timestamp is asked from,
    so the TSA answers once). Without them the timestamps could not be validated offline: a
    PortalError (503) then, as when the TSA does not answer."""
    now = utcnow().replace(tzinfo=UTC, microsecond=0)
    data = authority.validation_data(session, ctx.key_encryption_key, certificates_pem, now)
    if not ctx.tsa_url:
        return data
    try:
        outside = signing.tsa_validation_data(stamper, known=authority.own_certificate_sha256s(session))
    except (TimestampRequestError, ValueError) as failed:
        log.error("the TSA at %s gave no validation data: %s", ctx.tsa_url, failed)
        raise PortalError("timestamp_unavailable", 503) from failed
    return signing.ValidationData(
        data.certificates + outside.certificates,
        data.ocsp_responses + outside.ocsp_responses,
        data.crls + outside.crls,
    )


def _archive_timestamp(session: Session, ctx: Context, document: Document) -> None:
    """B-LTA: the signed file gains fresh validation data and a document timestamp as its last
    revision; that file becomes the current one, the copy every party downloads."""
    signed = ctx.storage.read(document.current_sha256 or "")
    stamper = _timestamper(session, ctx)
    try:
        data = _validation_data(session, ctx, [], stamper)
        archived = signing.timestamp_document(signing.add_validation_data(signed, data), stamper)
    except TimestampRequestError as failed:
        raise PortalError("timestamp_unavailable", 503) from failed
    document.current_sha256 = store_blob(
        session, ctx, archived, "application/pdf", base=document.current_sha256
    )


def _signed_so_far(session: Session, ctx: Context, document: Document, user: User) -> bytes:
    """The current file, re-hashed: it must be what the last signature produced (or the prepared
    file before the first one) and read back from storage with that very SHA-256."""
    last = session.scalar(
        select(Signature.result_sha256)
        .where(Signature.document_id == document.id)
        .order_by(Signature.signed_at.desc(), Signature.id.desc())
        .limit(1)
    )
    version = document.latest_version
    expected = last or (version and version.prepared_sha256)
    try:
        if expected is None or document.current_sha256 != expected:
            raise BlobMismatch(expected or "", document.current_sha256 or "")
        return ctx.storage.read(document.current_sha256)
    except (BlobMismatch, FileNotFoundError) as exc:
        raise _recorded_refusal(
            session,
            "stored_file_mismatch",
            "sign_stored_file_mismatch",
            document,
            user,
            sha256=document.current_sha256,
            detail=str(exc)[:200],
        ) from exc


def _recorded_refusal(
    session: Session, kind: str, code: str, document: Document, user: User, **payload
) -> RecordedRefusal:
    """Record why a signature was refused (the error handler commits the record and nothing
    else), tell the administrator through the error log, and return the refusal to raise."""
    log.error("signature refused on document %s: %s %s", document.id, kind, payload)
    record(
        session,
        kind,
        actor_id=user.id,
        agreement_id=document.agreement_id,
        document_id=document.id,
        **payload,
    )
    return RecordedRefusal(code, 409)


def record_approval(
    session: Session,
    ctx: Context,
    document_id: int,
    organisation_id: int,
    actor: User,
    *,
    body: str,
    decided_on: date,
    section: str,
    disqualified_members: str = "",
    diary_number: str = "",
    decision_type: DecisionType = DecisionType.approve,
    minutes: bytes | None = None,
    minutes_sha256: str | None = None,
) -> ApprovalDecision:
    """The secretary records a party's decision on the document's current version (R12). An
    approval is a fact, recorded even when the file then fails the check for entry into force,
    which is withheld instead; otherwise it may bring the document into force (R3). A decision
    is never dated in the future; the minutes extract (a PDF) is stored by its SHA-256."""
    document = lock_document(session, document_id)
    require(actor, Action.record_decision, document)
    if organisation_id not in {p.organisation_id for p in document.parties}:
        raise PortalError("not_a_party", 422)
    _check_decision_date(decided_on)
    if decision_type is DecisionType.approve and any(
        a.organisation_id == organisation_id for a in document.counted_approvals
    ):
        raise PortalError("approval_exists", 409)
    if minutes is not None:
        minutes_sha256 = store_minutes(session, ctx, minutes)
    version = document.latest_version
    approval = ApprovalDecision(
        document_id=document.id,
        organisation_id=organisation_id,
        version_id=version and version.id,
        body=body,
        decided_on=decided_on,
        section=section,
        diary_number=diary_number,
        decision_type=decision_type,
        disqualified_members=disqualified_members,
        minutes_sha256=minutes_sha256,
        recorded_by_id=actor.id,
    )
    document.approvals.append(approval)
    session.flush()
    record(
        session,
        "approval",
        actor_id=actor.id,
        agreement_id=document.agreement_id,
        document_id=document.id,
        organisation_id=organisation_id,
        body=body,
        decided_on=decided_on.isoformat(),
        section=section,
        diary_number=diary_number,
        decision_type=str(decision_type),
        version=version and version.number,
        minutes_sha256=minutes_sha256,
    )
    notifications.decided(session, document, {a.organisation_id for a in document.counted_approvals})
    enter_into_force_if_ready(session, ctx, document, actor)
    return approval


def _check_decision_date(decided_on: date) -> None:
    if code := decision_date_refusal(decided_on, helsinki_today()):
        raise PortalError(code, 422)


def store_minutes(session: Session, ctx: Context, data: bytes) -> str:
    """A minutes extract: a readable PDF (the same checks as any upload), stored by content."""
    try:
        signing.check_pdf(data, ctx.limits)
    except signing.PdfRejected as rejected:
        raise PortalError(f"pdf_{rejected.code}", 422) from rejected
    return store_blob(session, ctx, data, "application/pdf")


def correct_approval(
    session: Session,
    ctx: Context,
    approval_id: int,
    actor: User,
    *,
    reason: str,
    body: str,
    decided_on: date,
    section: str,
    disqualified_members: str = "",
    diary_number: str = "",
    decision_type: DecisionType = DecisionType.approve,
    minutes: bytes | None = None,
) -> ApprovalDecision:
    """The secretary corrects a wrongly recorded decision, with a reason: the correction replaces
    it and the history keeps both (the old one marked superseded, the new one pointing back)."""
    wrong = session.get(ApprovalDecision, approval_id)
    if wrong is None:
        raise PortalError("not_found", 404)
    document = lock_document(session, wrong.document_id)
    require(actor, Action.record_decision, document)
    session.refresh(wrong)
    if not wrong.active:
        raise PortalError("decision_not_active", 409)
    if not reason.strip():
        raise PortalError("correction_reason_missing", 422)
    _check_decision_date(decided_on)
    minutes_sha256 = store_minutes(session, ctx, minutes) if minutes else wrong.minutes_sha256
    wrong.superseded_at = utcnow()
    correction = ApprovalDecision(
        document_id=document.id,
        organisation_id=wrong.organisation_id,
        version_id=wrong.version_id,
        body=body,
        decided_on=decided_on,
        section=section,
        diary_number=diary_number,
        decision_type=decision_type,
        disqualified_members=disqualified_members,
        minutes_sha256=minutes_sha256,
        recorded_by_id=actor.id,
        corrects_id=wrong.id,
        correction_reason=reason.strip(),
    )
    document.approvals.append(correction)
    session.flush()
    record(
        session,
        "approval_corrected",
        actor_id=actor.id,
        agreement_id=document.agreement_id,
        document_id=document.id,
        organisation_id=wrong.organisation_id,
        corrects=wrong.id,
        approval=correction.id,
        reason=correction.correction_reason,
        body=body,
        decided_on=decided_on.isoformat(),
        section=section,
        decision_type=str(decision_type),
    )
    notifications.decided(session, document, {a.organisation_id for a in document.counted_approvals})
    enter_into_force_if_ready(session, ctx, document, actor)
    return correction


def void_earlier_approvals(
    session: Session, document: Document, version: DocumentVersion, actor: User
) -> list[ApprovalDecision]:
    """R12: a new version before signature voids the decisions taken on the earlier ones; they
    stay recorded and shown as voided, and no longer count."""
    voided = [a for a in document.approvals if a.active and a.version_id != version.id]
    now = utcnow()
    for approval in voided:
        approval.voided_at = now
    if voided:
        session.flush()
        record(
            session,
            "approvals_voided",
            actor_id=actor.id,
            agreement_id=document.agreement_id,
            document_id=document.id,
            version=version.number,
            approvals=[a.id for a in voided],
        )
    return voided


def enter_into_force_if_ready(session: Session, ctx: Context, document: Document, actor: User) -> bool:
    """R3: the moment the last approval or signature is in place, and only with the verified
    final file: the stored file re-hashed against the database, every signature's revision
    verified as it was made, the last one's result the current file. Otherwise the entry into
    force is withheld (an audit event and an error log for the administrator); what triggered
    it stays recorded. Callers hold the lock."""
    ready = ready_to_enter_into_force(
        {p.organisation_id for p in document.parties},
        {a.organisation_id for a in document.counted_approvals},
        signed_ids(session, document.id),
        document.requires_approval,
    )
    if document.status is not Status.signing or not ready:
        return False
    if not main_in_force(session, document):
        return False  # issue 12: it waits, and enters into force with the main agreement
    if refusal := _final_file_refusal(ctx, document):
        log.error("entry into force of document %s withheld: %s", document.id, refusal)
        record(
            session,
            "entry_into_force_withheld",
            actor_id=actor.id,
            agreement_id=document.agreement_id,
            document_id=document.id,
            reason=refusal,
            sha256=document.current_sha256,
        )
        return False
    _archive_timestamp(session, ctx, document)
    now = utcnow()
    document.status = Status.in_force
    document.entered_into_force_at = now
    document.entered_into_force_on = helsinki_date(now)
    record(
        session,
        "entered_into_force",
        actor_id=actor.id,
        agreement_id=document.agreement_id,
        document_id=document.id,
        on=document.entered_into_force_on.isoformat(),
        sha256=document.current_sha256,
    )
    if ctx.audit_seal_dir:
        seal_head(session, ctx.key_encryption_key, ctx.audit_seal_dir, "entry_into_force")
    notifications.entered_into_force(session, ctx.links, document)
    for hook in ENTERED_INTO_FORCE:
        hook(session, document)
    if document.kind is DocumentKind.main:
        for waiting in session.scalars(
            select(Document)
            .where(
                Document.agreement_id == document.agreement_id,
                Document.id != document.id,
                Document.status == Status.signing,
            )
            .order_by(Document.id)
        ).all():
            enter_into_force_if_ready(session, ctx, lock_document(session, waiting.id), actor)
    return True


def main_in_force(session: Session, document: Document) -> bool:
    """An annex agreement or amendment cannot enter into force before the main agreement."""
    if document.kind is DocumentKind.main:
        return True
    status = session.scalar(
        select(Document.status)
        .join(Agreement, Agreement.main_document_id == Document.id)
        .where(Agreement.id == document.agreement_id)
    )
    return status is Status.in_force


def waiting_for_main(session: Session, document: Document) -> bool:
    """Signed and approved as its own terms require, but the main agreement is not in force."""
    return (
        document.status is Status.signing
        and not main_in_force(session, document)
        and ready_to_enter_into_force(
            {p.organisation_id for p in document.parties},
            {a.organisation_id for a in document.counted_approvals},
            {s.organisation_id for s in document.signatures},
            document.requires_approval,
        )
    )


def _final_file_refusal(ctx: Context, document: Document) -> str | None:
    stored: str | None = document.current_sha256
    try:
        ctx.storage.read(document.current_sha256 or "")  # hashes what it reads
    except BlobMismatch as mismatch:
        stored = mismatch.actual
    except (FileNotFoundError, ValueError):
        stored = None
    return final_file_refusal(
        document.current_sha256,
        stored,
        [(s.result_sha256, bool(s.verdict and s.verdict.get("ok"))) for s in document.signatures],
    )


def helsinki_date(naive_utc: datetime) -> date:
    return naive_utc.replace(tzinfo=ZoneInfo("UTC")).astimezone(HELSINKI).date()


def verify_current(session: Session, ctx: Context, document: Document) -> signing.VerificationReport:
    expected = [signing.ExpectedSigner(p.field_name, p.organisation.business_id) for p in document.parties]
    assert document.current_sha256 is not None, "only a document with a file has signatures"
    return signing.verify(
        ctx.storage.read(document.current_sha256),
        authority.trust_roots(session),
        certifier_sha256=authority.seal_certificate_sha256(session),
        expected=expected,
    )


def compact_signed_copies(session: Session, storage: BlobStorage) -> tuple[int, int]:
    """Store each signature's file, kept whole before deltas existed, as the revision it appends
    to the file before it (the prepared file for the first signature). Returns (files compacted,
    signatures looked at). Safe to run again: what is already a delta is left as it is."""
    compacted = looked_at = 0
    for document in session.scalars(select(Document).options(selectinload(Document.signatures))):
        versions = {v.id: v for v in document.versions}
        base: str | None = None
        version_id = None
        for signature in document.signatures:  # ordered by signed_at
            if signature.version_id != version_id:  # a version's first signature: its prepared file
                version_id = signature.version_id
                base = versions[version_id].prepared_sha256
            looked_at += 1
            if base and storage.compact(signature.result_sha256, base):
                compacted += 1
            base = signature.result_sha256
    return compacted, looked_at
