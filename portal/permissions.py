"""Who may do what, declared once per action. The web views and the services (which the API
calls) ask the same question: `allowed(user, action, obj)` for a page that shows or hides a
button, `require(user, action, obj)` before acting, which refuses with a 403 PortalError.

Roles belong to a person in an agreement and a party (portal.memberships): each policy reads
the user's Standing in the agreement of `obj` (an agreement, or anything with an
`agreement_id`: a document, a contact entry). A user's memberships are read as a request asks
about an agreement, and the roles they hold anywhere once (portal.memberships.held), so the cost
does not grow with the number of their agreements. The portal's own administrators, who run the
installation, are `is_portal_admin`.

Whether a user sees an agreement at all is the 404 of `require_visible`: a refusal there does
not reveal that the agreement exists. The rules themselves are pure functions in the features'
domain modules; this module only says which rule guards which action."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from portal.annexes import domain as annex_rules
from portal.auth.domain import Role
from portal.contacts.domain import may_edit_own
from portal.errors import PortalError
from portal.lifecycle.domain import Ended
from portal.memberships import domain as member_rules
from portal.memberships import held
from portal.memberships.domain import Standing


class Action(StrEnum):
    #: the secretary's work. Without an object: the portal's (create agreements, the admin
    #: pages); with an agreement or a document: that agreement's (open it, record approvals,
    #: invite people to it)
    administer = "administer"
    #: upload an annex, annex agreement or amendment beside an agreement (obj: the agreement)
    upload_document = "upload_document"
    #: acknowledge a document's warnings (obj: the document)
    handle_document = "handle_document"
    #: store a document's next version (obj: the document)
    add_version = "add_version"
    #: change one's own, still active, contact details (obj: the contact entry)
    edit_own_contact = "edit_own_contact"
    #: replace a party's active contact person with a new one (obj: the contact entry)
    replace_contact = "replace_contact"
    #: create a personal access token with the `sign` scope: a representative somewhere
    create_sign_token = "create_sign_token"  # noqa: S105 (an action's name, not a secret)
    #: an administrator's API operation, refused early (before the body is read) to a token of
    #: someone who administers nothing; the service then checks the agreement itself
    administer_something = "administer_something"
    # -- the agreement's life after entry into force (issue 12): the secretary's for now --------
    #: record, correct a party's decision (obj: the document)
    record_decision = "record_decision"
    #: record a party's notice of termination or its dissolution (obj: the agreement)
    record_termination = "record_termination"
    #: the steering group's members and meetings (obj: the agreement)
    manage_meetings = "manage_meetings"
    #: the cost-sharing tables (obj: the agreement)
    manage_costs = "manage_costs"
    #: download a document's sealed audit report (obj: the document): its parties' people
    #: and the secretary
    read_audit_report = "read_audit_report"
    #: an organisation's request to join, and the steering group's decision (obj: the agreement)
    record_accession = "record_accession"
    #: ask for an organisation to join (obj: a JoinRequest): its representative, or the secretary
    request_accession = "request_accession"
    #: adopt an annex version uploaded after entry into force (obj: the AnnexAdoption)
    adopt_annex = "adopt_annex"


def _person(user: Any) -> Any:
    """The person behind Flask-Login's `current_user`: every attribute read through that proxy
    looks the request up again, and a page asks the rules many times about many agreements."""
    unwrap = getattr(user, "_get_current_object", None)
    return unwrap() if unwrap is not None else user


def is_portal_admin(user: Any) -> bool:
    """The one answer to "does this person run the installation?" (organisations, agreements,
    invitations to any agreement, /admin pages)."""
    user = _person(user)
    return bool(user.role is Role.administrator and user.active)


def agreement_id_of(obj: Any) -> int:
    """The agreement an object belongs to: an Agreement is its own."""
    found = getattr(obj, "agreement_id", None)
    return int(found if found is not None else obj.id)


def standing(user: Any, agreement_id: int) -> Standing:
    """What the user is in that agreement, from their memberships there."""
    user = _person(user)
    return member_rules.standing(
        is_portal_admin(user),
        [(m.organisation_id, m.role) for m in held.memberships_in(user, agreement_id)],
    )


def represented_parties(user: Any, agreement_id: int) -> set[int]:
    """The parties the user signs for in that agreement (their representative memberships)."""
    return standing(user, agreement_id).parties(Role.representative)


def roles_held(user: Any) -> set[Role]:
    """Every role the user holds anywhere (the portal's administrator counts as administrator):
    what PORTAL_MFA=required asks a second factor of."""
    roles = set(held.roles(user))
    return roles | {Role.administrator} if is_portal_admin(user) else roles


def administers_any(user: Any) -> bool:
    """Whether the user administers the portal or at least one agreement (the API refuses other
    tokens early on an administrator's operation; the service checks the agreement itself)."""
    return is_portal_admin(user) or Role.administrator in held.roles(user)


def bound_organisations(document: Any) -> set[int]:
    """The parties a document concerns: its signers and the parties whose lawyer uploaded it
    (the uploader's lawyer memberships in the agreement)."""
    bound = {p.organisation_id for p in document.parties}
    if document.versions:
        uploader = document.versions[0].uploaded_by
        bound |= standing(uploader, document.agreement_id).parties(Role.lawyer)
    return bound


def _administer(user: Any, obj: Any) -> bool:
    if obj is None:
        return is_portal_admin(user)
    return member_rules.may_administer(standing(user, agreement_id_of(obj)))


def _upload(user: Any, agreement: Any) -> bool:
    return annex_rules.may_upload(standing(user, agreement_id_of(agreement)))


def _handle(user: Any, document: Any) -> bool:
    return annex_rules.may_handle(
        standing(user, document.agreement_id), document.kind, bound_organisations(document)
    )


def _add_version(user: Any, document: Any) -> bool:
    return annex_rules.may_add_version(
        standing(user, document.agreement_id),
        document.kind,
        bound_organisations(document),
        first=not document.versions,
    )


POLICIES: dict[Action, Callable[[Any, Any], bool]] = {
    Action.administer: _administer,
    Action.upload_document: _upload,
    Action.handle_document: _handle,
    Action.add_version: _add_version,
    Action.edit_own_contact: lambda user, contact: may_edit_own(user.id, contact.user_id) and contact.active,
    Action.replace_contact: lambda user, contact: _administer(user, contact) and contact.active,
    Action.create_sign_token: lambda user, _obj: Role.representative in held.roles(user),
    Action.administer_something: lambda user, _obj: administers_any(user),
    # -- issue 12: the agreement's administrators (and the portal's) --
    Action.record_decision: _administer,
    Action.record_termination: _administer,
    Action.manage_meetings: _administer,
    Action.manage_costs: _administer,
    Action.read_audit_report: lambda user, document: (
        _administer(user, document)
        or bool(document.parties_among(standing(user, document.agreement_id).parties()))
    ),
    Action.record_accession: _administer,
    Action.request_accession: lambda user, asked: (
        _administer(user, asked)
        or member_rules.may_ask_to_join(
            Role(user.role), user.organisation_id, asked.organisation_id, asked.parties
        )
    ),
    Action.adopt_annex: lambda user, adoption: annex_rules.may_adopt(
        standing(user, adoption.agreement_id), adoption.procedure, adoption.organisation_id
    ),
}


def allowed(user: Any, action: Action, obj: Any = None) -> bool:
    return bool(POLICIES[action](_person(user), obj))


def require(user: Any, action: Action, obj: Any = None) -> None:
    """Refuse (403) unless the user may do this."""
    if not allowed(user, action, obj):
        raise PortalError("forbidden", 403)


@dataclass(frozen=True)
class JoinRequest:
    """An organisation asking to join an agreement (the object of Action.request_accession)."""

    agreement_id: int
    organisation_id: int
    parties: set[int]


def may_act_after_end(user: Any, agreement_id: int, ended: Ended, party: int | None = None) -> bool:
    """Ended agreements and ended parties are read-only (issue 12). Decided on the party the user
    acts for in that agreement (their memberships there), never on their home organisation: with
    `party` (the party they sign or act for) on that party; otherwise they may act while at
    least one party they hold a role for is still bound. The agreement ended for everyone is
    read-only for everyone, the portal's administrators included."""
    if ended.everyone:
        return False
    if party is not None:
        return not ended.party(party)
    if is_portal_admin(user):
        return True
    return bool(standing(user, agreement_id).parties() - ended.parties)


def require_not_ended(user: Any, agreement_id: int, ended: Ended, party: int | None = None) -> None:
    """Refuse (409 party_ended) what an ended party or an ended agreement may no longer do."""
    if not may_act_after_end(user, agreement_id, ended, party):
        raise PortalError("party_ended", 409)


class _Identified(Protocol):
    @property
    def id(self) -> int: ...


A = TypeVar("A", bound=_Identified)


def require_visible(user: Any, agreement: A | None) -> A:
    """The agreement, unless it is None or the user holds no active role in it and does not
    run the portal: then refuse (404, as if it did not exist)."""
    if agreement is None or not member_rules.may_see(standing(user, agreement.id)):
        raise PortalError("not_found", 404)
    return agreement
