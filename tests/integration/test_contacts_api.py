"""The contact-person API: GET/PUT /me/contact and GET /agreements/{id}/contacts — tokens,
scopes, whose entries a token reaches, validation, and the written notice a PUT queues."""

import pytest
from sqlalchemy import select

from portal.auth.domain import Role, Scope
from portal.auth.models import User
from portal.contacts import services
from portal.contacts.models import ContactPerson
from portal.mail.models import OutboxMail
from tests.integration.test_contacts import build_world


@pytest.fixture
def world(factory):
    return build_world(factory)


@pytest.fixture
def api(app, db):
    return app.test_client()


def notices(session) -> list[OutboxMail]:
    return list(
        session.scalars(
            select(OutboxMail).where(OutboxMail.kind == "contact_changed").order_by(OutboxMail.id)
        )
    )


def test_me_contact_lists_ones_own_entries_in_every_agreement(db, factory, world, api, token):
    me = world["me"]
    other_agreement, orgs_b, _, _ = factory.agreement(parties=1, admin=world["admin"])
    second = services.add_contact(
        factory.session,
        other_agreement.id,
        orgs_b[0].id,
        name=me.name,
        email=me.email,
        user_id=world["me_user"].id,
    )
    factory.session.commit()
    response = api.get("/api/v1/me/contact", headers=token(world["me_user"]))
    assert response.status_code == 200
    assert [c["id"] for c in response.json] == [me.id, second.id]
    assert response.json[0] == {
        "id": me.id,
        "agreement_id": world["a"].id,
        "party": world["orgs"][0].business_id,
        "name": me.name,
        "title": "Suunnittelija",
        "email": me.email,
        "phone": "040 111",
        "language": "fi",
    }


def test_me_contact_needs_a_token_and_an_entry(db, world, api, token):
    assert api.get("/api/v1/me/contact").status_code == 401
    assert api.put("/api/v1/me/contact", json={"phone": "1"}).status_code == 401
    for user in (world["admin"], world["reps"][0]):  # nobody's contact person
        assert api.get("/api/v1/me/contact", headers=token(user)).status_code == 404
        response = api.put("/api/v1/me/contact", headers=token(user, Scope.write), json={"phone": "1"})
        assert response.status_code == 404 and response.json["error"] == "not_found"


def test_put_needs_the_write_scope(db, world, api, token):
    response = api.put(
        "/api/v1/me/contact", headers=token(world["me_user"], Scope.read), json={"phone": "050 1"}
    )
    assert response.status_code == 403 and response.json["error"] == "scope_missing"
    assert db.session.get(ContactPerson, world["me"].id).phone == "040 111"
    assert notices(db.session) == []


def test_put_changes_ones_details_and_tells_the_other_parties(db, world, api, token):
    headers = token(world["me_user"], Scope.write)
    response = api.put(
        "/api/v1/me/contact", headers=headers, json={"phone": "+358 50 123 4567", "language": "sv"}
    )
    assert response.status_code == 200, response.text
    assert response.json[0]["phone"] == "+358 50 123 4567" and response.json[0]["language"] == "sv"
    assert response.json[0]["name"] == world["me"].name  # untouched fields stay
    db.session.expire_all()
    assert db.session.get(ContactPerson, world["me"].id).phone == "+358 50 123 4567"
    mails = notices(db.session)
    assert sorted(m.recipient for m in mails) == sorted([world["fi"].email, world["sv"].email])
    assert {m.recipient: m.language for m in mails}[world["sv"].email] == "sv"
    # the same details again: nothing changes, nobody is told twice
    again = api.put(
        "/api/v1/me/contact", headers=headers, json={"phone": "+358 50 123 4567", "language": "sv"}
    )
    assert again.status_code == 200 and len(notices(db.session)) == 2


@pytest.mark.parametrize(
    "body, field",
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": ""}, "email"),
        ({"name": "  "}, "name"),
        ({"phone": "040 abc"}, "phone"),
        ({"language": "de"}, "language"),
        ({"name": "x" * 201}, "name"),
        ({"phone": 40111}, "phone"),
        ({"title": None}, "title"),
    ],
)
def test_put_refuses_invalid_details(db, world, api, token, body, field):
    response = api.put("/api/v1/me/contact", headers=token(world["me_user"], Scope.write), json=body)
    assert response.status_code == 422 and response.json["error"] == "invalid_field"
    assert field in response.json["message"]
    assert db.session.get(ContactPerson, world["me"].id).phone == "040 111"
    assert notices(db.session) == []


def test_put_refuses_a_body_that_is_not_an_object(db, world, api, token):
    response = api.put("/api/v1/me/contact", headers=token(world["me_user"], Scope.write), json=["phone"])
    assert response.status_code == 400


def test_a_token_reaches_only_its_own_entry(db, factory, world, api, token):
    """A contact person of party A changes only their own entry, never B's contact person's."""
    other = world["fi"]
    other_user = factory.user(world["orgs"][1], Role.contact_person)
    other.user_id = other_user.id
    factory.session.commit()
    response = api.put(
        "/api/v1/me/contact",
        headers=token(world["me_user"], Scope.write),
        json={"email": "me@example.invalid"},
    )
    assert [c["id"] for c in response.json] == [world["me"].id]
    db.session.expire_all()
    assert db.session.get(ContactPerson, other.id).email != "me@example.invalid"
    theirs = api.get("/api/v1/me/contact", headers=token(other_user)).json
    assert [c["id"] for c in theirs] == [other.id]


def test_agreement_contacts_grouped_by_party(db, world, api, token):
    a = world["a"]
    response = api.get(f"/api/v1/agreements/{a.id}/contacts", headers=token(world["me_user"]))
    assert response.status_code == 200 and response.json["next_cursor"] is None
    parties = response.json["items"]
    assert [p["party"]["business_id"] for p in parties] == [o.business_id for o in world["orgs"]]
    assert parties[0]["party"]["name"] == world["orgs"][0].name
    ids = [[c["id"] for c in p["contacts"]] for p in parties]
    assert ids == [[world["me"].id, world["colleague"].id], [world["fi"].id], [world["sv"].id]]
    assert parties[2]["contacts"][0]["language"] == "sv"  # the retired one is not listed


def test_agreement_contacts_a_page_of_parties_at_a_time(db, world, api, token):
    path, headers = f"/api/v1/agreements/{world['a'].id}/contacts", token(world["me_user"])
    first = api.get(f"{path}?limit=2", headers=headers).json
    assert [p["party"]["business_id"] for p in first["items"]] == [o.business_id for o in world["orgs"][:2]]
    rest = api.get(path, query_string={"limit": 2, "cursor": first["next_cursor"]}, headers=headers).json
    assert [p["party"]["business_id"] for p in rest["items"]] == [world["orgs"][2].business_id]
    assert rest["next_cursor"] is None and rest["items"][0]["contacts"][0]["id"] == world["sv"].id
    assert api.get(f"{path}?cursor=x", headers=headers).status_code == 422


def test_agreement_contacts_only_for_those_who_see_the_agreement(db, world, api, token):
    a, b = world["a"], world["b"]
    assert api.get(f"/api/v1/agreements/{a.id}/contacts").status_code == 401
    user = db.session.get(User, world["elsewhere"].user_id)  # a contact of B's party only
    response = api.get(f"/api/v1/agreements/{a.id}/contacts", headers=token(user))
    assert response.status_code == 404 and response.json["error"] == "not_found"
    assert api.get(f"/api/v1/agreements/{b.id}/contacts", headers=token(world["me_user"])).status_code == 404
    assert api.get("/api/v1/agreements/999999/contacts", headers=token(world["admin"])).status_code == 404
    assert api.get(f"/api/v1/agreements/{a.id}/contacts", headers=token(world["admin"])).status_code == 200
