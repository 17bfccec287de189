"""The language switch in the header: Finnish by default, Swedish and English on a click."""

import pytest
from playwright.sync_api import expect

from portal.auth.domain import Role

pytestmark = [pytest.mark.e2e, pytest.mark.committing]  # served in a thread to Chromium


def test_switching_the_language_keeps_the_page(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("fi")
    page.sign_in(reps[0])
    page.goto(f"/agreements/{agreement.id}")
    p = page.page
    html = p.locator("html")
    expect(html).to_have_attribute("lang", "fi")
    expect(p.get_by_role("heading", name="Osapuolet")).to_be_visible()
    expect(p.get_by_role("button", name="Suomeksi")).to_have_attribute("aria-current", "true")

    p.get_by_role("button", name="På svenska").click()
    expect(html).to_have_attribute("lang", "sv")
    assert p.url.endswith(f"/agreements/{agreement.id}")
    expect(p.get_by_role("heading", name="Parter")).to_be_visible()
    expect(p.locator(".status-label")).to_have_text("Öppet för underskrift")
    expect(p.get_by_role("button", name="Underteckna avtalet")).to_be_visible()
    expect(p.get_by_role("link", name="Åtkomstnycklar")).to_be_visible()
    expect(p.get_by_role("button", name="På svenska")).to_have_attribute("aria-current", "true")
    assert p.title() == "Yhteistyösopimus – Sopu"

    p.get_by_role("button", name="In English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(p.get_by_role("heading", name="Parties")).to_be_visible()
    expect(p.locator(".status-label")).to_have_text("Open for signature")
    expect(p.get_by_role("button", name="Sign the agreement")).to_be_visible()

    page.goto("/")  # the choice stays for the session
    expect(html).to_have_attribute("lang", "en")
    expect(p.get_by_role("heading", level=1)).to_have_text("Waiting for you")

    p.get_by_role("button", name="Suomeksi").click()
    expect(html).to_have_attribute("lang", "fi")
    expect(p.get_by_role("heading", level=1)).to_have_text("Odottaa sinua")


def test_the_choice_made_before_signing_in_is_kept(site):
    user = site.factory.user(site.factory.org(), Role.viewer)
    site.session.commit()
    page = site.open("fi")
    page.goto("/login")
    p = page.page
    expect(p).to_have_title("Kirjaudu sisään – Sopu")
    p.get_by_role("button", name="På svenska").click()
    expect(p).to_have_title("Logga in – Sopu")
    p.get_by_label("Användarnamn").fill(user.username)
    p.get_by_label("Lösenord").fill("pw")
    p.get_by_role("button", name="Logga in").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Väntar på dig")
    expect(p.locator("html")).to_have_attribute("lang", "sv")
