"""Issue 8, item 3: every answer of the API is what its OpenAPI document says. The check itself
(tests/api_contract.py) runs on every /api/v1 response of the suite; here, that it is installed
and that it refuses what it should."""

import io

import pytest

from portal.api.openapi import spec
from portal.auth.domain import Role, Scope
from tests.api_contract import ContractBreach, breaches
from tests.factories import bearer, sample_pdf


@pytest.fixture
def world(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    lawyer = factory.user(orgs[0], Role.lawyer)
    annex = factory.annex(agreement, lawyer)
    factory.session.commit()
    return {
        "agreement": agreement,
        "annex": annex,
        "headers": bearer(app, factory.session, admin, Scope.read, Scope.write),
    }


def test_a_documented_answer_passes_and_any_other_is_a_breach(client, world):
    document = spec()
    url = f"/api/v1/documents/{world['annex'].id}"
    body = client.get(url, headers=world["headers"]).json
    assert body["versions"][0]["filename"] and body["flags"]
    path = "/documents/{id}"
    assert breaches(document, path, "get", 200, "application/json", body) == []
    leaked = body | {"versions": [body["versions"][0] | {"storage_key": "x"}]}
    assert breaches(document, path, "get", 200, "application/json", leaked)
    assert breaches(document, path, "get", 200, "application/json", body | {"secret": 1})
    assert breaches(document, path, "get", 200, "application/json", body | {"version": "1"})
    assert breaches(document, path, "get", 409, "application/json", {"error": "x", "message": "y"})
    assert breaches(document, path, "get", 200, "text/html", None)
    assert breaches(document, path, "delete", 200, "application/json", body)
    refused = {"error": "not_found", "message": "Ei löydy"}
    assert breaches(document, path, "get", 404, "application/json", refused) == []
    assert breaches(document, path, "get", 404, "application/json", {"error": "not_found"})


def test_every_response_of_the_suite_is_checked(app, client, world, monkeypatch):
    url = f"/api/v1/agreements/{world['agreement'].id}"
    assert client.get(url, headers=world["headers"]).status_code == 200
    document = spec()
    del document["paths"]["/agreements/{id}"]["get"]["responses"]["200"]
    monkeypatch.setitem(app.extensions, "api_contract", document)
    with pytest.raises(ContractBreach, match="200: not a status the document lists"):
        client.get(url, headers=world["headers"])
    document["paths"]["/agreements/{id}"]["get"]["responses"]["200"] = spec()["paths"]["/documents/{id}"][
        "get"
    ]["responses"]["200"]
    with pytest.raises(ContractBreach, match="required property"):
        client.get(url, headers=world["headers"])


def test_a_wrong_check_digit_is_named_in_json_and_multipart_alike(client, factory, world):
    headers = world["headers"]
    created = client.post(
        "/api/v1/agreements", headers=headers, json={"title": "X", "parties": ["0211675-3"]}
    )
    assert created.status_code == 422 and created.json["error"] == "invalid_business_id"
    assert "0211675-3" in created.json["message"]
    uploaded = client.post(
        f"/api/v1/agreements/{world['agreement'].id}/documents",
        headers=headers,
        data={
            "file": (io.BytesIO(sample_pdf()), "liite.pdf"),
            "kind": "annex_agreement",
            "title": "Liite",
            "parties": "0211675-3",
        },
    )
    assert uploaded.status_code == 422 and uploaded.json["error"] == "invalid_business_id"
    assert "0211675-3" in uploaded.json["message"]
