"""Termination and dissolution (R5; seed 000 §12): recorded by the secretary, the end date
computed from the agreement's own notice period, the party's obligations ending on that day and
the agreement ending for everyone when too few parties remain. Services flush, never commit."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agreements.domain import Status
from portal.agreements.models import Agreement
from portal.annexes.checking import main_agreement
from portal.audit.services import record
from portal.auth.models import User
from portal.documents.services import Context, store_minutes
from portal.errors import PortalError
from portal.lifecycle import domain
from portal.lifecycle.domain import TerminationKind
from portal.lifecycle.models import Termination
from portal.permissions import Action, require
from portal.timeutil import helsinki_today


def notice_months(session: Session, ctx: Context, agreement: Agreement) -> int:
    """The agreement's own notice period as its text states it (the same reading the
    compatibility checks use), else the seeds' 12 months."""
    months = main_agreement(session, ctx, agreement).notice_months
    return domain.DEFAULT_NOTICE_MONTHS if months is None else months


def record_termination(
    session: Session,
    ctx: Context,
    agreement: Agreement,
    organisation_id: int,
    actor: User,
    *,
    received_on: date,
    kind: TerminationKind = TerminationKind.notice,
    decision: str = "",
    notice: bytes | None = None,
) -> Termination:
    """A party's written notice (it ends `notice_months` calendar months after it was received)
    or its dissolution by the steering group's decision (it ends that day, the costs of the
    budget period still payable). Only for an agreement in force, once per party."""
    require(actor, Action.record_termination, agreement)
    if agreement.status is not Status.in_force:
        raise PortalError("agreement_not_in_force", 409)
    if organisation_id not in {p.organisation_id for p in agreement.parties}:
        raise PortalError("not_a_party", 422)
    if received_on > helsinki_today():
        raise PortalError("received_in_future", 422)
    if session.scalar(
        select(Termination.id).where(
            Termination.agreement_id == agreement.id, Termination.organisation_id == organisation_id
        )
    ):
        raise PortalError("terminated_already", 409)
    termination = Termination(
        agreement_id=agreement.id,
        organisation_id=organisation_id,
        kind=kind,
        received_on=received_on,
        decision=decision.strip(),
        recorded_by_id=actor.id,
    )
    if kind is TerminationKind.dissolution:
        ended = domain.dissolution(received_on)
        termination.ends_on, termination.costs_payable_until = ended.ends_on, ended.costs_payable_until
    else:
        termination.notice_months = notice_months(session, ctx, agreement)
        termination.ends_on = domain.termination_ends_on(received_on, termination.notice_months)
    if notice is not None:
        termination.notice_sha256 = store_minutes(session, ctx, notice)
    session.add(termination)
    session.flush()
    record(
        session,
        "termination",
        actor_id=actor.id,
        agreement_id=agreement.id,
        organisation_id=organisation_id,
        how=str(kind),
        received_on=received_on.isoformat(),
        ends_on=termination.ends_on.isoformat(),
        notice_months=termination.notice_months,
        decision=termination.decision,
        notice_sha256=termination.notice_sha256,
    )
    return termination


def terminations_of(session: Session, agreement_id: int) -> list[Termination]:
    return list(
        session.scalars(
            select(Termination)
            .where(Termination.agreement_id == agreement_id)
            .order_by(Termination.ends_on, Termination.id)
        )
    )


@dataclass(frozen=True)
class Lifecycle:
    """Where the agreement stands after entry into force, on `today`."""

    today: date
    terminations: list[Termination]
    #: the day the agreement ends for everyone, if the terminations bring the parties below two
    ends_on: date | None

    @property
    def ended(self) -> bool:
        return domain.party_ended(self.today, self.ends_on)

    def party_ends_on(self, organisation_id: int) -> date | None:
        own = next((t.ends_on for t in self.terminations if t.organisation_id == organisation_id), None)
        return min((d for d in (own, self.ends_on) if d is not None), default=None)

    def party_ended(self, organisation_id: int) -> bool:
        return domain.party_ended(self.today, self.party_ends_on(organisation_id))


def lifecycle(session: Session, agreement: Agreement, today: date | None = None) -> Lifecycle:
    # recorded only for an agreement in force (record_termination), which it stays
    terminations = terminations_of(session, agreement.id) if agreement.status is Status.in_force else []
    ends_on = (  # the parties are counted only when one has terminated
        domain.agreement_ends_on(len(agreement.parties), [t.ends_on for t in terminations])
        if terminations
        else None
    )
    return Lifecycle(today or helsinki_today(), terminations, ends_on)
