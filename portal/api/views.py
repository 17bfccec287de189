"""The JSON API under /api/v1 for municipal case-management systems.

Each operation is described once: its route, scope, input and output schemas (api/schemas.py)
and refusals make both the behaviour and the OpenAPI document. Bearer tokens only (api/auth.py);
each change commits once, here; refusals are PortalErrors that errors_web turns into
{"error", "message"} in the language of Accept-Language."""

from flask import g, jsonify

from portal.agreements.models import Agreement as AgreementModel
from portal.agreements.services import (
    create_agreement,
    get_visible_agreement,
    party_states,
    visible_agreements,
)
from portal.annexes import services as annexes
from portal.api import schemas
from portal.api.auth import sign_passphrase
from portal.api.fields import Extended
from portal.api.openapi import ApiBlueprint, finding, spec
from portal.appctx import document_context, invitation_context, links
from portal.auth.domain import Scope
from portal.checks import FLAG_CODES
from portal.contacts import services as contacts
from portal.costs import services as costs
from portal.documents import services as documents
from portal.documents.external import sign_external
from portal.documents.models import ApprovalDecision, DocumentKind
from portal.documents.views import send_document, visible_document
from portal.errors import PortalError
from portal.extensions import db
from portal.invitations import services as invitations
from portal.jobs.inline import start_queued
from portal.lifecycle import accessions
from portal.lifecycle import services as lifecycle
from portal.lifecycle.domain import TerminationKind
from portal.lifecycle.models import Accession as AccessionModel
from portal.organisations import services as organisations
from portal.permissions import Action, require
from portal.steering import services as steering

bp = ApiBlueprint("api", __name__)
CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": list(FLAG_CODES)},
}
BUSINESS_ID = {
    "name": "business_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": r"^\d{7}-\d$"},
}
PDF = {
    "200": {
        "description": "PDF",
        "content": {"application/pdf": {"schema": {"type": "string", "contentMediaType": "application/pdf"}}},
    }
}


@bp.after_request
def bearer_challenge(response):
    if response.status_code == 401:  # RFC 6750: tell the client which scheme to use
        response.headers["WWW-Authenticate"] = 'Bearer realm="sopu"'
    return response


def _agreement(agreement) -> Extended:
    return Extended(agreement, parties=party_states(db.session(), agreement.main_document))


def _document(document) -> Extended:
    return Extended(
        document,
        flags=annexes.current_flags(db.session(), document.latest_version),
        parties=party_states(db.session(), document),
    )


def _visible_agreement(agreement_id: int, **_path):
    return get_visible_agreement(db.session(), g.api_user, agreement_id)


def _visible_document(document_id: int, **_path):
    return visible_document(g.api_user, document_id)


@bp.get("/openapi.json")
@bp.doc(summary="This document", security=[], responses={"200": {"description": "OpenAPI document"}})
def openapi():
    return jsonify(spec())


@bp.get("/agreements")
@bp.operation("Agreements visible to the token's user, a page at a time", Scope.read, "403")
@bp.arguments(schemas.PageQuery, location="query")
@bp.response(200, schemas.AgreementPage)
def agreements(page: dict):
    found = visible_agreements(db.session(), g.api_user, after=page["cursor"], limit=page["limit"] + 1)
    more = len(found) > page["limit"]
    items = found[: page["limit"]]
    return {"items": items, "next_cursor": items[-1].id if more else None}


@bp.get("/agreements/<int:agreement_id>")
@bp.operation("An agreement and where every party stands", Scope.read, "403 404")
@bp.response(200, schemas.Agreement)
def agreement(agreement_id: int):
    return _agreement(_visible_agreement(agreement_id))


@bp.post("/agreements")
@bp.operation("Create an agreement (administrator)", Scope.write, "400 403 413", administrator=True)
@bp.arguments(schemas.NewAgreement)
@bp.response(201, schemas.Agreement)
def agreement_create(arguments: dict):
    created = create_agreement(db.session(), g.api_user, **arguments)
    db.session.commit()
    return _agreement(created)


@bp.put("/agreements/<int:agreement_id>/document")
@bp.operation(
    "Upload the main agreement PDF as its next version (administrator, draft only)",
    Scope.write,
    "403 404 409 413",
    administrator=True,
)
@finding(_visible_agreement)
@bp.arguments(schemas.PdfUpload, location="multipart")
@bp.response(201, schemas.DocumentVersion)
def agreement_document(upload: dict, found, **_path):
    version = annexes.new_version(
        db.session(),
        document_context(),
        found.main_document,
        upload["file"].read(),
        upload["file"].filename or "",
        g.api_user,
    )
    db.session.commit()
    start_queued(db.session())
    return version


@bp.post("/agreements/<int:agreement_id>/open")
@bp.operation(
    "Prepare the latest PDF and open it for signature (administrator)",
    Scope.write,
    "403 404 409",
    administrator=True,
)
@bp.response(200, schemas.Agreement)
def agreement_open(agreement_id: int):
    found = _visible_agreement(agreement_id)
    documents.open_for_signature(
        db.session(),
        document_context(),
        found.main_document,
        g.api_user,
        title=found.title,
        language=found.language,
    )
    db.session.commit()
    return _agreement(found)


@bp.post("/agreements/<int:agreement_id>/approvals")
@bp.operation(
    "Record a party's approval decision (administrator); may bring it into force",
    Scope.write,
    "400 403 404 409 413",
    administrator=True,
)
@finding(_visible_agreement)
@bp.arguments(schemas.NewApproval)
@bp.response(201, schemas.Agreement)
def agreement_approval(approval: tuple, found, **_path):
    _record_approval(found.main_document, *approval)
    return _agreement(found)


def _record_approval(document, business_id: str, decision: dict) -> None:
    party = next((p for p in document.parties if p.organisation.business_id == business_id), None)
    if party is None:
        raise PortalError("not_a_party", 422)
    documents.record_approval(
        db.session(), document_context(), document.id, party.organisation_id, g.api_user, **decision
    )
    db.session.commit()


@bp.post("/agreements/<int:agreement_id>/invitations")
@bp.operation(
    "Invite a person by mail to a party of the agreement with a role (administrator of "
    "the portal or of the agreement); the same address, party and role again re-sends",
    Scope.write,
    "400 403 404 413",
    administrator=True,
)
@finding(_visible_agreement)
@bp.arguments(schemas.NewInvitation)
@bp.response(201, schemas.Invitation)
def agreement_invitation(invitation: dict, found, **_path):
    sent = invitations.invite(db.session(), invitation_context(), g.api_user, found, **invitation)
    db.session.commit()
    return Extended(sent.invitation, resent=sent.resent)


def _signable(document_id: int):
    document = visible_document(g.api_user, document_id)
    # early and cheap (plain ids); sign() checks again once the document is locked
    documents.check_may_sign(document, g.api_user, documents.party_and_signed_ids(db.session(), document.id))
    return document


@bp.post("/documents/<int:document_id>/signatures")
@bp.operation(
    "Sign for the token's party (representative; a token with the sign scope)",
    Scope.sign,
    "400 403 404 409 413",
)
@finding(_signable)
@bp.arguments(schemas.Place)
@bp.response(201, schemas.Signature)
def document_sign(place: dict, found, **_path):
    signature = documents.sign(
        db.session(), document_context(), found.id, g.api_user, sign_passphrase(found), place["place"]
    )
    answer = _signed(signature, found)
    db.session.commit()
    return answer


@bp.post("/documents/<int:document_id>/external-signatures")
@bp.operation(
    "Upload the current PDF signed in the token's party's field with one's own "
    "certificate and tool (representative; a token with the sign scope); the certificate "
    "must chain to a root in PORTAL_EXTERNAL_TRUST_ROOTS and carry the representative's "
    "e-mail address. 409 external_stale: another party signed since the download",
    Scope.sign,
    "400 403 404 409 413 422",
)
@finding(_signable)
@bp.arguments(schemas.ExternalSignature, location="multipart")
@bp.response(201, schemas.Signature)
def document_external_signature(upload: dict, found, **_path):
    signature = sign_external(db.session(), document_context(), found.id, g.api_user, upload["file"].read())
    answer = _signed(signature, found)
    db.session.commit()
    return answer


def _signed(signature, document) -> dict:
    """The answer to a signature (schemas.Signature), read before the commit: the session holds
    all of it then, and the commit would have every row read again."""
    return {
        "field_name": signature.field_name,
        "signed_at": signature.signed_at,
        "signer_name": signature.signer.display_name,
        "business_id": signature.organisation.business_id,
        "document_status": document.status,
        "entered_into_force_on": document.entered_into_force_on,
    }


def _uploadable(agreement_id: int):
    found = get_visible_agreement(db.session(), g.api_user, agreement_id)
    # early, before the form is parsed; upload() checks again
    require(g.api_user, Action.upload_document, found)
    return found


@bp.post("/agreements/<int:agreement_id>/documents")
@bp.operation(
    "Upload an annex, annex agreement or amendment (lawyer or administrator); it is "
    "checked against the main agreement",
    Scope.write,
    "403 404 409 413",
)
@finding(_uploadable)
@bp.arguments(schemas.NewDocument, location="multipart")
@bp.response(201, schemas.UploadResult)
def document_upload(upload: dict, found, **_path):
    version = annexes.upload(db.session(), document_context(), found, g.api_user, **upload)
    db.session.commit()
    start_queued(db.session())
    return _upload_result(version.document_id)


def _upload_result(document_id: int) -> Extended:
    """The flags if the check already ran, else that it is running."""
    db.session.expire_all()  # an in-process job committed in another session
    version = visible_document(g.api_user, document_id).latest_version
    assert version is not None, "an uploaded document has its first version"
    if version.check_status is not None and str(version.check_status) == "done":
        return Extended(version, flags=annexes.current_flags(db.session(), version))
    return Extended(version, status="checking")


@bp.post("/documents/<int:document_id>/versions")
@bp.operation(
    "Upload the next version of a document (draft only); it is checked again", Scope.write, "403 404 409 413"
)
@finding(_visible_document)
@bp.arguments(schemas.NewVersion, location="multipart")
@bp.response(201, schemas.UploadResult)
def document_new_version(upload: dict, found, **_path):
    annexes.new_version(
        db.session(),
        document_context(),
        found,
        upload["file"].read(),
        upload["file"].filename or "",
        g.api_user,
        business_ids=upload["parties"] or None,
    )
    db.session.commit()
    start_queued(db.session())
    return _upload_result(found.id)


@bp.get("/documents/<int:document_id>")
@bp.operation(
    "A document: its versions, state, parties and the flags of its latest version", Scope.read, "403 404"
)
@bp.response(200, schemas.Document)
def document(document_id: int):
    return _document(_visible_document(document_id))


@bp.post("/documents/<int:document_id>/flags/<code>/acknowledge", parameters=[CODE])
@bp.operation(
    "Acknowledge the warnings of one check with a written justification (lawyer or "
    "administrator); a blocker cannot be acknowledged",
    Scope.write,
    "400 403 404 409 413",
)
@finding(_visible_document)
@bp.arguments(schemas.Acknowledgement)
@bp.response(200, schemas.Document)
def flag_acknowledge(acknowledgement: dict, found, code: str, **_path):
    annexes.acknowledge(
        db.session(),
        found,
        annexes.flags_with_code(db.session(), found, code),
        g.api_user,
        acknowledgement["justification"],
    )
    db.session.commit()
    return _document(found)


@bp.post("/documents/<int:document_id>/open")
@bp.operation(
    "Open a document for its parties' signatures (administrator); an annex agreement "
    "or amendment only with no blocker and every warning acknowledged",
    Scope.write,
    "403 404 409",
    administrator=True,
)
@bp.response(200, schemas.Document)
def document_open(document_id: int):
    found = _visible_document(document_id)
    if found.kind is DocumentKind.main:
        documents.open_for_signature(
            db.session(),
            document_context(),
            found,
            g.api_user,
            title=found.title,
            language=db.session.get_one(AgreementModel, found.agreement_id).language,
        )
    else:
        annexes.open_document(db.session(), document_context(), found, g.api_user)
    db.session.commit()
    return _document(found)


@bp.post("/documents/<int:document_id>/approvals")
@bp.operation(
    "Record a party's approval decision of a document (administrator)",
    Scope.write,
    "400 403 404 409 413",
    administrator=True,
)
@finding(_visible_document)
@bp.arguments(schemas.NewApproval)
@bp.response(201, schemas.Document)
def document_approval(approval: tuple, found, **_path):
    _record_approval(found, *approval)
    return _document(found)


@bp.get("/documents/<int:document_id>/pdf")
@bp.operation("The current PDF, as an attachment", Scope.read, "403 404")
@bp.doc(responses=PDF)
def document_pdf(document_id: int):
    return send_document(document_id, g.api_user)


def _own_contacts(**_path) -> list:
    """The token user's active contact entries (404 when they are nobody's contact person)."""
    found = contacts.own_contacts(db.session(), g.api_user.id)
    if not found:
        raise PortalError("not_found", 404)
    return found


@bp.get("/me/contact")
@bp.operation("The token user's own contact-person entries, one per agreement", Scope.read, "403 404")
@bp.response(200, schemas.Contact(many=True))
def my_contact():
    return _own_contacts()


@bp.put("/me/contact")
@bp.operation(
    "Change one's own contact details in every agreement; the other parties' contact "
    "persons are told in writing",
    Scope.write,
    "400 403 404 413",
)
@finding(_own_contacts)
@bp.arguments(schemas.ContactDetails)
@bp.response(200, schemas.Contact(many=True))
def my_contact_update(details: dict, found: list):
    contacts.update_own_details(db.session(), links(), g.api_user, found[0].id, **details)
    db.session.commit()
    return _own_contacts()


@bp.get("/agreements/<int:agreement_id>/contacts")
@bp.operation("The active contact persons of each party, a page of parties at a time", Scope.read, "403 404")
@bp.arguments(schemas.PageQuery, location="query")
@bp.response(200, schemas.PartyContactsPage)
def agreement_contacts(page: dict, agreement_id: int):
    found = _visible_agreement(agreement_id)
    after = page["cursor"] or 0
    parties = [p for p in found.parties if p.position > after][: page["limit"] + 1]
    shown = parties[: page["limit"]]
    people: dict[int, list] = {}
    for contact in contacts.contacts_of(db.session(), found.id):
        people.setdefault(contact.organisation_id, []).append(contact)
    return {
        "items": [Extended(p, contacts=people.get(p.organisation_id, [])) for p in shown],
        "next_cursor": shown[-1].position if len(parties) > len(shown) else None,
    }


def _registered(business_id: str, **_path):
    found = organisations.by_business_id(db.session(), business_id)
    if found is None:
        raise PortalError("not_found", 404)
    return found


@bp.get("/organisations")
@bp.operation(
    "The organisations register, by name, 100 a page (administrator)", Scope.read, "403", administrator=True
)
@bp.arguments(schemas.OrganisationQuery, location="query")
@bp.response(200, schemas.OrganisationDetail(many=True))
def organisation_list(query: dict):
    return organisations.search(db.session(), query["q"], query["page"], page_size=100)[0]


@bp.post("/organisations")
@bp.operation(
    "Register an organisation (administrator); a business ID already registered is a 409",
    Scope.write,
    "400 403 409 413",
    administrator=True,
)
@bp.arguments(schemas.NewOrganisation)
@bp.response(201, schemas.OrganisationDetail)
def organisation_create(row):
    created = organisations.create_organisation(db.session, g.api_user, row)
    db.session.commit()
    return created


@bp.patch("/organisations/<business_id>", parameters=[BUSINESS_ID])
@bp.operation(
    "Change an organisation of the register (administrator): the fields given",
    Scope.write,
    "400 403 404 409 413",
    administrator=True,
)
@finding(_registered)
@bp.arguments(schemas.OrganisationChanges)
@bp.response(200, schemas.OrganisationDetail)
def organisation_update(changes: dict, found, **_path):
    current = {
        "business_id": found.business_id,
        "name": found.name,
        "name_sv": found.name_sv,
        "kind": found.kind.value,
        "address": {"street": found.street_address, "postal_code": found.postal_code, "city": found.city},
    }
    organisations.update_organisation(db.session(), g.api_user, found, schemas.row_of(current | changes))
    db.session.commit()
    return found


# -- the agreement's life after entry into force (issue 12) ---------------------------------------


def _termination(termination, state) -> Extended:
    return Extended(
        termination, ended=state.party_ended(termination.organisation_id), agreement_ends_on=state.ends_on
    )


@bp.post("/agreements/<int:agreement_id>/terminations")
@bp.operation(
    "Record a party's notice of termination (or its dissolution by the steering group) "
    "(administrator); answers with the day its obligations end",
    Scope.write,
    "400 403 404 409 413",
    administrator=True,
)
@finding(_visible_agreement)
@bp.arguments(schemas.NewTermination)
@bp.response(201, schemas.Termination)
def termination_create(arguments: dict, found, **_path):
    organisation = _party_organisation(found, arguments["business_id"])
    termination = lifecycle.record_termination(
        db.session(),
        document_context(),
        found,
        organisation.id,
        g.api_user,
        received_on=arguments["received_on"],
        kind=TerminationKind(arguments["kind"]),
        decision=arguments["decision"],
    )
    db.session.commit()
    return _termination(termination, lifecycle.lifecycle(db.session(), found))


@bp.get("/agreements/<int:agreement_id>/terminations")
@bp.operation(
    "The terminations of the agreement and when each party's obligations end", Scope.read, "403 404"
)
@bp.response(200, schemas.Termination(many=True))
def terminations(agreement_id: int):
    state = lifecycle.lifecycle(db.session(), _visible_agreement(agreement_id))
    return [_termination(t, state) for t in state.terminations]


def _party_organisation(agreement, business_id: str):
    party = next((p for p in agreement.parties if p.organisation.business_id == business_id), None)
    if party is None:
        raise PortalError("not_a_party", 422)
    return party.organisation


@bp.post("/agreements/<int:agreement_id>/costs")
@bp.operation(
    "Record the cost-sharing table of a year (administrator): the total shared by "
    "population, a joint municipal authority counted as a third",
    Scope.write,
    "400 403 404 409 413",
    administrator=True,
)
@finding(_visible_agreement)
@bp.arguments(schemas.NewCosts)
@bp.response(201, schemas.Costs)
def costs_create(arguments: dict, found, **_path):
    table = costs.record_costs(
        db.session(),
        found,
        g.api_user,
        year=arguments["year"],
        total=arguments["total"],
        populations=[costs.Population(**row) for row in arguments["populations"]],
    )
    db.session.commit()
    return table


@bp.get("/agreements/<int:agreement_id>/costs")
@bp.operation("The agreement's cost-sharing tables, the latest year first", Scope.read, "403 404")
@bp.response(200, schemas.Costs(many=True))
def costs_list(agreement_id: int):
    return costs.cost_tables(db.session(), _visible_agreement(agreement_id).id)


def _meeting(meeting, invited: int) -> Extended:
    late = steering.timeliness(meeting)
    return Extended(
        meeting, invited=invited, invitation_late=late.invitation_late, agenda_late=late.agenda_late
    )


@bp.post("/agreements/<int:agreement_id>/meetings")
@bp.operation(
    "Schedule a steering group meeting (administrator): the invitation goes by mail to "
    "every member and deputy; the notice and agenda deadlines are computed",
    Scope.write,
    "400 403 404 413",
    administrator=True,
)
@finding(_visible_agreement)
@bp.arguments(schemas.NewMeeting)
@bp.response(201, schemas.Meeting)
def meeting_create(arguments: dict, found, **_path):
    meeting = steering.create_meeting(
        db.session(),
        links(),
        found,
        g.api_user,
        meets_on=arguments["date"],
        place=arguments["place"],
        agenda=arguments["agenda"],
    )
    db.session.commit()
    return _meeting(meeting, len(steering.members_of(db.session(), found.id)))


@bp.get("/agreements/<int:agreement_id>/meetings")
@bp.operation("The steering group's meetings, the latest first", Scope.read, "403 404")
@bp.response(200, schemas.Meeting(many=True))
def meetings(agreement_id: int):
    found = _visible_agreement(agreement_id)
    invited = len(steering.members_of(db.session(), found.id))
    return [_meeting(m, invited) for m in steering.meetings_of(db.session(), found.id)]


@bp.post("/agreements/<int:agreement_id>/accessions")
@bp.operation(
    "An organisation asks to join the agreement (administrator records it)",
    Scope.write,
    "400 403 404 409 413",
    administrator=True,
)
@finding(_visible_agreement)
@bp.arguments(schemas.NewAccession)
@bp.response(201, schemas.Accession)
def accession_create(arguments: dict, found, **_path):
    accession = accessions.request_accession(db.session(), found, g.api_user, **arguments)
    db.session.commit()
    return accession


@bp.get("/agreements/<int:agreement_id>/accessions")
@bp.operation("Organisations that asked to join, and where each stands", Scope.read, "403 404")
@bp.response(200, schemas.Accession(many=True))
def accessions_list(agreement_id: int):
    return accessions.accessions_of(db.session(), _visible_agreement(agreement_id).id)


def _accession(accession_id: int, **_path):
    accession = db.session.get(AccessionModel, accession_id)
    if accession is None:
        raise PortalError("not_found", 404)
    return _visible_agreement(accession.agreement_id), accession


@bp.post("/accessions/<int:accession_id>/decision")
@bp.operation(
    "Record the steering group's unanimous decision: the accession document is opened "
    "for the signatures of the new party and the chair's party (administrator)",
    Scope.write,
    "400 403 404 409 413",
    administrator=True,
)
@finding(_accession)
@bp.arguments(schemas.AccessionDecision)
@bp.response(200, schemas.Accession)
def accession_decision(arguments: dict, found, **_path):
    agreement, accession = found
    accessions.decide_accession(
        db.session(),
        document_context(),
        agreement,
        accession,
        g.api_user,
        meeting_id=arguments["meeting_id"],
        in_favour=set(arguments["in_favour"]),
    )
    db.session.commit()
    return accession


def _approval(approval_id: int, **_path):
    approval = db.session.get(ApprovalDecision, approval_id)
    if approval is None:
        raise PortalError("not_found", 404)
    visible_document(g.api_user, approval.document_id)
    return approval


@bp.post("/approvals/<int:approval_id>/corrections")
@bp.operation(
    "Correct a wrongly recorded decision, with the reason (administrator); the history keeps both",
    Scope.write,
    "400 403 404 409 413",
    administrator=True,
)
@finding(_approval)
@bp.arguments(schemas.Correction)
@bp.response(201, schemas.Approval)
def approval_correction(arguments: dict, found, **_path):
    correction = documents.correct_approval(
        db.session(), document_context(), found.id, g.api_user, **arguments
    )
    db.session.commit()
    return correction
