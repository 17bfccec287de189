"""Issue 12, item 8: cost sharing (R9; seed 000 §10). Shares to the cent summing exactly to the
total, a joint municipal authority counted as a third; per year; CSV import and export; a PDF."""

import io
from decimal import Decimal

from portal.auth.domain import Role, Scope
from portal.costs.models import CostTable
from portal.organisations.domain import OrganisationKind
from tests.factories import bearer


def world(factory):
    agreement, orgs, reps, admin = factory.agreement(parties=3, opened=False)
    orgs[2].kind = OrganisationKind.joint_authority
    factory.session.commit()
    return agreement, orgs, admin


def test_the_api_shares_the_total_to_the_cent(app, client, factory):
    agreement, orgs, admin = world(factory)
    headers = bearer(app, factory.session, admin, Scope.write)
    body = {
        "year": 2027,
        "total": "100000.00",
        "populations": [
            {
                "business_id": orgs[0].business_id,
                "population": 239_321,
                "source": "Tilastokeskus",
                "reference_date": "2026-12-31",
            },
            {"business_id": orgs[1].business_id, "population": 35_511},
            {"business_id": orgs[2].business_id, "population": 90_000},
        ],
    }
    response = client.post(f"/api/v1/agreements/{agreement.id}/costs", headers=headers, json=body)
    assert response.status_code == 201, response.json
    shares = {p["business_id"]: p["share"] for p in response.json["parties"]}
    assert sum(Decimal(s) for s in shares.values()) == Decimal("100000.00")
    assert all(s.count(".") == 1 and len(s.split(".")[1]) == 2 for s in shares.values())
    # weights 239321 : 35511 : 30000 (the joint authority's 90000 / 3)
    assert shares[orgs[2].business_id] == "9841.49"
    assert response.json["parties"][2]["joint_authority"] is True
    assert response.json["parties"][0]["reference_date"] == "2026-12-31"
    listed = client.get(f"/api/v1/agreements/{agreement.id}/costs", headers=headers).json
    assert [t["year"] for t in listed] == [2027] and listed[0]["total"] == "100000.00"
    again = client.post(f"/api/v1/agreements/{agreement.id}/costs", headers=headers, json=body)
    assert again.status_code == 409 and again.json["error"] == "costs_exist"


def test_refusals_change_nothing(app, client, factory):
    agreement, orgs, admin = world(factory)
    headers = bearer(app, factory.session, admin, Scope.write)
    url = f"/api/v1/agreements/{agreement.id}/costs"
    rows = [{"business_id": o.business_id, "population": 1000} for o in orgs]
    for body, code in [
        ({"year": 2027, "total": "10.005", "populations": rows}, "costs_total_cents"),
        ({"year": 2027, "total": "10.00", "populations": rows[:2]}, "population_missing"),
        (
            {"year": 2027, "total": "10.00", "populations": [{**r, "population": 0} for r in rows]},
            "costs_no_population",
        ),
        ({"year": 2027, "total": "-1", "populations": rows}, "costs_total_cents"),
        ({"year": 2027, "total": "1e13", "populations": rows}, "invalid_field"),
    ]:
        response = client.post(url, headers=headers, json=body)
        assert response.status_code == 422 and response.json["error"] == code, (body, response.json)
    lawyer = factory.user(orgs[0], Role.lawyer)
    factory.session.commit()
    forbidden = client.post(
        url,
        headers=bearer(app, factory.session, lawyer, Scope.write),
        json={"year": 2027, "total": "10.00", "populations": rows},
    )
    assert forbidden.status_code == 403
    assert factory.session.query(CostTable).count() == 0


def test_the_page_imports_a_csv_and_exports_csv_and_pdf(app, factory, login):
    agreement, orgs, admin = world(factory)
    web = login(admin)
    csv = "Y-tunnus;asukasluku;lähde;ajankohta\n" + "\n".join(
        f"{o.business_id};{p};Tilastokeskus;2026-12-31"
        for o, p in zip(orgs, ["10 000", "20000", "30000"], strict=True)
    )
    response = web.post(
        f"/agreements/{agreement.id}/costs",
        data={"year": "2028", "total": "1000.00", "csv": (io.BytesIO(csv.encode()), "asukkaat.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.text
    table = factory.session.query(CostTable).one()
    assert [r.share for r in table.rows] == [Decimal("250.00"), Decimal("500.00"), Decimal("250.00")]
    exported = web.get(f"/agreements/{agreement.id}/costs/2028.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    assert exported.text.splitlines()[1].endswith(",10000,no,Tilastokeskus,250.00")
    pdf = web.get(f"/agreements/{agreement.id}/costs/2028.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    page = web.get(f"/agreements/{agreement.id}/costs")
    assert 'id="costs-2028"' in page.text


def test_the_form_refuses_a_missing_population_with_a_message(app, factory, login):
    agreement, orgs, admin = world(factory)
    web = login(admin)
    web.post("/language", data={"lang": "fi", "next": "/"})
    data = {"year": "2029", "total": "10.00"}
    for i, org in enumerate(orgs[:2]):
        data |= {f"populations-{i}-business_id": org.business_id, f"populations-{i}-population": "100"}
    response = web.post(f"/agreements/{agreement.id}/costs", data=data)
    assert response.status_code == 422
    assert "Anna jokaisen osapuolen asukasluku." in response.text
    assert factory.session.query(CostTable).count() == 0
