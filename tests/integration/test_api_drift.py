"""Issue 7, item 10: the web form, the API and its OpenAPI document say the same thing. One
e-mail and phone rule for the form and the API; a 405 names the allowed methods; what the
schema accepts the API accepts (an empty business ID, file or place is invalid by both); and
every field the API returns is in the schema."""

import io

import jsonschema_rs
import pytest

from portal.api.openapi import spec
from portal.auth.domain import Role, Scope
from portal.contacts.models import ContactPerson
from tests.factories import bearer
from tests.integration.test_contacts import build_world

ADDRESSES = [  # (address, valid)
    ("<b>@x.y", False),
    ("a@b", False),
    ("a b@kunta.fi", False),
    ("nimi@@kunta.fi", False),
    ("nimi@kunta..fi", False),
    ("nimi@-kunta.fi", False),
    ("nimi.@kunta.fi", False),
    ("nimi@kunta.fi", True),
    ("etu.suku+sopu@tampere.fi", True),
    ("yhteys@example.invalid", True),
    ("äiti@pöytä.fi", True),
]


@pytest.mark.parametrize(("address", "valid"), ADDRESSES)
def test_the_contact_form_and_the_api_judge_an_address_alike(app, factory, login, address, valid):
    world = build_world(factory)
    me = world["me"]
    api = app.test_client().put(
        "/api/v1/me/contact",
        json={"email": address},
        headers=bearer(app, factory.session, world["me_user"], Scope.write),
    )
    client = login(world["me_user"])
    form = client.post(
        f"/contacts/{me.id}", data={**me.details(), "email": address}, headers={"HX-Request": "true"}
    )
    assert (api.status_code, form.status_code) == ((200, 200) if valid else (422, 422))
    factory.session.expire_all()
    assert (factory.session.get(ContactPerson, me.id).email == address) is valid


def test_a_405_names_the_allowed_methods(client):
    api = client.delete("/api/v1/agreements", headers={"Accept-Language": "sv"})
    assert api.status_code == 405 and set(api.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert api.json["error"] == "bad_request" and api.json["message"]
    web = client.get("/logout")
    assert web.status_code == 405 and "POST" in web.headers["Allow"] and "<html" in web.text


def validator(name: str):
    document = spec()
    return jsonschema_rs.Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    )


def request_schema(path: str, method: str, media: str):
    document = spec()
    schema = document["paths"][path][method]["requestBody"]["content"][media]["schema"]
    return jsonschema_rs.Draft202012Validator(schema | {"components": document["components"]})


@pytest.fixture
def world(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    return {
        "agreement": agreement,
        "orgs": orgs,
        "reps": reps,
        "admin": admin,
        "admin_h": bearer(app, factory.session, admin, Scope.read, Scope.write),
        "rep_h": bearer(app, factory.session, reps[0], Scope.read, Scope.sign),
    }


def test_what_the_schema_refuses_the_api_refuses_and_back(client, world):
    approval = {
        "business_id": world["orgs"][0].business_id,
        "body": "Valtuusto",
        "date": "2026-11-02",
        "section": "12",
    }
    url = f"/api/v1/agreements/{world['agreement'].id}/approvals"
    schema = validator("NewApproval")
    for change in ({"business_id": ""}, {"body": "  "}, {"section": ""}, {"business_id": "123"}):
        body = approval | change
        assert not schema.is_valid(body), change
        response = client.post(url, headers=world["admin_h"], json=body)
        assert response.status_code == 422, (change, response.json)
    place = validator("NewAgreement")
    assert not place.is_valid({"title": " ", "parties": [world["orgs"][0].business_id]})
    assert not request_schema("/documents/{id}/signatures", "post", "application/json").is_valid(
        {"place": "   "}
    )
    empty = client.post(
        f"/api/v1/documents/{world['agreement'].main_document_id}/versions",
        headers=world["admin_h"],
        data={"file": (io.BytesIO(b""), "tyhja.pdf")},
    )
    assert empty.status_code == 422 and empty.json["error"] == "pdf_empty"
    upload = request_schema("/documents/{id}/versions", "post", "multipart/form-data")
    assert not upload.is_valid({"file": ""}) and upload.is_valid({"file": "%PDF-1.7"})
    assert schema.is_valid(approval)
    assert client.post(url, headers=world["admin_h"], json=approval).status_code == 201


def undeclared(value, schema: dict, document: dict, path: str = "") -> list[str]:
    """The keys of a returned value that its schema does not declare (recursively)."""
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    parts = schema.get("allOf", [schema])
    if isinstance(value, list):
        items = next((p["items"] for p in parts if "items" in p), {})
        return [k for i, v in enumerate(value) for k in undeclared(v, items, document, f"{path}[{i}]")]
    if not isinstance(value, dict):
        return []
    properties = {}
    for part in parts:
        while "$ref" in part:
            part = document["components"]["schemas"][part["$ref"].rsplit("/", 1)[1]]
        properties |= part.get("properties", {})
    found = [f"{path}.{k}" for k in value if k not in properties]
    return found + [
        k
        for key, v in value.items()
        if key in properties
        for k in undeclared(v, properties[key], document, f"{path}.{key}")
    ]


def test_every_field_returned_is_in_the_schema(app, client, factory, world):
    document = spec()
    lawyer = factory.user(world["orgs"][0], Role.lawyer)
    annex = factory.annex(world["agreement"], lawyer)
    headers = world["admin_h"]
    for path, name in (
        (f"/documents/{annex.id}", "Document"),
        (f"/documents/{world['agreement'].main_document_id}", "Document"),
        (f"/agreements/{world['agreement'].id}", "Agreement"),
    ):
        body = client.get("/api/v1" + path, headers=headers).json
        assert undeclared(body, {"$ref": f"#/components/schemas/{name}"}, document) == [], path
        assert validator(name).is_valid(body), path
    assert (
        client.get(f"/api/v1/documents/{annex.id}", headers=headers).json["versions"][0]["filename"]
        == "liite.pdf"
    )
