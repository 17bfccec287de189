"""Passkeys in Chromium with the DevTools virtual authenticator: enrolling one on the security
page, signing in with it as the second factor, and signing an agreement with it (the step-up).

WebAuthn refuses an IP address as the relying party's id, so these pages are opened at
http://localhost:<port> and PORTAL_BASE_URL says so."""

import pytest
from playwright.sync_api import expect

from portal.auth.models import PasskeyCredential
from portal.documents.models import Signature
from tests.browser import BrowserPage

pytestmark = pytest.mark.e2e


@pytest.fixture
def localhost(app, live_server):
    """The live server's address with the host name WebAuthn accepts."""
    url = live_server.replace("127.0.0.1", "localhost")
    saved = app.config["PORTAL_BASE_URL"], app.config["PORTAL_MFA_FRESH_SECONDS"]
    app.config["PORTAL_BASE_URL"] = url
    yield url
    app.config["PORTAL_BASE_URL"], app.config["PORTAL_MFA_FRESH_SECONDS"] = saved


def page_with_authenticator(chromium, base_url: str) -> BrowserPage:
    context = chromium.new_context(locale="fi", extra_http_headers={"Accept-Language": "fi"})
    context.set_default_timeout(20_000)
    page = BrowserPage(context, base_url)
    cdp = context.new_cdp_session(page.page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return page


def sign_in_with_password(p, user) -> None:
    p.get_by_label("Käyttäjätunnus").fill(user.username)
    p.get_by_label("Salasana").fill("pw")
    p.get_by_role("button", name="Kirjaudu sisään").click()


def test_a_passkey_is_enrolled_used_to_sign_in_and_to_sign(app, chromium, site, localhost):
    agreement, orgs, reps, _admin = site.factory.agreement(parties=2)
    rep = reps[0]
    page = page_with_authenticator(chromium, localhost)
    p = page.page
    try:
        page.goto("/login")
        sign_in_with_password(p, rep)
        expect(p.get_by_role("heading", level=1)).to_have_text("Odottaa sinua")

        page.goto("/security")
        p.get_by_label("Pääsyavaimen nimi").fill("Työkone")
        p.get_by_role("button", name="Lisää pääsyavain").click()
        expect(p.locator("ul.passkeys")).to_contain_text("Työkone")
        site.session.expire_all()
        assert site.session.query(PasskeyCredential).filter_by(user_id=rep.id).count() == 1

        p.get_by_role("button", name="Kirjaudu ulos").click()
        page.goto("/login")
        sign_in_with_password(p, rep)
        expect(p.get_by_role("heading", level=1)).to_have_text("Toinen tunnistautumistekijä")
        p.wait_for_load_state("networkidle")  # the page's scripts and requests have settled
        p.get_by_role("button", name="Käytä pääsyavainta").click()
        expect(p.get_by_role("heading", level=1)).to_have_text("Odottaa sinua")

        app.config["PORTAL_MFA_FRESH_SECONDS"] = 0  # the sign-in's factor is no longer fresh
        p.get_by_role("link", name=agreement.title).click()
        expect(p.get_by_role("heading", level=1)).to_have_text(agreement.title)
        expect(p.get_by_label("Salasanasi")).to_have_count(0)  # not the password again
        p.get_by_label("Paikkakunta").fill("Tampere")
        p.locator("#read").check()  # the document was read
        p.get_by_role("button", name="Allekirjoita pääsyavaimella").click()
        expect(p.locator(f"#party-{orgs[0].id}")).to_contain_text("Allekirjoitettu")
        site.session.expire_all()
        assert site.session.query(Signature).filter_by(signer_id=rep.id).count() == 1
        assert not page.script_errors()
    finally:
        page.context.close()
