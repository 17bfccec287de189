"""The JSON API under /api/v1 for municipal case-management systems.

Bearer tokens only (api/auth.py); each change commits once, here; refusals are PortalErrors that
errors_web turns into {"error", "message"} in the language of Accept-Language."""

from flask import Blueprint, g, jsonify, request

from portal.agreements.models import Agreement
from portal.agreements.services import (
    create_agreement,
    get_visible_agreement,
    party_states,
    visible_agreements,
)
from portal.annexes import services as annexes
from portal.annexes.domain import may_upload
from portal.api import inputs, serializers
from portal.api.auth import api_auth, sign_passphrase
from portal.api.openapi import spec
from portal.appctx import document_context, links
from portal.auth.domain import Scope, may_administer
from portal.contacts import services as contacts
from portal.documents import services as documents
from portal.documents.models import DocumentKind
from portal.documents.views import send_document, visible_document
from portal.errors import PortalError
from portal.extensions import db
from portal.jobs.inline import start_queued

bp = Blueprint("api", __name__)


@bp.after_request
def bearer_challenge(response):
    if response.status_code == 401:  # RFC 6750: tell the client which scheme to use
        response.headers["WWW-Authenticate"] = 'Bearer realm="sopu"'
    return response


def _administered(agreement_id: int):
    """The agreement, for an administrator (403 for anyone else, 404 if there is none)."""
    if not may_administer(g.api_user.role):
        raise PortalError("forbidden", 403)
    return get_visible_agreement(db.session, g.api_user, agreement_id)


def _detail(agreement, status: int = 200):
    body = serializers.agreement_detail(agreement, party_states(db.session, agreement.main_document))
    return jsonify(body), status


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())


@bp.get("/agreements")
@api_auth(Scope.read)
def agreements():
    return jsonify([serializers.agreement_summary(a)
                    for a in visible_agreements(db.session, g.api_user)])


@bp.get("/agreements/<int:agreement_id>")
@api_auth(Scope.read)
def agreement(agreement_id: int):
    return _detail(get_visible_agreement(db.session, g.api_user, agreement_id))


@bp.post("/agreements")
@api_auth(Scope.write)
def agreement_create():
    if not may_administer(g.api_user.role):
        raise PortalError("forbidden", 403)
    created = create_agreement(db.session, g.api_user, **inputs.new_agreement(inputs.json_body()))
    db.session.commit()
    return _detail(created, 201)


@bp.put("/agreements/<int:agreement_id>/document")
@api_auth(Scope.write)
def agreement_document(agreement_id: int):
    found = _administered(agreement_id)
    upload = request.files.get("file")
    if upload is None:
        raise inputs.invalid("file")
    version = annexes.new_version(db.session, document_context(), found.main_document,
                                  upload.read(), upload.filename or "", g.api_user)
    db.session.commit()
    start_queued(db.session)
    return jsonify(serializers.document_version(version)), 201


@bp.post("/agreements/<int:agreement_id>/open")
@api_auth(Scope.write)
def agreement_open(agreement_id: int):
    found = _administered(agreement_id)
    documents.open_for_signature(db.session, document_context(), found.main_document, g.api_user,
                                 title=found.title, language=found.language)
    db.session.commit()
    return _detail(found)


@bp.post("/agreements/<int:agreement_id>/approvals")
@api_auth(Scope.write)
def agreement_approval(agreement_id: int):
    found = _administered(agreement_id)
    _record_approval(found.main_document)
    return _detail(found, 201)


def _record_approval(document) -> None:
    business_id, decision = inputs.new_approval(inputs.json_body())
    party = next((p for p in document.parties if p.organisation.business_id == business_id), None)
    if party is None:
        raise PortalError("not_a_party", 422)
    documents.record_approval(db.session, document_context(), document.id, party.organisation_id,
                              g.api_user, **decision)
    db.session.commit()


@bp.post("/documents/<int:document_id>/signatures")
@api_auth(Scope.sign)
def document_sign(document_id: int):
    document = visible_document(g.api_user, document_id)
    documents.check_may_sign(document, g.api_user)  # early and cheap; sign() checks again locked
    place = inputs.text(inputs.json_body(), "place", 100)
    signature = documents.sign(db.session, document_context(), document.id, g.api_user,
                               sign_passphrase(), place)
    db.session.commit()
    return jsonify(serializers.signature_result(signature, document)), 201


@bp.post("/agreements/<int:agreement_id>/documents")
@api_auth(Scope.write)
def document_upload(agreement_id: int):
    found = get_visible_agreement(db.session, g.api_user, agreement_id)
    if not may_upload(g.api_user.role):  # early, before the form is parsed; upload() checks again
        raise PortalError("forbidden", 403)
    version = annexes.upload(db.session, document_context(), found, g.api_user,
                             **inputs.new_document(request.form, request.files))
    db.session.commit()
    start_queued(db.session)
    return _upload_result(version.document_id)


def _upload_result(document_id: int):
    db.session.expire_all()  # an in-process job committed in another session
    document = visible_document(g.api_user, document_id)
    version = document.latest_version
    return jsonify(serializers.upload_result(version, annexes.current_flags(db.session, version))), 201


@bp.post("/documents/<int:document_id>/versions")
@api_auth(Scope.write)
def document_new_version(document_id: int):
    document = visible_document(g.api_user, document_id)
    upload = request.files.get("file")
    if upload is None:
        raise inputs.invalid("file")
    parties = [p.strip() for value in request.form.getlist("parties") for p in value.split(",")
               if p.strip()]
    annexes.new_version(db.session, document_context(), document, upload.read(),
                        upload.filename or "", g.api_user, business_ids=parties or None)
    db.session.commit()
    start_queued(db.session)
    return _upload_result(document.id)


@bp.get("/documents/<int:document_id>")
@api_auth(Scope.read)
def document(document_id: int):
    found = visible_document(g.api_user, document_id)
    return jsonify(serializers.document_detail(
        found, annexes.current_flags(db.session, found.latest_version),
        party_states(db.session, found)))


@bp.post("/documents/<int:document_id>/flags/<code>/acknowledge")
@api_auth(Scope.write)
def flag_acknowledge(document_id: int, code: str):
    found = visible_document(g.api_user, document_id)
    justification = inputs.text(inputs.json_body(), "justification", 4000)
    annexes.acknowledge(db.session, found, annexes.flags_with_code(db.session, found, code),
                        g.api_user, justification)
    db.session.commit()
    return document(document_id)


@bp.post("/documents/<int:document_id>/open")
@api_auth(Scope.write)
def document_open(document_id: int):
    if not may_administer(g.api_user.role):
        raise PortalError("forbidden", 403)
    found = visible_document(g.api_user, document_id)
    if found.kind is DocumentKind.main:
        documents.open_for_signature(db.session, document_context(), found, g.api_user,
                                     title=found.title,
                                     language=db.session.get(Agreement, found.agreement_id).language)
    else:
        annexes.open_document(db.session, document_context(), found, g.api_user)
    db.session.commit()
    return document(document_id)


@bp.post("/documents/<int:document_id>/approvals")
@api_auth(Scope.write)
def document_approval(document_id: int):
    if not may_administer(g.api_user.role):
        raise PortalError("forbidden", 403)
    _record_approval(visible_document(g.api_user, document_id))
    return document(document_id), 201


@bp.get("/documents/<int:document_id>/pdf")
@api_auth(Scope.read)
def document_pdf(document_id: int):
    return send_document(document_id, g.api_user)


def _own_contacts() -> list:
    """The token user's active contact entries (404 when they are nobody's contact person)."""
    found = contacts.own_contacts(db.session, g.api_user.id)
    if not found:
        raise PortalError("not_found", 404)
    return found


@bp.get("/me/contact")
@api_auth(Scope.read)
def my_contact():
    return jsonify([serializers.contact(c) for c in _own_contacts()])


@bp.put("/me/contact")
@api_auth(Scope.write)
def my_contact_update():
    first = _own_contacts()[0]
    details = inputs.contact_details(inputs.json_body())
    contacts.update_own_details(db.session, links(), g.api_user, first.id, **details)
    db.session.commit()
    return jsonify([serializers.contact(c) for c in _own_contacts()])


@bp.get("/agreements/<int:agreement_id>/contacts")
@api_auth(Scope.read)
def agreement_contacts(agreement_id: int):
    found = get_visible_agreement(db.session, g.api_user, agreement_id)
    return jsonify(serializers.contacts_by_party(found, contacts.contacts_of(db.session, found.id)))
