"""Signing authorities: recorded by the administrator, shown on the party's row, their title
put in the signature stamp."""

from datetime import date

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session, joinedload, lazyload

from portal.agreements.models import Agreement
from portal.audit.services import record
from portal.auth.models import User
from portal.errors import PortalError
from portal.permissions import Action, require
from portal.signatories.domain import Mandate, mandate_problem, valid_on
from portal.signatories.models import SigningAuthority


def record_authority(
    session: Session,
    actor: User,
    agreement: Agreement,
    person: User,
    organisation_id: int,
    mandate: Mandate,
    today: date,
    this_agreement_only: bool = False,
) -> SigningAuthority:
    """Record that `person` may sign for the party `organisation_id` (of `agreement`): for every
    agreement of the party, or for this one only. Several persons may hold it for one party."""
    require(actor, Action.administer)
    if organisation_id not in {p.organisation_id for p in agreement.parties}:
        raise PortalError("not_a_party", 422)
    if person.organisation_id != organisation_id or not person.active:
        raise PortalError("authority_not_of_party", 422)
    problem = mandate_problem(mandate, today)
    if problem is not None:
        raise PortalError(problem, 422)
    authority = SigningAuthority(
        user_id=person.id,
        organisation_id=organisation_id,
        agreement_id=agreement.id if this_agreement_only else None,
        title=mandate.title.strip(),
        basis=mandate.basis,
        section=mandate.section.strip(),
        decision_body=mandate.body.strip(),
        decided_on=mandate.decided_on,
        valid_from=mandate.valid_from,
        valid_to=mandate.valid_to,
        created_by_id=actor.id,
    )
    session.add(authority)
    session.flush()
    record(
        session,
        "signing_authority_recorded",
        actor_id=actor.id,
        agreement_id=agreement.id,
        user_id=person.id,
        organisation_id=organisation_id,
        title=authority.title,
    )
    return authority


#: authorities_of's query, built once a process (a statement built anew with its loader options
#: costs more to prepare than it takes to run). The person's name is shown; the organisations are
#: the parties', in the session already.
_AUTHORITIES_OF = (
    select(SigningAuthority)
    .where(
        SigningAuthority.organisation_id.in_(bindparam("organisation_ids", expanding=True)),
        or_(
            SigningAuthority.agreement_id.is_(None),
            SigningAuthority.agreement_id == bindparam("agreement_id"),
        ),
    )
    .order_by(SigningAuthority.id)
    .options(
        joinedload(SigningAuthority.user).lazyload(User.organisation), lazyload(SigningAuthority.organisation)
    )
)


def authorities_of(
    session: Session, agreement_id: int, organisation_ids: list[int], day: date
) -> dict[int, list[SigningAuthority]]:
    """The authorities valid on `day` for each party, this agreement's own and the general
    ones, in the order recorded."""
    if not organisation_ids:
        return {}
    rows = session.scalars(
        _AUTHORITIES_OF, {"organisation_ids": list(organisation_ids), "agreement_id": agreement_id}
    )
    found: dict[int, list[SigningAuthority]] = {o: [] for o in organisation_ids}
    for row in rows:
        if valid_on(row.valid_from, row.valid_to, day):
            found[row.organisation_id].append(row)
    return found


def title_for(session: Session, user: User, organisation_id: int, agreement_id: int, day: date) -> str | None:
    """The title the stamp gives the signer: their authority for this agreement, else their
    general one, valid on `day`; None when none is recorded."""
    mine = [
        a
        for a in authorities_of(session, agreement_id, [organisation_id], day)[organisation_id]
        if a.user_id == user.id
    ]
    mine.sort(key=lambda a: a.agreement_id is None)
    return mine[0].title if mine else None
