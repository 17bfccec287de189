"""Annexes after entry into force (issue 12, item 4): a new annex or a new version of one goes
through the procedure the agreement sets: the steering group's approval recorded as a decision
of its meeting (the default, seed 002), or each party updating its own part (seed 001). Until
then the version is pending, visibly, and the annex's in-force file is unchanged.
Services flush, never commit."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agreements.domain import AnnexProcedure
from portal.agreements.models import Agreement
from portal.annexes.domain import AdoptionStatus, needs_adoption
from portal.annexes.models import AnnexAdoption
from portal.audit.services import record
from portal.auth.models import User
from portal.documents.domain import decision_date_refusal
from portal.documents.models import Document, DocumentVersion
from portal.documents.services import main_in_force
from portal.errors import PortalError
from portal.lifecycle.queries import refuse_if_ended
from portal.permissions import Action, require, standing
from portal.steering.models import Meeting
from portal.timeutil import helsinki_today, utcnow


def propose(
    session: Session, agreement: Agreement, document: Document, version: DocumentVersion, actor: User
) -> AnnexAdoption | None:
    """After documents.add_version: a version of an annex stored while the main agreement is in
    force waits for adoption; the annex's current file goes back to the version in force (none
    for a new annex). An earlier version still pending is superseded."""
    if not needs_adoption(document.kind, main_in_force(session, document)):
        return None
    for earlier in pending_of(session, document.id):
        earlier.status = AdoptionStatus.superseded
    acting_for = sorted(standing(actor, agreement.id).parties())
    adoption = AnnexAdoption(
        agreement_id=agreement.id,
        document_id=document.id,
        version_id=version.id,
        procedure=agreement.annex_procedure,
        organisation_id=acting_for[0] if acting_for else None,
    )
    session.add(adoption)
    session.flush()
    document.current_sha256 = in_force_sha256(session, document)
    session.flush()
    record(
        session,
        "annex_pending",
        actor_id=actor.id,
        agreement_id=agreement.id,
        document_id=document.id,
        version=version.number,
        procedure=str(adoption.procedure),
    )
    return adoption


def adoptions_of(session: Session, document_id: int) -> list[AnnexAdoption]:
    return list(
        session.scalars(
            select(AnnexAdoption).where(AnnexAdoption.document_id == document_id).order_by(AnnexAdoption.id)
        )
    )


def pending_of(session: Session, document_id: int) -> list[AnnexAdoption]:
    return [a for a in adoptions_of(session, document_id) if a.status is AdoptionStatus.pending]


def pending_in(session: Session, agreement_id: int) -> list[AnnexAdoption]:
    """The agreement's annex versions waiting for adoption (the agreement page lists them)."""
    return list(
        session.scalars(
            select(AnnexAdoption)
            .where(AnnexAdoption.agreement_id == agreement_id, AnnexAdoption.status == AdoptionStatus.pending)
            .order_by(AnnexAdoption.id)
        )
    )


def in_force_sha256(session: Session, document: Document) -> str | None:
    """The annex's file in force: its newest version that is not waiting for (or passed over
    by) adoption; None while none is."""
    waiting = {
        a.version_id for a in adoptions_of(session, document.id) if a.status is not AdoptionStatus.adopted
    }
    versions = [v for v in document.versions if v.id not in waiting]
    return max(versions, key=lambda v: v.number).upload_sha256 if versions else None


def adopt(
    session: Session,
    adoption: AnnexAdoption,
    actor: User,
    *,
    meeting_id: int | None = None,
    decision: str = "",
    decided_on: date | None = None,
) -> AnnexAdoption:
    """Record the decision that adopts a pending version: under `steering_group` a meeting of
    the agreement's steering group held by today (the decision is its; `decision` the §), under
    `own_part` the party's own decision with its date. The version becomes the annex's in-force
    file. Anything else refuses and changes nothing."""
    require(actor, Action.adopt_annex, adoption)
    agreement = session.get_one(Agreement, adoption.agreement_id)
    refuse_if_ended(session, agreement, actor)
    if adoption.status is not AdoptionStatus.pending:
        raise PortalError("adoption_not_pending", 409)
    decision = " ".join(decision.split())
    if adoption.procedure is AnnexProcedure.steering_group:
        meeting = session.get(Meeting, meeting_id) if meeting_id is not None else None
        if meeting is None or meeting.agreement_id != agreement.id:
            raise PortalError("adoption_meeting_missing", 422)
        decided_on = meeting.meets_on
    elif decided_on is None or not decision:
        raise PortalError("adoption_decision_missing", 422)
    if code := decision_date_refusal(decided_on, helsinki_today()):
        raise PortalError(code, 422)
    adoption.status, adoption.decided_on, adoption.decision = AdoptionStatus.adopted, decided_on, decision
    adoption.meeting_id = meeting_id if adoption.procedure is AnnexProcedure.steering_group else None
    adoption.recorded_by_id, adoption.recorded_at = actor.id, utcnow()
    document = session.get_one(Document, adoption.document_id)
    session.flush()
    document.current_sha256 = in_force_sha256(session, document)
    version = session.get_one(DocumentVersion, adoption.version_id)
    session.flush()
    record(
        session,
        "annex_adopted",
        actor_id=actor.id,
        agreement_id=agreement.id,
        document_id=document.id,
        version=version.number,
        procedure=str(adoption.procedure),
        meeting=adoption.meeting_id,
        decision=decision,
        decided_on=decided_on.isoformat(),
        sha256=version.upload_sha256,
    )
    return adoption
