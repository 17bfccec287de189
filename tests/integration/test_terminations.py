"""Issue 12, item 5: termination (R5) and dissolution (seed 000 §12). The end date comes from
the agreement's own notice period in calendar months; on it the party's obligations end; the
agreement ends for everyone when fewer than two parties remain; shown to every party."""

import io
from datetime import timedelta

import pytest

from portal.auth.domain import Role, Scope
from portal.lifecycle.models import Termination
from portal.timeutil import helsinki_today
from tests.browser import approve_for, sign_for
from tests.factories import AGREEMENT_TEXT, bearer, sample_pdf

SIX_MONTHS = AGREEMENT_TEXT.replace("irtisanomisaika on 12 kuukautta", "irtisanomisaika on kuusi kuukautta")


@pytest.fixture
def in_force(factory):
    def build(parties: int = 3, text: str = AGREEMENT_TEXT):
        agreement, orgs, reps, admin = factory.agreement(parties=parties, pdf=sample_pdf(text))
        sign_for(factory.session, agreement, reps, place="Tampere")
        approve_for(factory.session, agreement, orgs, admin)
        factory.session.refresh(agreement.main_document)
        assert str(agreement.status) == "in_force"
        return agreement, orgs, reps, admin

    return build


def test_a_notice_ends_the_party_s_obligations_after_the_notice_period(app, client, factory, in_force):
    agreement, orgs, reps, admin = in_force()
    headers = bearer(app, factory.session, admin, Scope.write)
    url = f"/api/v1/agreements/{agreement.id}/terminations"
    # 29 February 2024 + 12 months: the last day of February 2025; that day has passed
    ended = client.post(
        url, headers=headers, json={"business_id": orgs[0].business_id, "received_on": "2024-02-29"}
    )
    assert ended.status_code == 201, ended.json
    assert ended.json["ends_on"] == "2025-02-28" and ended.json["notice_months"] == 12
    assert ended.json["ended"] is True and ended.json["agreement_ends_on"] is None
    recent = helsinki_today() - timedelta(days=1)
    ending = client.post(
        url,
        headers=headers,
        json={
            "business_id": orgs[1].business_id,
            "received_on": recent.isoformat(),
            "decision": "Kunnanvaltuusto § 12",
        },
    )
    assert ending.json["ended"] is False
    ends_on = ending.json["ends_on"]
    assert ends_on > helsinki_today().isoformat()
    # two of three have gone: one party alone cannot be bound, the agreement ends for everyone
    assert ending.json["agreement_ends_on"] == ends_on
    listed = client.get(url, headers=bearer(app, factory.session, reps[2])).json
    assert [(t["business_id"], t["ends_on"]) for t in listed] == [
        (orgs[0].business_id, "2025-02-28"),
        (orgs[1].business_id, ends_on),
    ]
    again = client.post(
        url, headers=headers, json={"business_id": orgs[0].business_id, "received_on": "2024-03-01"}
    )
    assert again.status_code == 409 and again.json["error"] == "terminated_already"


def test_the_notice_period_is_the_agreement_s_own(app, client, factory, in_force):
    agreement, orgs, reps, admin = in_force(parties=2, text=SIX_MONTHS)
    response = client.post(
        f"/api/v1/agreements/{agreement.id}/terminations",
        headers=bearer(app, factory.session, admin, Scope.write),
        json={"business_id": orgs[0].business_id, "received_on": "2026-08-31"},
    )
    assert response.json["notice_months"] == 6 and response.json["ends_on"] == "2027-02-28"
    assert response.json["agreement_ends_on"] == "2027-02-28"  # one party left of two


def test_dissolution_ends_it_at_once(app, client, factory, in_force):
    agreement, orgs, reps, admin = in_force()
    today = helsinki_today()
    response = client.post(
        f"/api/v1/agreements/{agreement.id}/terminations",
        headers=bearer(app, factory.session, admin, Scope.write),
        json={"business_id": orgs[2].business_id, "kind": "dissolution", "received_on": today.isoformat()},
    )
    assert response.json["ends_on"] == today.isoformat() and response.json["ended"] is True
    assert response.json["costs_payable_until"] == f"{today.year}-12-31"
    assert response.json["notice_months"] is None


def test_refusals_change_nothing(app, client, factory, in_force):
    draft, draft_orgs, _reps, draft_admin = factory.agreement(parties=2, opened=False)
    headers = bearer(app, factory.session, draft_admin, Scope.write)
    refused = client.post(
        f"/api/v1/agreements/{draft.id}/terminations",
        headers=headers,
        json={"business_id": draft_orgs[0].business_id, "received_on": "2026-01-01"},
    )
    assert refused.status_code == 409 and refused.json["error"] == "agreement_not_in_force"
    agreement, orgs, reps, admin = in_force(parties=2)
    headers = bearer(app, factory.session, admin, Scope.write)
    url = f"/api/v1/agreements/{agreement.id}/terminations"
    tomorrow = (helsinki_today() + timedelta(days=1)).isoformat()
    future = client.post(
        url,
        headers=headers | {"Accept-Language": "sv"},
        json={"business_id": orgs[0].business_id, "received_on": tomorrow},
    )
    assert future.status_code == 422 and future.json["error"] == "received_in_future"
    assert future.json["message"] == "En uppsägning kan inte ha tagits emot i framtiden."
    outsider = client.post(
        url, headers=headers, json={"business_id": draft_orgs[0].business_id, "received_on": "2026-01-01"}
    )
    assert outsider.status_code == 422 and outsider.json["error"] == "not_a_party"
    rep = client.post(
        url,
        headers=bearer(app, factory.session, reps[0], Scope.write),
        json={"business_id": orgs[0].business_id, "received_on": "2026-01-01"},
    )
    assert rep.status_code == 403
    assert factory.session.query(Termination).count() == 0


def test_the_form_records_it_and_every_party_sees_the_end_date(app, factory, login, in_force):
    agreement, orgs, reps, admin = in_force()
    web = login(admin)
    notice = sample_pdf("Irtisanomisilmoitus")
    response = web.post(
        f"/agreements/{agreement.id}/terminations",
        data={
            "organisation_id": orgs[1].id,
            "kind": "notice",
            "received_on": "2026-03-31",
            "decision": "Kunnanvaltuusto 30.3.2026 § 44",
            "notice": (io.BytesIO(notice), "ilmoitus.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    termination = factory.session.query(Termination).one()
    assert termination.ends_on.isoformat() == "2027-03-31"
    reader = app.test_client()
    reader.post("/language", data={"lang": "sv", "next": "/"})
    reader.post("/login", data={"username": reps[2].username, "password": "pw"})
    page = reader.get(f"/agreements/{agreement.id}").text
    assert f'id="termination-{termination.id}"' in page and "2027" in page
    assert "Uppsägning" in page
    assert reader.get(f"/terminations/{termination.id}/notice").data == notice


def test_an_ended_party_is_read_only(app, client, factory, in_force):
    agreement, orgs, reps, admin = in_force()
    headers = bearer(app, factory.session, admin, Scope.write)
    client.post(
        f"/api/v1/agreements/{agreement.id}/terminations",
        headers=headers,
        json={"business_id": orgs[0].business_id, "received_on": "2024-02-29"},
    )
    ended, bound = (factory.user(org, Role.lawyer) for org in orgs[:2])
    factory.session.commit()
    upload = {"kind": "annex", "title": "Liite", "file": (io.BytesIO(sample_pdf()), "liite.pdf")}
    refused = client.post(
        f"/api/v1/agreements/{agreement.id}/documents",
        headers=bearer(app, factory.session, ended, Scope.write),
        data=upload,
        content_type="multipart/form-data",
    )
    assert refused.status_code == 409 and refused.json["error"] == "party_ended"
    upload["file"] = (io.BytesIO(sample_pdf()), "liite.pdf")
    allowed = client.post(
        f"/api/v1/agreements/{agreement.id}/documents",
        headers=bearer(app, factory.session, bound, Scope.write),
        data=upload,
        content_type="multipart/form-data",
    )
    assert allowed.status_code == 201, allowed.json
    # kept: the ended party still reads the agreement and its termination
    assert (
        client.get(
            f"/api/v1/agreements/{agreement.id}/terminations", headers=bearer(app, factory.session, reps[0])
        ).status_code
        == 200
    )


def test_a_party_that_has_left_has_no_share_of_later_years(app, client, factory, in_force):
    agreement, orgs, reps, admin = in_force()
    headers = bearer(app, factory.session, admin, Scope.write)
    client.post(
        f"/api/v1/agreements/{agreement.id}/terminations",
        headers=headers,
        json={"business_id": orgs[0].business_id, "received_on": "2024-02-29"},
    )
    url = f"/api/v1/agreements/{agreement.id}/costs"
    rows = [{"business_id": o.business_id, "population": 1000} for o in orgs]
    # bound until 28 February 2025: it pays for 2025, not for 2026
    assert (
        client.post(
            url, headers=headers, json={"year": 2025, "total": "30.00", "populations": rows}
        ).status_code
        == 201
    )
    refused = client.post(url, headers=headers, json={"year": 2026, "total": "30.00", "populations": rows})
    assert refused.status_code == 422 and refused.json["error"] == "not_a_party"
    shared = client.post(url, headers=headers, json={"year": 2026, "total": "30.00", "populations": rows[1:]})
    assert [p["share"] for p in shared.json["parties"]] == ["15.00", "15.00"]


def test_with_htmx_the_termination_form_answers_in_its_section(app, factory, login, in_force):
    agreement, orgs, reps, admin = in_force()
    web = login(admin)
    htmx = {"HX-Request": "true"}
    url = f"/agreements/{agreement.id}/terminations"
    future = (helsinki_today() + timedelta(days=2)).isoformat()
    refused = web.post(
        url, data={"organisation_id": orgs[1].id, "kind": "notice", "received_on": future}, headers=htmx
    )
    assert refused.status_code == 422 and "<html" not in refused.text
    assert 'id="terminations"' in refused.text and 'id="received_on-error"' in refused.text
    assert 'href="#received_on"' in refused.text  # the error summary links to the field
    assert factory.session.query(Termination).count() == 0
    missing = web.post(url, data={"organisation_id": orgs[1].id, "kind": "notice"}, headers=htmx)
    assert missing.status_code == 422 and 'id="received_on-error"' in missing.text
    done = web.post(
        url,
        data={"organisation_id": orgs[1].id, "kind": "notice", "received_on": "2026-03-31"},
        headers=htmx,
    )
    assert done.status_code == 200 and "data-feedback" in done.text
    termination = factory.session.query(Termination).one()
    assert f'id="termination-{termination.id}"' in done.text
