"""The organisations register through the API, the web pages and the CSV import (issue 9, 2)."""

import io

import pytest
from sqlalchemy import func, select

from portal.auth.domain import Role, Scope
from portal.organisations.models import Organisation
from tests.factories import bearer

TAMPERE = {
    "business_id": "0211675-2",
    "name": "Tampereen kaupunki",
    "name_sv": "Tammerfors stad",
    "kind": "municipality",
    "address": {"street": "Aleksis Kiven katu 14-16", "postal_code": "33210", "city": "Tampere"},
}
HEADER = "business_id;name;name_sv;kind;street_address;postal_code;city\n"
ROWS = (
    "0211675-2;Tampereen kaupunki;Tammerfors stad;municipality;Aleksis Kiven katu 14;33210;"
    "Tampere\n"
    "0150412-0;Pirkanmaan liitto;Birkalands förbund;regional_council;Kelloportinkatu 1;33100;"
    "Tampere\n"
)


@pytest.fixture
def admin(factory):
    user = factory.user(factory.org(), Role.administrator)
    factory.session.commit()
    return user


@pytest.fixture
def api(app, factory, admin):
    return bearer(app, factory.session, admin, Scope.read, Scope.write)


def count(session) -> int:
    return session.scalar(select(func.count(Organisation.id)))


def test_register_read_and_change_through_the_api(client, factory, api):
    created = client.post("/api/v1/organisations", json=TAMPERE, headers=api)
    assert created.status_code == 201, created.json
    assert created.json == TAMPERE
    found = client.get("/api/v1/organisations?q=tammerfors", headers=api)
    assert [o["business_id"] for o in found.json] == ["0211675-2"]
    changed = client.patch(
        "/api/v1/organisations/0211675-2", headers=api, json={"name_sv": None, "address": {"city": "Tampere"}}
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["name_sv"] is None and changed.json["name"] == "Tampereen kaupunki"
    assert changed.json["address"] == {"street": "", "postal_code": "", "city": "Tampere"}
    renamed = client.patch(
        "/api/v1/organisations/0211675-2", headers=api, json={"kind": "company", "business_id": "0150412-0"}
    )
    assert renamed.json["kind"] == "company"
    assert client.get("/api/v1/organisations?q=0150412", headers=api).json[0]["name"] == "Tampereen kaupunki"


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        (TAMPERE | {"business_id": "0211675-3"}, 422, "invalid_business_id"),  # wrong check digit
        (TAMPERE | {"kind": "city"}, 422, "invalid_field"),
        (TAMPERE | {"name": "  "}, 422, "invalid_field"),
        ({k: v for k, v in TAMPERE.items() if k != "kind"}, 422, "invalid_field"),
    ],
)
def test_a_faulty_organisation_is_refused(client, factory, api, body, status, error):
    before = count(factory.session)
    response = client.post("/api/v1/organisations", json=body, headers=api)
    assert (response.status_code, response.json["error"]) == (status, error)
    assert count(factory.session) == before


def test_a_business_id_registered_again_is_a_409(client, factory, api):
    assert client.post("/api/v1/organisations", json=TAMPERE, headers=api).status_code == 201
    again = client.post("/api/v1/organisations", json=TAMPERE | {"name": "Toinen"}, headers=api)
    assert (again.status_code, again.json["error"]) == (409, "business_id_taken")
    assert "0211675-2" in again.json["message"]
    other = factory.org()
    factory.session.commit()
    taken = client.patch(
        f"/api/v1/organisations/{other.business_id}", headers=api, json={"business_id": "0211675-2"}
    )
    assert (taken.status_code, taken.json["error"]) == (409, "business_id_taken")
    assert client.patch("/api/v1/organisations/0150412-0", headers=api, json={"name": "X"}).status_code == 404


def test_an_agreement_may_name_a_party_registered_through_the_api(client, api):
    assert client.post("/api/v1/organisations", json=TAMPERE, headers=api).status_code == 201
    created = client.post(
        "/api/v1/agreements", headers=api, json={"title": "Sopimus", "parties": ["0211675-2"]}
    )
    assert created.status_code == 201, created.json


def test_the_register_page_creates_edits_and_searches(client, factory, login, admin):
    login(admin)
    form = {
        "business_id": "0211675-2",
        "name": "Tampereen kaupunki",
        "name_sv": "Tammerfors stad",
        "kind": "municipality",
        "street_address": "Aleksis Kiven katu 14-16",
        "postal_code": "33210",
        "city": "Tampere",
    }
    wrong = client.post("/admin/organisations/new", data=form | {"business_id": "0211675-3"})
    assert wrong.status_code == 422 and "tarkistusmerk" in wrong.text
    assert client.post("/admin/organisations/new", data=form).status_code == 302
    again = client.post("/admin/organisations/new", data=form)
    assert again.status_code == 422 and "0211675-2" in again.text
    tampere = factory.session.scalar(select(Organisation).where(Organisation.business_id == "0211675-2"))
    assert (tampere.name_sv, tampere.city) == ("Tammerfors stad", "Tampere")
    assert (
        client.post(f"/admin/organisations/{tampere.id}", data=form | {"name": "Tampere"}).status_code == 302
    )
    factory.session.expire_all()
    assert tampere.name == "Tampere"
    page = client.get("/admin/organisations?q=TAMMERFORS")
    assert f'id="organisation-{tampere.id}"' in page.text
    fragment = client.get("/admin/organisations?q=0211675", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="organisation-results"' in fragment.text
    assert f'id="organisation-{tampere.id}"' in fragment.text


def test_the_register_pages_through_many(client, factory, login, admin):
    for i in range(30):
        factory.org(name=f"Kunta {i:02d}")
    factory.session.commit()
    login(admin)
    first = client.get("/admin/organisations?q=Kunta")
    assert "Kunta 00" in first.text and "Kunta 29" not in first.text and 'rel="next"' in first.text
    second = client.get("/admin/organisations?q=Kunta&page=2")
    assert "Kunta 29" in second.text and 'rel="prev"' in second.text
    assert client.get("/admin/organisations?page=x").status_code == 200


def upload(client, data: bytes):
    return client.post("/admin/organisations/import", data={"file": (io.BytesIO(data), "organisaatiot.csv")})


def test_importing_the_same_file_twice_changes_nothing(client, factory, login, admin):
    login(admin)
    data = ("\ufeff" + HEADER + ROWS).encode()
    before = count(factory.session)
    first = upload(client, data)
    assert first.status_code == 302
    assert "2 uutta" in client.get("/admin/organisations").text
    assert count(factory.session) == before + 2
    assert upload(client, data).status_code == 302
    assert "0 uutta, 0 päivitetty, 2 ennallaan" in client.get("/admin/organisations").text
    assert count(factory.session) == before + 2
    # a name corrected in the file updates the register
    upload(client, (HEADER + ROWS.replace("Pirkanmaan liitto", "Pirkanmaan Liitto")).encode())
    assert "0 uutta, 1 päivitetty, 1 ennallaan" in client.get("/admin/organisations").text


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (
            (HEADER + ROWS + "0211675-3;Väärä;;municipality;;;\n").encode(),
            "Rivi 4: 0211675-3 ei ole kelvollinen Y-tunnus",
        ),
        ((HEADER + ROWS + ROWS.splitlines()[0] + "\n").encode(), "Rivi 4: Y-tunnus 0211675-2"),
        ((HEADER + ROWS + "0201256-6;Kunta;;kunta;;;\n").encode(), "Rivi 4:"),
    ],
)
def test_a_faulty_line_refuses_the_whole_file(client, factory, login, admin, data, said):
    login(admin)
    before = count(factory.session)
    refused = upload(client, data)
    assert refused.status_code == 422
    assert said in refused.text and "Mitään ei tuotu" in refused.text
    assert count(factory.session) == before


def test_a_file_that_is_not_utf8_says_so_in_the_readers_language(client, factory, login, admin):
    login(admin)
    client.post("/language", data={"lang": "sv"})
    before = count(factory.session)
    refused = upload(client, (HEADER + ROWS).encode("latin-1"))
    assert refused.status_code == 422 and "UTF-8" in refused.text and "Ingenting" in refused.text
    assert count(factory.session) == before


def test_a_registered_business_id_in_the_file_is_updated_not_duplicated(client, factory, login, admin):
    existing = factory.org(name="Vanha nimi")
    factory.session.commit()
    login(admin)
    line = f"{existing.business_id};Uusi nimi;;municipality;;;\n"
    assert upload(client, (HEADER + line).encode()).status_code == 302
    factory.session.expire_all()
    assert existing.name == "Uusi nimi"
    assert (
        factory.session.scalar(
            select(func.count(Organisation.id)).where(Organisation.business_id == existing.business_id)
        )
        == 1
    )
