"""The JSON API refuses what it must, with the right status and code, and stores nothing."""

import io

import pytest

from portal.agreements.models import Agreement
from portal.appctx import document_context
from portal.auth.domain import Role, Scope
from portal.auth.services import create_token
from portal.documents import services as documents
from portal.documents.models import ApprovalDecision, Document, DocumentKind, DocumentVersion, Signature
from tests.factories import sample_pdf


def sign(client, document_id, headers, body=None):
    return client.post(
        f"/api/v1/documents/{document_id}/signatures",
        headers=headers,
        json={"place": "Akaa"} if body is None else body,
    )


def test_signing_refusals(client, factory, token):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    draft, draft_orgs, draft_reps, _ = factory.agreement(parties=1, opened=False)
    doc = agreement.main_document_id
    # not a party of the agreement: the document is not even visible
    outsider = sign(client, doc, token(draft_reps[0], Scope.sign))
    assert outsider.status_code == 404 and outsider.json["error"] == "not_found"
    mine = token(reps[0], Scope.sign)
    for body in ({}, {"place": ""}, {"place": "x" * 101}, {"place": 7}):
        bad = sign(client, doc, mine, body)
        assert bad.status_code == 422 and bad.json["error"] == "invalid_field", body
    assert sign(client, doc, mine, "Akaa").status_code == 400  # a JSON string, not an object
    assert sign(client, doc, mine).status_code == 201
    again = sign(client, doc, mine)
    assert again.status_code == 409 and again.json["error"] == "sign_already_signed"
    not_open = sign(client, draft.main_document_id, token(draft_reps[0], Scope.sign))
    assert not_open.status_code == 409 and not_open.json["error"] == "sign_not_open"
    assert factory.session.query(Signature).count() == 1


def test_only_a_representative_signs_even_with_a_sign_scope(app, client, factory, token):
    """create_token does not look at roles, so the API must: a sign-scoped token of a lawyer,
    a contact person or a viewer (of a party) signs nothing."""
    agreement, orgs, reps, admin = factory.agreement(parties=1)
    for role in (Role.lawyer, Role.contact_person, Role.viewer, Role.administrator):
        user = factory.user(orgs[0], role)
        factory.session.commit()
        refused = sign(client, agreement.main_document_id, token(user, Scope.sign))
        assert refused.status_code == 403, role
        assert refused.json["error"] == "sign_not_a_representative", role
    with pytest.raises(ValueError):  # and a sign scope always carries a wrapped key
        create_token(factory.session, reps[0], "x", {Scope.sign})
    assert factory.session.query(Signature).count() == 0


def test_a_representative_signs_only_documents_of_their_own_party(app, client, factory, token, db):
    """R7: an annex agreement binds only some parties; the others see it but cannot sign it."""
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    annex = Document(agreement_id=agreement.id, kind=DocumentKind.annex_agreement, title="Liite")
    documents.set_parties(annex, [orgs[0].id])
    db.session.add(annex)
    db.session.flush()
    ctx = document_context()
    documents.add_version(db.session, ctx, annex, sample_pdf(), "liite.pdf", admin)
    documents.open_for_signature(db.session, ctx, annex, admin, title="Liite", language="fi")
    db.session.commit()
    refused = sign(client, annex.id, token(reps[1], Scope.sign))
    assert refused.status_code == 403 and refused.json["error"] == "sign_not_a_party"
    assert sign(client, annex.id, token(reps[0], Scope.sign)).status_code == 201


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"PK\x03\x04 a docx", "pdf_not_pdf"), (b"", "pdf_empty"), (sample_pdf()[:400], "pdf_truncated")],
)
def test_bad_uploads_store_nothing(client, factory, token, data, code):
    agreement, orgs, reps, admin = factory.agreement(parties=1, opened=False)
    before = factory.session.query(DocumentVersion).count()
    response = client.put(
        f"/api/v1/agreements/{agreement.id}/document",
        headers=token(admin, Scope.write),
        data={"file": (io.BytesIO(data), "x.pdf")},
    )
    assert response.status_code == 422 and response.json["error"] == code
    assert factory.session.query(DocumentVersion).count() == before


def test_upload_refusals(app, client, factory, token, monkeypatch):
    agreement, orgs, reps, admin = factory.agreement(parties=1, opened=False)
    opened, *_ = factory.agreement(parties=1, admin=admin)
    headers = token(admin, Scope.write)
    url = f"/api/v1/agreements/{agreement.id}/document"
    before = factory.session.query(DocumentVersion).count()
    missing = client.put(url, headers=headers, data={"other": (io.BytesIO(sample_pdf()), "x.pdf")})
    assert missing.status_code == 422 and missing.json["error"] == "invalid_field"
    not_multipart = client.put(url, headers=headers, json={"file": "JVBERi0="})
    assert not_multipart.status_code == 422
    late = client.put(
        f"/api/v1/agreements/{opened.id}/document",
        headers=headers,
        data={"file": (io.BytesIO(sample_pdf()), "x.pdf")},
    )
    assert late.status_code == 409 and late.json["error"] == "document_not_draft"
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    big = client.put(url, headers=headers, data={"file": (io.BytesIO(b"%PDF" + b"0" * 8192), "x.pdf")})
    assert big.status_code == 413 and big.json["error"] == "too_large"
    assert factory.session.query(DocumentVersion).count() == before
    assert (
        client.put(
            "/api/v1/agreements/999999/document",
            headers=headers,
            data={"file": (io.BytesIO(sample_pdf()), "x.pdf")},
        ).status_code
        == 404
    )


def test_open_refusals(client, factory, token):
    agreement, orgs, reps, admin = factory.agreement(parties=1)
    headers = token(admin, Scope.write)
    twice = client.post(f"/api/v1/agreements/{agreement.id}/open", headers=headers)
    assert twice.status_code == 409 and twice.json["error"] == "document_not_draft"
    created = client.post(
        "/api/v1/agreements", headers=headers, json={"title": "Tyhjä", "parties": [orgs[0].business_id]}
    ).json
    empty = client.post(f"/api/v1/agreements/{created['id']}/open", headers=headers)
    assert empty.status_code == 409 and empty.json["error"] == "document_missing"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"title": "X", "parties": ["0211675-2"]}, "unknown_business_id"),
        ({"title": "X", "parties": ["123"]}, "invalid_business_id"),
        ({"title": "X", "parties": []}, "invalid_field"),
        ({"title": "X", "parties": "0211675-2"}, "invalid_field"),
        ({"title": "X", "parties": [1]}, "invalid_field"),
        ({"title": "", "parties": ["ORG"]}, "invalid_field"),
        ({"title": "x" * 301, "parties": ["ORG"]}, "invalid_field"),
        ({"parties": ["ORG"]}, "invalid_field"),
        ({"title": "X", "parties": ["ORG"], "language": "de"}, "invalid_field"),
        ({"title": "X", "parties": ["ORG"], "goals": [{"description": "no title"}]}, "invalid_field"),
        ({"title": "X", "parties": ["ORG"], "goals": "Hyvinvointi"}, "invalid_field"),
    ],
)
def test_a_new_agreement_is_validated(client, factory, token, body, code):
    agreement, orgs, reps, admin = factory.agreement(parties=1, opened=False)
    if "ORG" in body["parties"]:
        body = body | {"parties": [orgs[0].business_id]}
    before = factory.session.query(Agreement).count()
    response = client.post("/api/v1/agreements", headers=token(admin, Scope.write), json=body)
    assert response.status_code == 422 and response.json["error"] == code, response.json
    assert response.json["message"]
    assert factory.session.query(Agreement).count() == before


def test_malformed_json_is_a_bad_request(client, factory, token):
    agreement, orgs, reps, admin = factory.agreement(parties=1, opened=False)
    h = token(admin, Scope.write)
    for data in ("{not json", "[]", ""):
        bad = client.post("/api/v1/agreements", headers=h | {"Content-Type": "application/json"}, data=data)
        assert bad.status_code == 400 and bad.json["error"] == "bad_request", data
    form = client.post("/api/v1/agreements", headers=h, data={"title": "X"})
    assert form.status_code == 400


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"date": "31.12.2026"}, 422, "invalid_field"),
        ({"date": "2026-02-30"}, 422, "invalid_field"),
        ({"date": "20261102"}, 422, "invalid_field"),
        ({"section": ""}, 422, "invalid_field"),
        ({"body": None}, 422, "invalid_field"),
        ({"disqualified_members": [1]}, 422, "invalid_field"),
        ({"business_id": "0211675-2"}, 422, "not_a_party"),
    ],
)
def test_an_approval_is_validated(client, factory, token, change, status, code):
    agreement, orgs, reps, admin = factory.agreement(parties=1, opened=False)
    body = {
        "business_id": orgs[0].business_id,
        "body": "Valtuusto",
        "date": "2026-11-02",
        "section": "1",
    } | change
    response = client.post(
        f"/api/v1/agreements/{agreement.id}/approvals", headers=token(admin, Scope.write), json=body
    )
    assert response.status_code == status and response.json["error"] == code, response.json
    assert factory.session.query(ApprovalDecision).count() == 0


def test_an_approval_is_recorded_once(client, factory, token):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    url, headers = f"/api/v1/agreements/{agreement.id}/approvals", token(admin, Scope.write)
    body = {
        "business_id": orgs[0].business_id,
        "body": "Valtuusto",
        "date": "2026-11-02",
        "section": "7",
        "disqualified_members": "Anna A\n\nBertta B\n",
    }
    first = client.post(url, headers=headers, json=body)
    assert first.status_code == 201 and first.json["status"] == "draft"
    assert first.json["parties"][0]["approval"]["disqualified_members"] == ["Anna A", "Bertta B"]
    assert first.json["parties"][1]["approval"] is None
    again = client.post(url, headers=headers, json=body)
    assert again.status_code == 409 and again.json["error"] == "approval_exists"
    assert factory.session.query(ApprovalDecision).count() == 1
