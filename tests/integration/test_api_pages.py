"""Issue 14 item 1: the API's agreement list a page at a time, with a cursor (?limit=&cursor=,
answering next_cursor), described in the OpenAPI document."""

from portal.api.openapi import spec
from portal.auth.domain import Scope


def test_the_cursor_walks_every_agreement_once(client, factory, token):
    first, _orgs, _reps, admin = factory.agreement(parties=1)
    ids = [first.id] + [factory.agreement(parties=1, admin=admin, opened=False)[0].id for _ in range(4)]
    headers = token(admin, Scope.read)
    seen, cursor, pages = [], None, 0
    while True:
        page = {"limit": 2, "cursor": cursor}
        answer = client.get("/api/v1/agreements", query_string=page, headers=headers)
        assert answer.status_code == 200
        assert len(answer.json["items"]) <= 2
        seen += [a["id"] for a in answer.json["items"]]
        cursor, pages = answer.json["next_cursor"], pages + 1
        if cursor is None:
            break
    assert (seen, pages) == (ids, 3)
    assert set(answer.json["items"][0]) == {"id", "title", "status"}  # the fields it always had
    whole = client.get("/api/v1/agreements", headers=headers).json
    assert [a["id"] for a in whole["items"]] == ids and whole["next_cursor"] is None


def test_a_person_pages_through_their_own_agreements_only(client, factory, token):
    mine, _orgs, reps, admin = factory.agreement(parties=1)
    factory.agreement(parties=1, admin=admin)
    headers = token(reps[0], Scope.read)
    answer = client.get("/api/v1/agreements?limit=1", headers=headers).json
    assert [a["id"] for a in answer["items"]] == [mine.id] and answer["next_cursor"] is None


def test_a_wrong_limit_or_cursor_is_refused_by_name(client, factory, token):
    admin = factory.agreement(parties=1)[3]
    headers = token(admin, Scope.read)
    for query in ("limit=0", "limit=201", "limit=x", "cursor=bm9wZQ", "cursor=%25%25", "cursor=YWZ0ZXI6LTE"):
        refused = client.get(f"/api/v1/agreements?{query}", headers=headers)
        assert refused.status_code == 422, query
        assert refused.json["error"] == "invalid_field" and refused.json["message"]


def test_the_openapi_document_describes_the_pages(client):
    operation = spec()["paths"]["/agreements"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"limit", "cursor"}
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    schema = spec()["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]] if "$ref" in body else body
    assert set(schema["properties"]) == {"items", "next_cursor"}
