"""The organisations register: create, update, search and the all-or-nothing CSV import.

Services take a Session, may flush and never commit: the view, API call or command commits."""

from dataclasses import dataclass, fields

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session

from portal.audit.services import record
from portal.auth.models import User
from portal.errors import PortalError
from portal.organisations.domain import (
    CsvEncodingError,
    OrganisationRow,
    RowError,
    parse_csv,
    row_problem,
)
from portal.organisations.models import Organisation
from portal.permissions import Action, require

PAGE_SIZE = 25
#: the attributes an OrganisationRow sets on an Organisation
_COLUMNS = tuple(f.name for f in fields(OrganisationRow))


class CsvRefused(PortalError):
    """A CSV file with faulty lines: nothing of it was stored. `errors` names every line."""

    def __init__(self, errors: list[RowError]):
        super().__init__("csv_invalid", 422, count=len(errors), line=errors[0].line)
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _check(values: OrganisationRow) -> None:
    problem = row_problem({k: v or "" for k, v in vars(values).items()})
    if problem is not None:
        code, value = problem
        if code == "invalid_business_id":
            raise PortalError(code, 422, business_id=value)
        if code == "invalid_kind":
            raise PortalError(code, 422, kind=value)
        raise PortalError("invalid_field", 422, field=value or "name")


def by_business_id(session: Session, business_id: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.business_id == business_id))


def _changes(organisation: Organisation, values: OrganisationRow) -> dict[str, object]:
    return {c: getattr(values, c) for c in _COLUMNS if getattr(organisation, c) != getattr(values, c)}


def create_organisation(session: Session, actor: User, values: OrganisationRow) -> Organisation:
    require(actor, Action.administer)
    _check(values)
    if by_business_id(session, values.business_id) is not None:
        raise PortalError("business_id_taken", 409, business_id=values.business_id)
    organisation = Organisation(**{c: getattr(values, c) for c in _COLUMNS})
    session.add(organisation)
    session.flush()
    record(session, "organisation_created", actor_id=actor.id, business_id=values.business_id)
    return organisation


def update_organisation(
    session: Session, actor: User, organisation: Organisation, values: OrganisationRow
) -> Organisation:
    """Change what differs; the business ID itself may change only to one not registered."""
    require(actor, Action.administer)
    _check(values)
    if (
        values.business_id != organisation.business_id
        and by_business_id(session, values.business_id) is not None
    ):
        raise PortalError("business_id_taken", 409, business_id=values.business_id)
    changes = _changes(organisation, values)
    for column, value in changes.items():
        setattr(organisation, column, value)
    if changes:
        session.flush()
        record(
            session,
            "organisation_updated",
            actor_id=actor.id,
            business_id=organisation.business_id,
            fields=sorted(changes),
        )
    return organisation


def search(
    session: Session, query: str = "", page: int = 1, page_size: int = PAGE_SIZE
) -> tuple[list[Organisation], int]:
    """The organisations whose name, Swedish name or business ID contains `query` (any case),
    by name, one page of them, and how many there are in all."""
    condition: ColumnElement[bool] = true()
    if query.strip():
        like = f"%{query.strip().lower()}%"
        condition = or_(
            func.lower(Organisation.name).like(like),
            func.lower(func.coalesce(Organisation.name_sv, "")).like(like),
            Organisation.business_id.like(like),
        )
    total = session.scalar(select(func.count(Organisation.id)).where(condition)) or 0
    found = session.scalars(
        select(Organisation)
        .where(condition)
        .order_by(Organisation.name, Organisation.id)
        .offset((max(page, 1) - 1) * page_size)
        .limit(page_size)
    )
    return list(found), total


def import_csv(session: Session, actor: User, data: bytes) -> ImportResult:
    """All or nothing: every line is checked first, and a single faulty line refuses the file.
    A business ID not yet registered is created; a registered one whose name, kind or address
    differ is updated to the file's; one that is the same is left alone (so importing the same
    file twice changes nothing)."""
    require(actor, Action.administer)
    try:
        parsed = parse_csv(data)
    except CsvEncodingError:
        raise PortalError("csv_encoding", 422) from None
    if parsed.errors:
        raise CsvRefused(parsed.errors)
    if not parsed.rows:
        raise PortalError("csv_empty", 422)
    registered = {
        o.business_id: o
        for o in session.scalars(
            select(Organisation).where(Organisation.business_id.in_([r.business_id for _, r in parsed.rows]))
        )
    }
    created = updated = 0
    for _line, values in parsed.rows:
        existing = registered.get(values.business_id)
        if existing is None:
            session.add(Organisation(**{c: getattr(values, c) for c in _COLUMNS}))
            created += 1
        elif changes := _changes(existing, values):
            for column, value in changes.items():
                setattr(existing, column, value)
            updated += 1
    session.flush()
    result = ImportResult(created, updated, len(parsed.rows) - created - updated)
    record(
        session,
        "organisations_imported",
        actor_id=actor.id,
        created=created,
        updated=updated,
        unchanged=result.unchanged,
    )
    return result
