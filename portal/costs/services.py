"""Cost-sharing tables (R9; seed 000 §10): each party's population with its source, the sum to
share, and each party's share to the cent (costs.domain.cost_shares). Services flush only."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agreements.models import Agreement
from portal.audit.services import record
from portal.auth.models import User
from portal.costs import domain
from portal.costs.models import CostShare, CostTable
from portal.errors import PortalError
from portal.lifecycle.domain import party_ended
from portal.lifecycle.queries import party_end_dates
from portal.organisations.domain import OrganisationKind
from portal.permissions import Action, require


@dataclass(frozen=True)
class Population:
    business_id: str
    population: int
    source: str = ""
    reference_date: date | None = None


def record_costs(
    session: Session,
    agreement: Agreement,
    actor: User,
    *,
    year: int,
    total: Decimal,
    populations: list[Population],
    rule: domain.CostRule = domain.CostRule.by_population,
) -> CostTable:
    """Share `total` of `year` by population between the parties named, every party of the
    agreement once; a joint municipal authority counts as a third."""
    require(actor, Action.manage_costs, agreement)
    if session.scalar(
        select(CostTable.id).where(CostTable.agreement_id == agreement.id, CostTable.year == year)
    ):
        raise PortalError("costs_exist", 409)
    ended = party_end_dates(session, agreement.id)  # not bound during the year: no share
    parties = {
        p.organisation.business_id: p
        for p in agreement.parties
        if not party_ended(date(year, 1, 1), ended.get(p.organisation_id))
    }
    for row in populations:
        if row.business_id not in parties:
            raise PortalError("not_a_party", 422)
    if sorted(r.business_id for r in populations) != sorted(parties):
        raise PortalError("population_missing", 422)
    if total != total.quantize(domain.CENT) or total < 0:
        raise PortalError("costs_total_cents", 422)
    payers = [domain.Payer(r.business_id, r.population, _joint(parties[r.business_id])) for r in populations]
    if rule is domain.CostRule.by_population and not sum(r.population for r in populations):
        raise PortalError("costs_no_population", 422)
    try:
        shares = domain.cost_shares(total, payers, rule)
    except ValueError as refused:
        raise PortalError("costs_total_cents", 422) from refused
    table = CostTable(agreement_id=agreement.id, year=year, total=total, rule=rule, recorded_by_id=actor.id)
    table.rows = [
        CostShare(
            organisation_id=parties[r.business_id].organisation_id,
            position=parties[r.business_id].position,
            population=r.population,
            source=r.source,
            reference_date=r.reference_date,
            joint_authority=_joint(parties[r.business_id]),
            share=shares[r.business_id],
        )
        for r in populations
    ]
    table.rows.sort(key=lambda row: row.position)
    session.add(table)
    session.flush()
    record(
        session,
        "costs",
        actor_id=actor.id,
        agreement_id=agreement.id,
        year=year,
        total=str(total),
        rule=str(rule),
        shares={r.business_id: str(shares[r.business_id]) for r in populations},
    )
    return table


def _joint(party) -> bool:
    return party.organisation.kind is OrganisationKind.joint_authority


def cost_tables(session: Session, agreement_id: int) -> list[CostTable]:
    return list(
        session.scalars(
            select(CostTable).where(CostTable.agreement_id == agreement_id).order_by(CostTable.year.desc())
        )
    )


def cost_table(session: Session, agreement_id: int, year: int) -> CostTable:
    table = session.scalar(
        select(CostTable).where(CostTable.agreement_id == agreement_id, CostTable.year == year)
    )
    if table is None:
        raise PortalError("not_found", 404)
    return table
