"""The JSON API: tokens and scopes, the whole loop, visibility, and the OpenAPI document.
Refusals of bad input and of signatures are in test_api_refusals.py."""

import io
import re

import pytest
from sqlalchemy import event

from portal.agreements.models import Agreement as AgreementModel
from portal.appctx import document_context
from portal.auth.domain import Role, Scope
from portal.auth.models import ApiToken
from portal.documents import services as documents
from portal.timeutil import utcnow
from tests.factories import sample_pdf, sign_in


def count_statements(engine, call, *args, **kwargs) -> tuple[int, object]:
    statements = []

    def listener(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", listener)
    try:
        result = call(*args, **kwargs)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements), result


def test_a_token_is_required(client, factory, token):
    agreement, orgs, reps, admin = factory.agreement(parties=1, opened=False)
    missing = client.get("/api/v1/agreements")
    assert missing.status_code == 401 and missing.json["error"] == "unauthorized"
    assert missing.json["message"] and missing.headers["WWW-Authenticate"].startswith("Bearer")
    for header in ("Bearer nope", "Basic YWRtaW46cHc=", "Bearer ", "sopu_x"):
        response = client.get("/api/v1/agreements", headers={"Authorization": header})
        assert response.status_code == 401 and response.json["error"] == "unauthorized", header
    # a signed-in browser session is not enough, for reading or for changing
    sign_in(client, admin)
    assert client.get("/").status_code == 200  # the session itself works
    assert client.get("/api/v1/agreements").status_code == 401
    assert (
        client.post("/api/v1/agreements", json={"title": "X", "parties": [orgs[0].business_id]}).status_code
        == 401
    )


def test_scopes_are_checked(client, factory, token):
    agreement, orgs, reps, admin = factory.agreement(parties=1, opened=False)
    read_only = token(admin)
    response = client.post("/api/v1/agreements", json={"title": "X", "parties": []}, headers=read_only)
    assert response.status_code == 403 and response.json["error"] == "scope_missing"
    assert (
        client.post(f"/api/v1/agreements/{agreement.id}/open", headers=read_only).json["error"]
        == "scope_missing"
    )
    rep_write = token(reps[0], Scope.write)
    response = client.post(
        f"/api/v1/documents/{agreement.main_document_id}/signatures",
        json={"place": "Akaa"},
        headers=rep_write,
    )
    assert response.status_code == 403 and response.json["error"] == "scope_missing"


def test_only_an_administrator_changes_agreements(client, factory, token):
    agreement, orgs, reps, admin = factory.agreement(parties=1, opened=False)
    lawyer = factory.user(orgs[0], Role.lawyer)
    factory.session.commit()
    headers = token(lawyer, Scope.write)
    for method, url, kwargs in [
        ("post", "/api/v1/agreements", {"json": {"title": "X", "parties": [orgs[0].business_id]}}),
        (
            "put",
            f"/api/v1/agreements/{agreement.id}/document",
            {"data": {"file": (io.BytesIO(sample_pdf()), "a.pdf")}},
        ),
        ("post", f"/api/v1/agreements/{agreement.id}/open", {}),
        (
            "post",
            f"/api/v1/agreements/{agreement.id}/approvals",
            {"json": {"business_id": orgs[0].business_id, "body": "V", "date": "2026-11-02", "section": "1"}},
        ),
    ]:
        response = getattr(client, method)(url, headers=headers, **kwargs)
        assert response.status_code == 403 and response.json["error"] == "forbidden", url
    assert client.get(f"/api/v1/agreements/{agreement.id}", headers=headers).json["status"] == "draft"


def test_a_revoked_token_or_a_deactivated_user_stops_working(client, factory, token, db):
    agreement, orgs, reps, admin = factory.agreement(parties=1, opened=False)
    headers, rep_headers = token(admin), token(reps[0])
    assert client.get("/api/v1/agreements", headers=headers).status_code == 200
    db.session.query(ApiToken).filter(ApiToken.user_id == admin.id).update({"revoked_at": utcnow()})
    reps[0].active = False
    db.session.commit()
    assert client.get("/api/v1/agreements", headers=headers).status_code == 401
    assert client.get("/api/v1/agreements", headers=rep_headers).status_code == 401


def test_the_whole_loop_through_the_api(app, client, factory, token, tmp_path):
    orgs = [factory.org() for _ in range(3)]
    reps = [factory.user(o, Role.representative) for o in orgs]
    admin = factory.user(orgs[0], Role.administrator)
    factory.session.commit()
    admin_h = token(admin, Scope.write)
    created = client.post(
        "/api/v1/agreements",
        headers=admin_h,
        json={
            "title": "Yhdyspintasopimus",
            "parties": [o.business_id for o in orgs],
            "language": "sv",
            "goals": [{"title": "Hyvinvointi", "description": "Edistäminen"}],
        },
    )
    assert created.status_code == 201, created.json
    agreement_id, document_id = created.json["id"], created.json["document_id"]
    # the parties' people hold their roles in it (as invitations would give them)
    factory.members_by_organisation(factory.session.get(AgreementModel, agreement_id))
    factory.session.commit()
    assert created.json["status"] == "draft" and created.json["entered_into_force_on"] is None
    assert [p["business_id"] for p in created.json["parties"]] == [o.business_id for o in orgs]
    assert created.json["parties"][0] == {
        "name": orgs[0].name,
        "business_id": orgs[0].business_id,
        "approval": None,
        "decisions": [],
        "signature": {"status": "pending", "signed_at": None, "signer": None},
    }
    upload = client.put(
        f"/api/v1/agreements/{agreement_id}/document",
        headers=admin_h,
        data={"file": (io.BytesIO(sample_pdf()), "sopimus.pdf")},
    )
    assert upload.status_code == 201, upload.json
    assert upload.json["version"] == 1 and upload.json["document_id"] == document_id
    assert upload.json["page_count"] == 1 and re.fullmatch(r"[0-9a-f]{64}", upload.json["sha256"])
    opened = client.post(f"/api/v1/agreements/{agreement_id}/open", headers=admin_h)
    assert opened.status_code == 200 and opened.json["status"] == "signing"
    for org in orgs:
        approved = client.post(
            f"/api/v1/agreements/{agreement_id}/approvals",
            headers=admin_h,
            json={
                "business_id": org.business_id,
                "body": "Kunnanvaltuusto",
                "date": "2026-11-02",
                "section": "41",
                "disqualified_members": ["Matti Meikäläinen"],
            },
        )
        assert approved.status_code == 201, approved.json
        assert approved.json["status"] == "signing"  # approved, but nobody has signed yet
    for i, rep in enumerate(reps):
        signed = client.post(
            f"/api/v1/documents/{document_id}/signatures",
            headers=token(rep, Scope.sign),
            json={"place": "Tampere"},
        )
        assert signed.status_code == 201, signed.json
        assert signed.json["party"] == orgs[i].business_id
        assert signed.json["field"] == f"party-{i + 1:02d}" and signed.json["signed_at"].endswith("Z")
        assert signed.json["signer"] == rep.display_name
    today = documents.helsinki_date(utcnow()).isoformat()
    assert signed.json["document_status"] == "in_force"
    assert signed.json["entered_into_force_on"] == today
    detail = client.get(f"/api/v1/agreements/{agreement_id}", headers=admin_h).json
    assert detail["status"] == "in_force" and detail["entered_into_force_on"] == today
    approval = detail["parties"][1]["approval"]
    assert approval == {
        "id": approval["id"],
        "body": "Kunnanvaltuusto",
        "date": "2026-11-02",
        "section": "41",
        "diary_number": "",
        "decision_type": "approve",
        "disqualified_members": ["Matti Meikäläinen"],
        "version": 1,
        "minutes": False,
        "state": "counted",
        "corrects": None,
        "correction_reason": "",
    }
    assert detail["parties"][1]["decisions"] == [approval]
    assert [p["signature"]["signer"] for p in detail["parties"]] == [r.display_name for r in reps]
    listed = client.get("/api/v1/agreements", headers=token(reps[2])).json
    assert listed == {
        "items": [{"id": agreement_id, "title": "Yhdyspintasopimus", "status": "in_force"}],
        "next_cursor": None,
    }
    pdf = client.get(f"/api/v1/documents/{document_id}/pdf", headers=token(reps[1]))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf.data)
    result = app.test_cli_runner().invoke(args=["verify", str(path)])
    assert result.exit_code == 0 and "5 signatures, 0 problems: VALID" in result.output, result.output


def test_visibility(client, factory, token):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    other, *_ = factory.agreement(parties=1, opened=False)
    rep = token(reps[0])
    for url in (
        f"/api/v1/agreements/{other.id}",
        f"/api/v1/documents/{other.main_document_id}/pdf",
        "/api/v1/agreements/999999",
        "/api/v1/documents/999999/pdf",
    ):
        response = client.get(url, headers=rep)
        assert response.status_code == 404 and response.json["error"] == "not_found", url
    assert {a["id"] for a in client.get("/api/v1/agreements", headers=rep).json["items"]} == {agreement.id}
    assert client.get(f"/api/v1/agreements/{agreement.id}", headers=rep).status_code == 200
    admin_h = token(admin)  # the administrator sees every agreement, its own party or not
    assert {a["id"] for a in client.get("/api/v1/agreements", headers=admin_h).json["items"]} == {
        agreement.id,
        other.id,
    }
    assert client.get(f"/api/v1/agreements/{other.id}", headers=admin_h).status_code == 200


@pytest.mark.parametrize(
    ("language", "text"),
    [("sv", "hittades inte"), ("fi", "ei löytynyt"), ("en", "not found"), (None, "ei löytynyt")],
)
def test_messages_follow_accept_language(client, factory, token, language, text):
    agreement, orgs, reps, admin = factory.agreement(parties=1, opened=False)
    headers = token(reps[0]) | ({"Accept-Language": f"{language},en;q=0.5"} if language else {})
    response = client.get("/api/v1/agreements/999999", headers=headers)
    assert response.json["error"] == "not_found" and text in response.json["message"]


def test_an_agreement_is_read_in_a_constant_number_of_queries(app, client, factory, token, db):
    """party_states loads parties, approvals and signatures in bulk: no query per party."""
    counts = []
    for parties in (1, 6):
        agreement, orgs, reps, admin = factory.agreement(parties=parties, opened=False)
        for org in orgs:
            documents.record_approval(
                db.session,
                document_context(),
                agreement.main_document_id,
                org.id,
                admin,
                body="Valtuusto",
                decided_on=utcnow().date(),
                section="1",
            )
        db.session.commit()
        headers = token(admin)
        client.get("/api/v1/agreements", headers=headers)  # warm up first-request work
        count, response = count_statements(
            db.engine, client.get, f"/api/v1/agreements/{agreement.id}", headers=headers
        )
        assert len(response.json["parties"]) == parties
        counts.append(count)
    assert counts[0] == counts[1], counts


def test_openapi_describes_every_route(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.1")
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    routes = {
        (re.sub(r"<(\w+)>", r"{\1}", re.sub(r"<int:\w+>", "{id}", rule.rule.removeprefix("/api/v1"))), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == routes
    schemas = spec["components"]["schemas"]
    refs = set(re.findall(r'"#/components/schemas/(\w+)"', client.get("/api/v1/openapi.json").text))
    assert refs <= set(schemas)
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if path != "/openapi.json":
                assert op["security"] and "401" in op["responses"], (path, method)
