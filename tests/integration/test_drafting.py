"""Agreements drafted in the web UI by an administrator, and the same fields through the API
(issue 9, item 3)."""

import io
import re
from datetime import date

from sqlalchemy import select

from portal.agreements.models import Agreement
from portal.annexes.checking import main_agreement
from portal.appctx import document_context
from portal.auth.domain import Role, Scope
from portal.documents import services as documents
from tests.factories import bearer, sample_pdf


def the_agreement(session, title):
    session.expire_all()
    return session.scalar(select(Agreement).where(Agreement.title == title))


def draft_form(orgs, **extra):
    return {
        "title": "Yhteistyösopimus",
        "title_sv": "Samarbetsavtal",
        "language": "fi",
        "parties": [o.business_id for o in orgs],
        "goals-0-title": "Hyvinvointi",
        "goals-0-description": "Hyvinvoinnin edistäminen",
        "goals-0-indicators": "Osallisuus\n\nKoettu terveys\n",
        "goals-1-title": "",
        "approvals_required": "y",
        "notice_months": "12",
        "dispute_forum": "courts",
        "action": "save",
    } | extra


def test_an_administrator_drafts_edits_and_opens_an_agreement(client, factory, login):
    orgs = [factory.org() for _ in range(3)]
    admin = factory.user(orgs[0], Role.administrator)
    factory.session.commit()
    login(admin)
    assert "Uusi sopimus" in client.get("/").text
    data = draft_form(orgs) | {"file": (io.BytesIO(sample_pdf()), "sopimus.pdf")}
    created = client.post("/agreements/new", data=data)
    assert created.status_code == 302, created.text
    agreement = the_agreement(factory.session, "Yhteistyösopimus")
    assert [p.organisation_id for p in agreement.parties] == [o.id for o in orgs]
    assert [p.organisation_id for p in agreement.main_document.parties] == [o.id for o in orgs]
    assert (agreement.title_sv, agreement.notice_months, agreement.dispute_forum) == (
        "Samarbetsavtal",
        12,
        "courts",
    )
    assert agreement.approvals_required
    assert agreement.annex_procedure == "steering_group"  # the default (seed 002)
    [goal] = agreement.goals
    assert (goal.title, goal.indicators) == ("Hyvinvointi", "Osallisuus\nKoettu terveys")
    assert agreement.main_document.latest_version.filename == "sopimus.pdf"
    # edited while a draft: a party off, the signatures alone bring it into force
    edit = client.get(f"/agreements/{agreement.id}/edit")
    assert edit.status_code == 200 and orgs[2].business_id in edit.text
    assert re.search(r'<input checked[^>]*name="annex_procedure"[^>]*value="steering_group"', edit.text)
    changed = client.post(
        f"/agreements/{agreement.id}/edit",
        data=draft_form(
            [orgs[1], orgs[0]],
            approvals_required="",
            notice_months="",
            title="Muutettu",
            annex_procedure="own_part",
        ),
    )
    assert changed.status_code == 302, changed.text
    agreement = the_agreement(factory.session, "Muutettu")
    assert [p.organisation_id for p in agreement.parties] == [orgs[1].id, orgs[0].id]
    assert [p.field_name for p in agreement.main_document.parties] == ["party-01", "party-02"]
    assert not agreement.approvals_required and agreement.notice_months is None
    assert agreement.annex_procedure == "own_part"
    assert client.post(f"/agreements/{agreement.id}/open").status_code == 302
    assert client.get(f"/agreements/{agreement.id}/edit").status_code == 409


def test_without_approvals_the_signatures_alone_bring_it_into_force(client, factory, login):
    """Seed 000: no council approval is recorded, and the agreement is in force once signed."""
    orgs = [factory.org() for _ in range(2)]
    reps = [factory.user(o, Role.representative) for o in orgs]
    admin = factory.user(orgs[0], Role.administrator)
    factory.session.commit()
    login(admin)
    client.post(
        "/agreements/new",
        data=draft_form(orgs, approvals_required="") | {"file": (io.BytesIO(sample_pdf()), "sopimus.pdf")},
    )
    agreement = the_agreement(factory.session, "Yhteistyösopimus")
    factory.members_by_organisation(agreement)  # the representatives, as if invited
    ctx = document_context()
    documents.open_for_signature(
        factory.session, ctx, agreement.main_document, admin, title=agreement.title, language="fi"
    )
    for rep, org in zip(reps, orgs, strict=True):
        factory.member(rep, agreement, org)
    factory.session.commit()
    from tests.browser import sign_for

    sign_for(factory.session, agreement, reps)
    factory.session.expire_all()
    assert agreement.status == "in_force" and agreement.entered_into_force_on is not None


def test_the_party_picker_searches_the_register(client, factory, login):
    chosen = factory.org(name="Tampereen kaupunki")
    for i in range(30):
        factory.org(name=f"Pirkkalan kunta {i:02d}")
    admin = factory.user(chosen, Role.administrator)
    factory.session.commit()
    login(admin)
    fragment = client.get(
        "/agreements/party-choices",
        query_string={"party_q": "pirkkala", "parties": [chosen.business_id]},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert fragment.text.startswith('<div id="party-choices"')
    assert fragment.text.count('name="parties"') == 21  # the chosen one and 20 found
    assert f'value="{chosen.business_id}" id="party-{chosen.business_id}" checked' in fragment.text
    # without JavaScript: the search button posts the form and the page shows the matches
    page = client.post("/agreements/new", data={"title": "", "party_q": "kunta 07", "action": "search"})
    assert page.status_code == 200 and "Pirkkalan kunta 07" in page.text
    more = client.post("/agreements/new", data={"title": "", "action": "add_goal", "goals-0-title": "Yksi"})
    assert 'id="goals-1-title"' in more.text


def test_a_draft_needs_a_title_and_a_party(client, factory, login):
    org = factory.org()
    admin = factory.user(org, Role.administrator)
    factory.session.commit()
    login(admin)
    assert client.post("/agreements/new", data=draft_form([], title="Ei osapuolia")).status_code == 422
    assert the_agreement(factory.session, "Ei osapuolia") is None
    assert client.post("/agreements/new", data=draft_form([org], title="")).status_code == 422
    refused = client.post("/agreements/new", data=draft_form([org], notice_months="0", title="Nolla"))
    assert refused.status_code == 422 and the_agreement(factory.session, "Nolla") is None


def test_the_api_takes_the_same_fields(app, client, factory):
    orgs = [factory.org() for _ in range(2)]
    admin = factory.user(orgs[0], Role.administrator)
    factory.session.commit()
    headers = bearer(app, factory.session, admin, Scope.read, Scope.write)
    response = client.post(
        "/api/v1/agreements",
        headers=headers,
        json={
            "title": "Sopimus",
            "title_sv": "Avtal",
            "parties": [o.business_id for o in orgs],
            "goals": [{"title": "Hyvinvointi", "indicators": ["Osallisuus", "Terveys"]}],
            "approvals_required": False,
            "notice_months": 6,
            "valid_until": "2030-12-31",
            "dispute_forum": "general",
            "annex_procedure": "own_part",
        },
    )
    assert response.status_code == 201, response.json
    body = response.json
    # issue 12: each party updates its own part of an annex after entry into force (seed 001)
    assert body["annex_procedure"] == "own_part"
    assert (
        body["title_sv"],
        body["approvals_required"],
        body["notice_months"],
        body["valid_until"],
        body["dispute_forum"],
    ) == ("Avtal", False, 6, "2030-12-31", "general")
    assert body["goals"][0]["indicators"] == ["Osallisuus", "Terveys"]
    # the old body still works, with the defaults
    plain = client.post(
        "/api/v1/agreements",
        headers=headers,
        json={
            "title": "Vanha",
            "parties": [orgs[0].business_id],
            "goals": [{"title": "T", "description": "D"}],
        },
    )
    assert plain.status_code == 201
    assert (plain.json["approvals_required"], plain.json["notice_months"]) == (True, None)
    wrong = client.post(
        "/api/v1/agreements",
        headers=headers,
        json={"title": "X", "parties": [orgs[0].business_id], "dispute_forum": "sword"},
    )
    assert (wrong.status_code, wrong.json["error"]) == (422, "invalid_field")


def test_the_checks_read_the_terms_the_administrator_states(client, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    stated = main_agreement(factory.session, document_context(), agreement)
    assert stated.notice_months == 12  # from the text of the sample agreement
    agreement.notice_months, agreement.valid_until = 6, date(2030, 12, 31)
    agreement.dispute_forum = "arbitration"
    stated = main_agreement(factory.session, document_context(), agreement)
    assert (stated.notice_months, stated.valid_until, stated.dispute_forum) == (
        6,
        date(2030, 12, 31),
        "arbitration",
    )


def test_an_administrator_of_no_party_drafts_and_opens(client, factory):
    """The first administrator, made by `portal admin create-user --admin`, belongs to no party."""
    from portal.people.services import create_person

    orgs = [factory.org() for _ in range(2)]
    create_person(
        factory.session,
        username="ensimmainen",
        email="eka@example.fi",
        administrator=True,
        password="pitkä salasana 1",
    )
    factory.session.commit()
    assert (
        client.post("/login", data={"username": "ensimmainen", "password": "pitkä salasana 1"}).status_code
        == 302
    )
    data = draft_form(orgs) | {"file": (io.BytesIO(sample_pdf()), "sopimus.pdf")}
    assert client.post("/agreements/new", data=data).status_code == 302
    agreement = the_agreement(factory.session, "Yhteistyösopimus")
    assert client.get(f"/agreements/{agreement.id}").status_code == 200
    assert client.post(f"/agreements/{agreement.id}/open").status_code == 302
    page = client.get(f"/agreements/{agreement.id}")
    assert page.status_code == 200 and "Allekirjoitettavana" in page.text


def test_the_swedish_title_shows_in_the_swedish_ui(client, factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=1, opened=False)
    agreement.title_sv = "Samarbetsavtal"
    factory.session.commit()
    login(reps[0])
    assert (
        '<h1 class="agreement-title">Yhteistyösopimus</h1>' in client.get(f"/agreements/{agreement.id}").text
    )
    client.post("/language", data={"lang": "sv"})
    assert '<h1 class="agreement-title">Samarbetsavtal</h1>' in client.get(f"/agreements/{agreement.id}").text
    assert "Samarbetsavtal</a>" in client.get("/").text


def test_only_a_drafts_administrator_is_shown_how_to_prepare_it(factory, login):
    """The "Prepare for signature" section (upload, open) is the draft's administrator's; a
    representative of the draft and the administrator of an opened agreement do not get it."""
    draft, _orgs, reps, admin = factory.agreement(parties=2, opened=False)
    opened, _o, _r, _a = factory.agreement(parties=2, admin=admin)

    def page(user, agreement):
        response = login(user).get(f"/agreements/{agreement.id}")
        assert response.status_code == 200
        return response.text

    upload, open_ = f"/agreements/{draft.id}/document", f"/agreements/{draft.id}/open"
    shown = page(admin, draft)
    assert 'id="prepare-heading"' in shown and upload in shown and open_ in shown
    shown = page(reps[0], draft)
    assert 'id="prepare-heading"' not in shown and upload not in shown
    shown = page(admin, opened)
    assert 'id="prepare-heading"' not in shown and f"/agreements/{opened.id}/document" not in shown
