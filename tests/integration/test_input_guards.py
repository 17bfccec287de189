"""Issue 7, item 8: input the databases reject is a 4xx with a translated message, never a 500,
on SQLite and PostgreSQL: a NUL (or another control character) in any text field, query
argument, JSON string or file name, and ids beyond what the database holds; file names lose
their control and bidirectional-override characters before they are stored."""

import io

import pytest
import wtforms
from flask_wtf import FlaskForm

from portal.agreements import forms as agreement_forms  # noqa: F401
from portal.annexes import forms as annex_forms  # noqa: F401 (the forms walked below)
from portal.api.openapi import spec
from portal.auth import forms as auth_forms  # noqa: F401
from portal.auth.domain import Role, Scope
from portal.contacts import forms as contact_forms  # noqa: F401
from portal.documents.models import DocumentVersion
from tests.factories import bearer, sample_pdf, sign_in

NUL = "a\x00b"
HUGE = ["99999999999999999999", str(2**63), str(2**63 - 1), str(2**31), str(2**31 - 1)]


def resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "allOf" in schema:
        merged = {"properties": {}}
        for part in schema["allOf"]:
            merged["properties"] |= resolve(part, document).get("properties", {})
        return merged
    return schema


def with_nul(schema: dict, document: dict):
    """A value of the schema's shape with a NUL in its text; None where it holds no text."""
    schema = resolve(schema, document)
    kind = schema.get("type")
    if kind == "string" or "oneOf" in schema:
        return NUL
    if kind == "array":
        item = with_nul(schema.get("items", {}), document)
        return None if item is None else [item]
    if kind == "object":
        inner = {k: with_nul(v, document) for k, v in schema.get("properties", {}).items()}
        inner = {k: v for k, v in inner.items() if v is not None}
        return inner or None
    return None


def api_cases(document: dict):
    """(method, path, content type, field, value) for every text field of every request body
    the OpenAPI document describes."""
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            content = op.get("requestBody", {}).get("content", {})
            for media, body in content.items():
                for field, schema in resolve(body["schema"], document).get("properties", {}).items():
                    if schema.get("contentMediaType"):  # a file: its name carries the NUL
                        yield method, path, media, field, "filename"
                        continue
                    value = with_nul(schema, document)
                    if value is not None:
                        yield method, path, media, field, value


@pytest.fixture
def world(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    lawyer = factory.user(orgs[0], Role.lawyer)
    annex = factory.annex(agreement, lawyer)
    factory.session.commit()
    return {
        "agreement": agreement,
        "orgs": orgs,
        "reps": reps,
        "admin": admin,
        "annex": annex,
        "admin_h": bearer(app, factory.session, admin, Scope.read, Scope.write),
        "rep_h": bearer(app, factory.session, reps[0], Scope.read, Scope.write, Scope.sign),
    }


def api_url(path: str, world: dict) -> str:
    documents = ("/documents/{id}/flags", "/documents/{id}/open")
    target = world["annex"].id if path.startswith(documents) else world["agreement"].main_document_id
    if path.startswith("/agreements/"):
        target = world["agreement"].id
    return "/api/v1" + path.replace("{id}", str(target)).replace("{code}", "costs")


def test_every_api_text_field_refuses_a_nul(client, factory, world):
    document = spec()
    cases = list(api_cases(document))
    assert len(cases) >= 25  # every field of every body, found in the OpenAPI document
    failures = []
    for method, path, media, field, value in cases:
        scope = document["paths"][path][method]["security"][0]["bearer"][0]
        headers = world["rep_h"] if scope == "sign" else world["admin_h"]
        if media == "application/json":
            kwargs = {"json": {field: value}}
        elif value == "filename":
            kwargs = {"data": {field: (io.BytesIO(sample_pdf()), "liite\x00.pdf")}}
        else:
            kwargs = {"data": {field: value, "file": (io.BytesIO(sample_pdf()), "liite.pdf")}}
        before = factory.session.query(DocumentVersion).count()
        response = client.open(api_url(path, world), method=method.upper(), headers=headers, **kwargs)
        body = response.json or {}
        if response.status_code != 422 or body.get("error") != "invalid_characters":
            failures.append(f"{method} {path} {field}: {response.status_code} {body}")
        elif field.split(".")[0] not in body["message"] or "NUL" not in body["message"]:
            failures.append(f"{method} {path} {field}: message {body['message']!r}")
        factory.session.rollback()
        if factory.session.query(DocumentVersion).count() != before:
            failures.append(f"{method} {path} {field}: stored a version")
    assert failures == []


def test_a_nul_in_a_query_argument_or_path_and_a_lone_surrogate_are_refused(client, world):
    main = world["agreement"].main_document_id
    query = client.get(f"/api/v1/documents/{main}?lang=%00", headers=world["admin_h"])
    assert query.status_code == 422 and query.json["error"] == "invalid_characters"
    path = client.post(
        f"/api/v1/documents/{world['annex'].id}/flags/co%00sts/acknowledge",
        headers=world["admin_h"],
        json={"justification": "Perusteltu pitkästi"},
    )
    assert path.status_code == 404 and path.json["error"] == "not_found"
    surrogate = client.post(
        f"/api/v1/documents/{main}/signatures",
        headers=world["rep_h"],
        data='{"place": "\\ud800"}',
        content_type="application/json",
    )
    assert surrogate.status_code == 422 and surrogate.json["error"] == "invalid_characters"
    deep = client.post(
        f"/api/v1/documents/{main}/signatures",
        headers=world["rep_h"],
        data="[" * 100_000 + "]" * 100_000,
        content_type="application/json",
    )
    assert deep.status_code == 400 and deep.json["error"] == "bad_request"
    page = client.get("/login?next=%00")
    assert page.status_code == 422 and "NUL" in page.text


def form_fields() -> set[str]:
    """The name of every field of every form of the web UI."""
    names, forms = set(), list(FlaskForm.__subclasses__())
    while forms:
        form = forms.pop()
        forms.extend(form.__subclasses__())
        names |= {
            name
            for name in dir(form)
            if isinstance(getattr(form, name, None), wtforms.fields.core.UnboundField)
        }
    return names


def test_every_web_form_field_refuses_a_nul(app, client, world):
    fields = form_fields()
    assert {"username", "password", "title", "email", "justification", "body"} <= fields
    sign_in(client, world["admin"])
    posts = [
        r
        for r in app.url_map.iter_rules()
        if r.methods & {"POST", "PUT", "PATCH", "DELETE"} and not r.rule.startswith("/api/")
    ]
    failures = []
    for rule in posts:
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<int:{arg}>", str(world["agreement"].id)).replace(f"<{arg}>", "x")
        for field in sorted(fields):
            response = client.post(url, data={field: NUL})
            if response.status_code != 422 or "NUL" not in response.text:
                failures.append(f"{url} {field}: {response.status_code}")
    assert failures == []
    anonymous = app.test_client().post(
        "/login", data={"username": NUL, "password": "pw"}, headers={"HX-Request": "true"}
    )
    assert anonymous.status_code == 422 and "NUL" in anonymous.text
    assert "<html" not in anonymous.text  # htmx gets the message fragment


def test_a_nul_in_an_uploaded_file_name_is_refused_on_the_web(client, world):
    sign_in(client, world["admin"])
    response = client.post(
        f"/documents/{world['annex'].id}/versions", data={"file": (io.BytesIO(sample_pdf()), "liite\x00.pdf")}
    )
    assert response.status_code == 422 and len(world["annex"].versions) == 1


def test_ids_beyond_what_the_database_holds_are_not_found(app, client, world):
    """PostgreSQL: integer out of range (beyond 32 bits); SQLite: Python int too large to
    convert (beyond 64 bits): a 500 before. The largest id it holds is simply not found."""
    sign_in(client, world["admin"])
    failures = []
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        for huge in HUGE:
            url = rule.rule
            for arg in rule.arguments:
                url = url.replace(f"<int:{arg}>", huge).replace(f"<{arg}>", "costs")
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                signing = rule.endpoint in ("api.document_sign", "api.document_external_signature")
                headers = world["rep_h" if signing else "admin_h"]
                response = client.open(url, method=method, headers=headers)
                if response.status_code != 404:
                    failures.append(f"{method} {url}: {response.status_code}")
                elif url.startswith("/api/") and response.json["error"] != "not_found":
                    failures.append(f"{method} {url}: {response.json}")
    assert failures == []
    page = client.get(f"/documents/{HUGE[0]}")  # in the user's language
    assert page.status_code == 404 and "ei löytynyt" in page.text


def test_file_names_lose_control_and_bidi_characters(client, factory, world):
    """ "liite\u202efdp.exe" shows as "liiteexe.pdf" in a browser: stored as "liitefdp.exe"."""
    main = world["agreement"].main_document_id
    response = client.post(
        f"/api/v1/documents/{main}/versions",
        headers=world["admin_h"],
        data={"file": (io.BytesIO(sample_pdf()), "\u200fliite\u202efdp\u2066.exe")},
    )
    assert response.status_code == 201, response.json
    detail = client.get(f"/api/v1/documents/{main}", headers=world["admin_h"]).json
    assert detail["versions"][-1]["filename"] == "liitefdp.exe"
    sign_in(client, world["admin"])
    client.post(
        f"/documents/{world['annex'].id}/versions",
        data={"file": (io.BytesIO(sample_pdf()), "C:/temp/uusi\u202a liite\u2069\x7f.pdf")},
    )
    factory.session.expire_all()
    assert [v.filename for v in world["annex"].versions] == ["liite.pdf", "uusi liite.pdf"]
