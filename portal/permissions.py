"""Who may do what, declared once per action. The web views and the services (which the API
calls) ask the same question: `allowed(user, action, obj)` for a page that shows or hides a
button, `require(user, action, obj)` before acting, which refuses with a 403 PortalError.

Whether a user sees an agreement at all is the 404 of `require_visible`: a refusal there does
not reveal that the agreement exists. The rules themselves are pure functions in the features'
domain modules; this module only says which rule guards which action."""

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from portal.annexes import domain as annex_rules
from portal.auth.domain import may_administer, may_see_agreement
from portal.contacts.domain import may_edit_own
from portal.errors import PortalError


class Action(StrEnum):
    #: the secretary's work: create and open agreements, record approvals, the admin pages
    administer = "administer"
    #: upload an annex, annex agreement or amendment beside an agreement
    upload_document = "upload_document"
    #: acknowledge a document's warnings (obj: the document)
    handle_document = "handle_document"
    #: store a document's next version (obj: the document)
    add_version = "add_version"
    #: change one's own, still active, contact details (obj: the contact entry)
    edit_own_contact = "edit_own_contact"
    #: replace a party's active contact person with a new one (obj: the contact entry)
    replace_contact = "replace_contact"
    # -- the agreement's life after entry into force (issue 12): the secretary's for now --------
    #: record, correct a party's decision (obj: the document)
    record_decision = "record_decision"
    #: record a party's notice of termination or its dissolution (obj: the agreement)
    record_termination = "record_termination"
    #: the steering group's members and meetings (obj: the agreement)
    manage_meetings = "manage_meetings"
    #: the cost-sharing tables (obj: the agreement)
    manage_costs = "manage_costs"
    #: an organisation's request to join, and the steering group's decision (obj: the agreement)
    record_accession = "record_accession"


def bound_organisations(document) -> set[int]:
    """The parties a document concerns: its signers and the party whose user uploaded it."""
    bound = {p.organisation_id for p in document.parties}
    if document.versions:
        bound.add(document.versions[0].uploaded_by.organisation_id)
    return bound


def _handle(user, document) -> bool:
    return annex_rules.may_handle(user.role, user.organisation_id, document.kind,
                                  bound_organisations(document))


def _add_version(user, document) -> bool:
    return annex_rules.may_add_version(user.role, user.organisation_id, document.kind,
                                       bound_organisations(document), first=not document.versions)


POLICIES: dict[Action, Callable[[Any, Any], bool]] = {
    Action.administer: lambda user, _obj: may_administer(user.role),
    Action.upload_document: lambda user, _obj: annex_rules.may_upload(user.role),
    Action.handle_document: _handle,
    Action.add_version: _add_version,
    Action.edit_own_contact: lambda user, contact: may_edit_own(user.id, contact.user_id)
    and contact.active,
    Action.replace_contact: lambda user, contact: may_administer(user.role) and contact.active,
    # -- issue 12 --
    Action.record_decision: lambda user, _obj: may_administer(user.role),
    Action.record_termination: lambda user, _obj: may_administer(user.role),
    Action.manage_meetings: lambda user, _obj: may_administer(user.role),
    Action.manage_costs: lambda user, _obj: may_administer(user.role),
    Action.record_accession: lambda user, _obj: may_administer(user.role),
}


def allowed(user, action: Action, obj=None) -> bool:
    return bool(POLICIES[action](user, obj))


def require(user, action: Action, obj=None) -> None:
    """Refuse (403) unless the user may do this."""
    if not allowed(user, action, obj):
        raise PortalError("forbidden", 403)


def require_visible(user, agreement) -> None:
    """Refuse (404, as if it did not exist) unless the user's party is one of the agreement's
    parties or the user is the secretary."""
    if agreement is None or not may_see_agreement(
            user.role, user.organisation_id, {p.organisation_id for p in agreement.parties}):
        raise PortalError("not_found", 404)
