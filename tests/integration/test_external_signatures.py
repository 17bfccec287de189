"""Signing with one's own certificate (issue 10, item 4): a representative downloads the current
PDF, signs their party's field with pyHanko and a certificate of a CA that is not the portal's
(the "own tool"), and uploads it through the web form or the API. Accepted uploads count as the
party's signature (entry into force included); every kind of bad upload is refused with its own
translated message and stores nothing."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.agreements.domain import Status
from portal.audit.models import AuditEvent
from portal.audit.services import verify_chain
from portal.auth.domain import Scope
from portal.documents import services as documents
from portal.documents.models import Blob, Signature
from tests.factories import bearer
from tests.owncert import own_ca, sign_with_own_tool


@pytest.fixture(scope="module")
def ca():
    return own_ca()


@pytest.fixture
def trusted(app, ca, tmp_path, monkeypatch):
    """The test CA is the one root of PORTAL_EXTERNAL_TRUST_ROOTS."""
    (tmp_path / "citizen-ca.pem").write_bytes(ca.pem)
    monkeypatch.setitem(app.config, "PORTAL_EXTERNAL_TRUST_ROOTS", str(tmp_path))
    return ca


def sign_in(app, user):
    client = app.test_client()
    assert client.post("/login", data={"username": user.username, "password": "pw"}).status_code == 302
    return client


def upload(client, document_id, pdf, htmx=True):
    return client.post(
        f"/documents/{document_id}/external-signature",
        data={"file": (io.BytesIO(pdf), "signed.pdf")},
        headers={"HX-Request": "true"} if htmx else {},
        content_type="multipart/form-data",
    )


def counts(session):
    session.expire_all()
    return (
        session.scalar(select(func.count()).select_from(Signature)),
        session.scalar(select(func.count()).select_from(AuditEvent)),
        session.scalar(select(func.count()).select_from(Blob)),
    )


def test_an_own_certificate_signature_counts_as_the_partys(app, factory, trusted):
    agreement, orgs, reps, admin = factory.agreement(parties=3)
    document_id = agreement.main_document_id
    client = sign_in(app, reps[0])
    page = client.get(f"/agreements/{agreement.id}")
    assert "Sign with your own certificate" in page.text or "omalla varmenteella" in page.text
    current = client.get(f"/documents/{document_id}/pdf").data
    signed = sign_with_own_tool(current, "party-01", trusted.person("Edustaja", reps[0].email))
    response = upload(client, document_id, signed)
    assert response.status_code == 200, response.text
    assert 'id="agreement-state"' in response.text and "<html" not in response.text
    signature = factory.session.scalars(select(Signature)).one()
    assert signature.signer_id == reps[0].id and signature.verdict["external"] is True
    assert signature.verdict["ok"] is True and "@" in signature.verdict["emails"][0]
    for rep in reps[1:]:
        sign_in(app, rep).post(
            f"/documents/{document_id}/sign", data={"read": "y", "place": "Akaa", "password": "pw"}
        )
    for org in orgs:
        documents.record_approval(
            factory.session,
            documents_ctx(app),
            document_id,
            org.id,
            admin,
            body="Kunnanvaltuusto",
            decided_on=date(2026, 11, 2),
            section="12",
        )
    factory.session.commit()
    factory.session.refresh(agreement.main_document)
    assert agreement.main_document.status is Status.in_force
    final = sign_in(app, admin).get(f"/documents/{document_id}/pdf").data
    assert final.startswith(signed)  # the own signature is part of the identical copy
    events = factory.session.scalars(
        select(AuditEvent).where(AuditEvent.kind == "signature").order_by(AuditEvent.seq)
    ).all()
    assert events[0].payload["external"] is True
    assert verify_chain(factory.session)[1] is None


def documents_ctx(app):
    from portal.appctx import document_context

    return document_context()


def refused(app, factory, rep, document_id, pdf, status, text):
    client = sign_in(app, rep)
    before = counts(factory.session)
    response = upload(client, document_id, pdf)
    assert response.status_code == status, response.text
    assert text in response.text, response.text
    assert 'aria-invalid="true"' in response.text
    assert counts(factory.session) == before  # nothing stored: no signature, event or file


def test_each_bad_upload_is_refused_and_stores_nothing(app, factory, trusted):
    agreement, orgs, reps, admin = factory.agreement(parties=3)
    document_id = agreement.main_document_id
    prepared = sign_in(app, reps[0]).get(f"/documents/{document_id}/pdf").data
    card = trusted.person("Edustaja", reps[0].email)
    reps[0].locale = "en"
    factory.session.commit()

    another_field = sign_with_own_tool(prepared, "party-02", card)
    refused(
        app,
        factory,
        reps[0],
        document_id,
        another_field,
        422,
        "does not sign your party&#39;s signature field (party-01)",
    )

    changed = bytearray(prepared)
    changed[changed.index(b"stream", 200) + 20] ^= 0x01
    refused(
        app,
        factory,
        reps[0],
        document_id,
        sign_with_own_tool(bytes(changed), "party-01", card),
        422,
        "was changed before your signature",
    )

    stranger = own_ca("Untrusted CA").person("Edustaja", reps[0].email)
    refused(
        app,
        factory,
        reps[0],
        document_id,
        sign_with_own_tool(prepared, "party-01", stranger),
        422,
        "not issued by a certification authority this portal accepts",
    )

    someone = trusted.person("Joku Muu", "joku.muu@example.invalid")
    refused(
        app,
        factory,
        reps[0],
        document_id,
        sign_with_own_tool(prepared, "party-01", someone),
        422,
        f"e-mail address of your account ({reps[0].email})",
    )

    sign_in(app, reps[1]).post(
        f"/documents/{document_id}/sign", data={"read": "y", "place": "Akaa", "password": "pw"}
    )
    refused(
        app,
        factory,
        reps[0],
        document_id,
        sign_with_own_tool(prepared, "party-01", card),
        409,
        "Download the document again",
    )

    current = sign_in(app, reps[0]).get(f"/documents/{document_id}/pdf").data
    assert (
        upload(sign_in(app, reps[0]), document_id, sign_with_own_tool(current, "party-01", card)).status_code
        == 200
    )


def test_the_refusal_is_in_the_users_language(app, factory, trusted):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    reps[0].locale = "sv"
    factory.session.commit()
    prepared = sign_in(app, reps[0]).get(f"/documents/{agreement.main_document_id}/pdf").data
    someone = trusted.person("Joku Muu", "joku.muu@example.invalid")
    response = upload(
        sign_in(app, reps[0]), agreement.main_document_id, sign_with_own_tool(prepared, "party-01", someone)
    )
    assert response.status_code == 422
    assert "e-postadress" in response.text


def test_without_trust_roots_the_form_is_not_offered_and_uploads_are_refused(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    client = sign_in(app, reps[0])
    assert "external-signature" not in client.get(f"/agreements/{agreement.id}").text
    prepared = client.get(f"/documents/{agreement.main_document_id}/pdf").data
    card = own_ca().person("Edustaja", reps[0].email)
    response = upload(client, agreement.main_document_id, sign_with_own_tool(prepared, "party-01", card))
    assert response.status_code == 409


def test_the_api_accepts_an_own_certificate_signature(app, factory, trusted):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    headers = bearer(app, factory.session, reps[0], Scope.read, Scope.sign)
    client = app.test_client()
    url = f"/api/v1/documents/{agreement.main_document_id}"
    current = client.get(f"{url}/pdf", headers=headers).data
    card = trusted.person("Edustaja", reps[0].email)
    someone = trusted.person("Joku Muu", "joku.muu@example.invalid")
    wrong = client.post(
        f"{url}/external-signatures",
        headers=headers,
        data={"file": (io.BytesIO(sign_with_own_tool(current, "party-01", someone)), "s.pdf")},
        content_type="multipart/form-data",
    )
    assert wrong.status_code == 422 and wrong.json["error"] == "external_wrong_person"
    response = client.post(
        f"{url}/external-signatures",
        headers=headers,
        data={"file": (io.BytesIO(sign_with_own_tool(current, "party-01", card)), "s.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.json
    assert response.json["party"] == orgs[0].business_id
    assert response.json["document_status"] == "signing"
    again = client.post(
        f"{url}/external-signatures",
        headers=headers,
        data={"file": (io.BytesIO(sign_with_own_tool(current, "party-01", card)), "s.pdf")},
        content_type="multipart/form-data",
    )
    assert again.status_code == 409 and again.json["error"] == "sign_already_signed"
