"""A contact person edits their phone number in place: the row becomes a form and back, without a
page reload, and the other parties' contact persons get a notice in the outbox."""

import pytest
from playwright.sync_api import expect

from portal.auth.domain import Role
from portal.contacts.services import add_contact
from portal.mail.models import OutboxMail

pytestmark = [pytest.mark.e2e, pytest.mark.committing]  # served in a thread to Chromium


def test_a_contact_person_edits_their_phone_in_place(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    session = site.session
    people = [site.factory.user(org, Role.contact_person) for org in orgs]
    contacts = [
        add_contact(
            session,
            agreement.id,
            org.id,
            name=f"Yhteys {i}",
            email=u.email,
            phone="+358 40 000 000" + str(i),
            user_id=u.id,
        )
        for i, (org, u) in enumerate(zip(orgs, people, strict=True))
    ]
    session.commit()
    mine = contacts[0]

    page = site.open("fi")
    p = page.page
    page.sign_in(people[0])
    page.goto(f"/agreements/{agreement.id}?tab=contacts")
    p.evaluate("() => { window.__sopuMarker = 'unchanged'; }")
    row = p.locator(f"#contact-{mine.id}")
    row.get_by_role("link", name="Muokkaa tietojani").click()
    form = p.locator(f"form#contact-{mine.id}")
    expect(form).to_be_visible()
    # focus moves into the form as it appears, so a keyboard user can type at once
    expect(form.get_by_role("textbox", name="Nimi", exact=True)).to_be_focused()
    form.get_by_label("Puhelin").fill("+358 50 765 4321")
    form.get_by_role("button", name="Tallenna").click()

    expect(p.locator(f"#contact-{mine.id} .contact__phone")).to_have_text("+358 50 765 4321")
    expect(p.locator(f"form#contact-{mine.id}")).to_have_count(0)
    assert p.evaluate("() => window.__sopuMarker") == "unchanged"  # no page reload
    session.expire_all()
    recipients = sorted(m.recipient for m in session.query(OutboxMail))
    assert recipients == sorted(u.email for u in people[1:])
