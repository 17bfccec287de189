"""Issue 7, item 3: who may change a document is decided once, in the services; the web routes
and the API only call them. Every role against the main agreement's draft, through every entry
point, and the services called directly with the wrong person."""

import io

import pytest

from portal.agreements.services import create_agreement
from portal.annexes import services as annexes
from portal.appctx import document_context
from portal.auth.domain import Role, Scope
from portal.documents import services as documents
from portal.documents.models import DocumentVersion
from portal.errors import PortalError
from tests.factories import bearer, sample_pdf, sign_in

PARTY_ROLES = [Role.representative, Role.lawyer, Role.contact_person, Role.viewer]


def pdf_upload(name="uusi.pdf"):
    return {"file": (io.BytesIO(sample_pdf("Korvaava teksti")), name)}


def main_versions(session, agreement) -> int:
    session.expire_all()
    return session.query(DocumentVersion).filter_by(document_id=agreement.main_document_id).count()


@pytest.mark.parametrize("role", PARTY_ROLES)
def test_a_partys_user_cannot_replace_the_main_agreement_draft(app, client, factory, role):
    """The API answered 201 to a representative, a lawyer and a contact person of a party: they
    replaced the text the secretary then opened for everyone's signature."""
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    user = factory.user(orgs[0], role)
    factory.session.commit()
    headers = bearer(app, factory.session, user, Scope.read, Scope.write)
    main = agreement.main_document_id
    api_version = client.post(f"/api/v1/documents/{main}/versions", headers=headers, data=pdf_upload())
    assert api_version.status_code == 403 and api_version.json["error"] == "forbidden"
    api_put = client.put(f"/api/v1/agreements/{agreement.id}/document", headers=headers, data=pdf_upload())
    assert api_put.status_code == 403 and api_put.json["error"] == "forbidden"
    sign_in(client, user)
    web = client.post(f"/agreements/{agreement.id}/document", data=pdf_upload())
    assert web.status_code == 403
    assert main_versions(factory.session, agreement) == 1


def test_the_secretary_replaces_the_main_agreement_draft_through_each_entry(app, client, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    headers = bearer(app, factory.session, admin, Scope.read, Scope.write)
    main = agreement.main_document_id
    assert (
        client.post(f"/api/v1/documents/{main}/versions", headers=headers, data=pdf_upload()).status_code
        == 201
    )
    assert (
        client.put(
            f"/api/v1/agreements/{agreement.id}/document", headers=headers, data=pdf_upload()
        ).status_code
        == 201
    )
    sign_in(client, admin)
    assert client.post(f"/agreements/{agreement.id}/document", data=pdf_upload()).status_code == 302
    assert main_versions(factory.session, agreement) == 4


@pytest.mark.parametrize("role", PARTY_ROLES)
def test_the_services_refuse_a_partys_user_on_the_main_agreement(factory, role):
    """Called directly (a future view, a CLI command, a job), the services still say no."""
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    user = factory.user(orgs[0], role)
    factory.session.commit()  # each refusal below rolls back: the user and their role stay
    ctx = document_context()
    main = agreement.main_document
    attempts = {
        "new_version": lambda: annexes.new_version(factory.session, ctx, main, sample_pdf(), "x.pdf", user),
        "open_for_signature": lambda: documents.open_for_signature(
            factory.session, ctx, main, user, title="X", language="fi"
        ),
        "record_approval": lambda: documents.record_approval(
            factory.session,
            ctx,
            main.id,
            orgs[0].id,
            user,
            body="Valtuusto",
            decided_on=agreement.created_at.date(),
            section="1",
        ),
        "create_agreement": lambda: create_agreement(
            factory.session, user, title="X", business_ids=[orgs[0].business_id]
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(PortalError) as refused:
            attempt()
        assert (refused.value.code, refused.value.status) == ("forbidden", 403), name
        factory.session.rollback()
    assert main_versions(factory.session, agreement) == 1


def test_the_services_refuse_what_annex_views_refused(factory):
    """Opening an annex agreement (the gate ran first before), a new version or an
    acknowledgement of another party's annex agreement, and anything by an outsider."""
    agreement, orgs, reps, admin = factory.agreement(parties=3, opened=False)
    ours_lawyer = factory.user(orgs[0], Role.lawyer)
    their_lawyer = factory.user(orgs[2], Role.lawyer)
    outsider = factory.user(factory.org(), Role.lawyer)
    document = factory.annex(agreement, ours_lawyer)  # of parties 1 and 2
    ctx = document_context()
    flags = annexes.current_flags(factory.session, document.latest_version)
    cases = [
        (lambda: annexes.open_document(factory.session, ctx, document, ours_lawyer), "forbidden"),
        (
            lambda: annexes.new_version(factory.session, ctx, document, sample_pdf(), "x.pdf", their_lawyer),
            "forbidden",
        ),
        (
            lambda: annexes.acknowledge(
                factory.session, document, flags, their_lawyer, "Perusteltu hyvin pitkästi"
            ),
            "forbidden",
        ),
        (
            lambda: annexes.new_version(factory.session, ctx, document, sample_pdf(), "x.pdf", outsider),
            "not_found",
        ),
        (
            lambda: annexes.acknowledge(
                factory.session, document, flags, outsider, "Perusteltu hyvin pitkästi"
            ),
            "not_found",
        ),
        (
            lambda: annexes.upload(
                factory.session,
                ctx,
                agreement,
                outsider,
                kind="annex",
                title="X",
                data=sample_pdf(),
                filename="x.pdf",
            ),
            "not_found",
        ),
    ]
    for attempt, code in cases:
        with pytest.raises(PortalError) as refused:
            attempt()
        assert refused.value.code == code
        factory.session.rollback()
    assert len(document.versions) == 1
