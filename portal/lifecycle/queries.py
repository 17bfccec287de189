"""Whether the agreement has ended, for one party or for everyone: read by any feature that
changes an agreement (it imports only the lifecycle's models and rules, so that the annexes, the
documents and the views can ask without an import cycle)."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.lifecycle import domain
from portal.lifecycle.models import Termination
from portal.permissions import require_not_ended
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


def ended(session: Session, agreement, today: date | None = None) -> domain.Ended:
    """Who is no longer bound in the agreement on `today`."""
    ends = party_end_dates(session, agreement.id)
    if not ends:
        return domain.Ended()
    return domain.ended_on(today or helsinki_today(), len(agreement.parties), ends)


def refuse_if_ended(
    session: Session, agreement, actor, party: int | None = None, today: date | None = None
) -> None:
    """Ended agreements and ended parties are read-only (409 party_ended): the agreement for
    everyone once it ended for all; for a person, decided on the party they act for in this
    agreement (`party`, else their memberships in it: portal.permissions decides)."""
    require_not_ended(actor, agreement.id, ended(session, agreement, today), party)
