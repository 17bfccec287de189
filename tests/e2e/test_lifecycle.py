"""Issue 12 in the browser: the secretary records a party's notice of termination and the party
sees its end date; the secretary schedules a steering group meeting and its invitation arrives
by mail (a real SMTP server on loopback)."""

import pytest
from playwright.sync_api import expect

from portal.mail.delivery import deliver_due
from portal.steering import services as steering
from portal.steering.models import Office
from tests.browser import approve_for, off_loop, sign_for
from tests.factories import sample_pdf
from tests.integration.test_mail import by_recipient, smtp  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e


def test_a_termination_is_recorded_and_the_party_sees_its_end_date(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3, pdf=sample_pdf())
    sign_for(site.session, agreement, reps)
    approve_for(site.session, agreement, orgs, admin)

    page = site.open("fi")
    p = page.page
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}")
    form = p.locator("form.termination-form")
    form.get_by_label("Osapuoli").select_option(str(orgs[1].id))
    form.get_by_label("Irtisanomisilmoitus vastaanotettu").fill("2026-03-31")
    form.get_by_label("Päätös").fill("Kunnanvaltuusto 30.3.2026 § 44")
    form.get_by_role("button", name="Kirjaa irtisanominen").click()
    # the answer is in the termination section itself, focused (htmx swaps the section)
    answer = p.locator("#terminations .form-feedback")
    expect(answer).to_contain_text("31.3.2027")
    expect(answer).to_be_focused()
    expect(answer).to_be_in_viewport()

    party = site.open("fi")
    party.sign_in(reps[1])
    party.goto(f"/agreements/{agreement.id}")
    row = party.page.locator(".termination-table tbody tr").first
    expect(row).to_contain_text(orgs[1].name)
    expect(row.locator(".ends-on")).to_contain_text("2027")
    expect(party.page.get_by_role("heading", name="Irtisanominen")).to_be_visible()


def test_a_meeting_is_scheduled_and_its_invitation_arrives(site, app, smtp):  # noqa: F811
    agreement, orgs, reps, admin = site.factory.agreement(parties=2, opened=False)
    members = off_loop(
        lambda: [
            steering.add_member(
                site.session,
                agreement,
                admin,
                organisation_id=org.id,
                name=f"Jäsen {i}",
                email=f"jasen{i}@example.invalid",
                office=Office.chair if i == 0 else Office.none,
            )
            for i, org in enumerate(orgs)
        ]
    )
    off_loop(site.session.commit)
    inbox = smtp()

    page = site.open("fi")
    p = page.page
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}")
    with p.expect_navigation():
        p.get_by_role("link", name="Johtoryhmä").click()
    form = p.locator("form.meeting-form")
    form.get_by_label("Kokouspäivä").fill("2027-03-30")
    form.get_by_label("Paikka").fill("Pasila")
    form.get_by_label("Esityslista").fill("1. Kokouksen avaus")
    with p.expect_navigation():
        form.get_by_role("button", name="Kirjaa kokous ja lähetä kutsu").click()
    meeting = p.locator("article.meeting").first
    expect(meeting).to_contain_text("Pasila")
    # Good Friday 26 and Easter Monday 29 March 2027: the agenda of Tuesday 30 March is due on
    # Tuesday 23 March
    expect(meeting.locator(".agenda-due")).to_contain_text("23.3.2027")
    assert off_loop(deliver_due, site.session, app.config).sent == 2
    received = by_recipient(inbox)
    assert sorted(received) == sorted(m.email for m in members)
    assert "Pasila" in received[members[0].email][0].get_body(("plain",)).get_content()
