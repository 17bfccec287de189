"""Issue 13 item 1: a home page per person: what waits for them first (sign, acknowledge a
warning, record decisions, review a new version), then their agreements with where each stands,
filtered and a page at a time."""

import re
from datetime import date

from portal.agreements.domain import Status
from portal.agreements.home import PAGE_SIZE
from portal.appctx import document_context
from portal.auth.domain import Role
from portal.contacts.services import add_contact
from portal.documents import services as documents
from tests.factories import AGREEMENT_TEXT

WARNING_TEXT = AGREEMENT_TEXT + "\nKustannukset jaetaan asukasluvun mukaan."


def waiting_region(page: str) -> str:
    return page[page.index('id="waiting"') : page.index('id="agreements-heading"')]


def test_a_representative_sees_the_signature_waiting_first(factory, login):
    agreement, orgs, reps, _admin = factory.agreement(parties=3)
    page = login(reps[1]).get("/").text
    waiting = waiting_region(page)
    assert f'href="/documents/{agreement.main_document_id}/read"' in waiting  # read, then sign
    assert "Allekirjoita" in waiting  # the sign action, in the person's language (fi)
    assert page.index('id="waiting"') < page.index('id="agreement-list"')


def test_nothing_waits_once_the_party_has_signed_or_the_agreement_is_a_draft(factory, login):
    draft, _orgs, reps, _admin = factory.agreement(parties=2, opened=False)
    waiting = waiting_region(login(reps[0]).get("/").text)
    assert f"/agreements/{draft.id}" not in waiting
    assert "waiting-list__item" not in waiting


def test_a_lawyer_sees_the_warning_to_acknowledge(factory, login):
    agreement, orgs, _reps, _admin = factory.agreement(parties=2)
    lawyer = factory.user(orgs[0], Role.lawyer)
    annex = factory.annex(agreement, lawyer, WARNING_TEXT)
    waiting = waiting_region(login(lawyer).get("/").text)
    assert f'href="/documents/{annex.id}"' in waiting
    assert "waiting-list__item--acknowledge" in waiting
    other_party_lawyer = factory.user(factory.org(), Role.lawyer)
    assert "waiting-list__item" not in waiting_region(login(other_party_lawyer, fresh=True).get("/").text)


def test_a_lawyer_sees_a_new_version_to_review(factory, login):
    agreement, orgs, _reps, _admin = factory.agreement(parties=2)
    uploader = factory.user(orgs[0], Role.lawyer)
    reader = factory.user(orgs[1], Role.lawyer)
    annex = factory.annex(agreement, uploader)
    waiting = waiting_region(login(reader).get("/").text)
    assert "waiting-list__item--review" in waiting and f"/documents/{annex.id}" in waiting


def test_the_secretary_sees_the_decisions_to_record_until_all_are_in(factory, login):
    agreement, orgs, _reps, admin = factory.agreement(parties=2)
    client = login(admin)
    assert "waiting-list__item--decide" in waiting_region(client.get("/").text)
    for org in orgs:
        documents.record_approval(
            factory.session,
            document_context(),
            agreement.main_document_id,
            org.id,
            admin,
            body="Kunnanvaltuusto",
            decided_on=date(2026, 11, 2),
            section="12",
        )
    factory.session.commit()
    assert "waiting-list__item--decide" not in waiting_region(client.get("/").text)


def test_the_list_shows_where_each_agreement_stands(factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=5)
    documents.record_approval(
        factory.session,
        document_context(),
        agreement.main_document_id,
        orgs[0].id,
        admin,
        body="Kunnanvaltuusto",
        decided_on=date(2026, 11, 2),
        section="12",
    )
    factory.session.commit()
    page = login(admin, fresh=True).get("/").text
    listing = page[page.index('id="agreement-list"') :]
    assert '<progress max="10" value="1"' in listing
    assert "0/5" in listing and "1/5" in listing
    assert "ja 2 muuta" in listing and "ja 1 muuta" in listing  # 5 unsigned, 4 unapproved
    unsigned, unapproved = re.findall(r'<p class="agreement-list__missing">(.*?)</p>', listing)[:2]
    assert [o.name in unsigned for o in orgs] == [True, True, True, False, False]  # the first three
    assert [o.name in unapproved for o in orgs] == [False, True, True, True, False]


def test_the_list_is_paginated_and_filtered(factory, login):
    admin = factory.agreement(parties=1, opened=False)[3]
    for _ in range(PAGE_SIZE + 4):
        factory.agreement(parties=1, opened=False, admin=admin)
    opened = factory.agreement(parties=1, admin=admin)[0]
    opened.title = "Ainoa avattu sopimus"
    factory.session.commit()
    client = login(admin)
    first = client.get("/").text
    assert len(re.findall(r'class="agreement-list__item"', first)) == PAGE_SIZE
    assert 'rel="next"' in first
    second = client.get("/?page=2").text
    assert len(re.findall(r'class="agreement-list__item"', second)) == 26 - PAGE_SIZE
    assert 'rel="prev"' in second and 'rel="next"' not in second  # the total rides on the page's rows
    signing = client.get(f"/?state={Status.signing}").text
    assert len(re.findall(r'class="agreement-list__item"', signing)) == 1 and "Ainoa avattu" in signing
    found = client.get("/?q=AVATTU").text
    assert len(re.findall(r'class="agreement-list__item"', found)) == 1
    assert "agreement-list__item" not in client.get("/?q=100%25_").text
    assert client.get("/?page=x&state=nonsense").status_code == 200


def test_the_list_answers_htmx_with_its_fragment(factory, login):
    admin = factory.agreement(parties=1)[3]
    fragment = login(admin).get("/?q=Yhteis", headers={"HX-Request": "true", "HX-Target": "agreement-list"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and fragment.text.lstrip().startswith('<div id="agreement-list"')


def test_a_filtered_page_loads_what_waits_after_the_list(factory, login):
    agreement, _orgs, reps, _admin = factory.agreement(parties=2)
    client = login(reps[0])
    page = client.get("/?q=Yhteis&page=1").text
    waiting = waiting_region(page)
    assert 'hx-trigger="load"' in waiting and "waiting-list__item" not in waiting
    assert f"/agreements/{agreement.id}" in page[page.index('id="agreement-list"') :]
    fragment = client.get("/?q=Yhteis", headers={"HX-Request": "true", "HX-Target": "waiting"}).text
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="waiting"')
    assert f'href="/documents/{agreement.main_document_id}/read"' in fragment


def test_a_person_sees_only_their_agreements(factory, login):
    mine, _orgs, reps, _admin = factory.agreement(parties=1)
    theirs = factory.agreement(parties=1)[0]
    page = login(reps[0]).get("/").text
    assert f"/agreements/{mine.id}" in page and f"/agreements/{theirs.id}" not in page


def test_my_contact_details_are_one_click_from_the_header(factory, login):
    agreement, orgs, reps, _admin = factory.agreement(parties=2)
    person = factory.user(orgs[1], Role.contact_person)
    card = add_contact(
        factory.session, agreement.id, orgs[1].id, name="Yhteys", email="y@example.invalid", user_id=person.id
    )
    factory.session.commit()
    client = login(person)
    home = client.get("/").text
    assert 'href="/my-contact"' in home
    answer = client.get("/my-contact")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/contacts/{card.id}/edit")
    representative = login(reps[0], fresh=True)
    assert 'href="/my-contact"' not in representative.get("/").text
    refused = representative.get("/my-contact", follow_redirects=True)
    assert refused.status_code == 200 and "Et ole minkään sopimuksen yhteyshenkilö." in refused.text


def test_a_contact_card_link_opens_the_contacts_section(factory, login):
    agreement, orgs, reps, _admin = factory.agreement(parties=2)
    card = add_contact(factory.session, agreement.id, orgs[0].id, name="Yhteys", email="y@example.invalid")
    factory.session.commit()
    answer = login(reps[0]).get(f"/contacts/{card.id}")
    assert answer.headers["Location"].endswith(f"/agreements/{agreement.id}?tab=contacts#contact-{card.id}")
