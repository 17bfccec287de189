"""Whether the agreement has ended, for one party or for everyone: read by any feature that
changes an agreement (it imports only the lifecycle's models and rules, so that the annexes, the
documents and the views can ask without an import cycle)."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.errors import PortalError
from portal.lifecycle import domain
from portal.lifecycle.models import Termination
from portal.timeutil import helsinki_today


def party_end_dates(session: Session, agreement_id: int) -> dict[int, date]:
    """The day the agreement ends for each party that terminated or was dissolved."""
    return {
        organisation: ends_on
        for organisation, ends_on in session.execute(
            select(Termination.organisation_id, Termination.ends_on).where(
                Termination.agreement_id == agreement_id
            )
        )
    }


def refuse_if_ended(
    session: Session, agreement, organisation_id: int | None, today: date | None = None
) -> None:
    """Ended agreements and ended parties are read-only (409 party_ended): the agreement for
    everyone once it ended for all, and for the party whose own end date has come."""
    ends = party_end_dates(session, agreement.id)
    if not ends:
        return
    today = today or helsinki_today()
    everyone = domain.agreement_ends_on(len(agreement.parties), list(ends.values()))
    own = ends.get(organisation_id) if organisation_id is not None else None
    if domain.party_ended(today, everyone) or domain.party_ended(today, own):
        raise PortalError("party_ended", 409)
