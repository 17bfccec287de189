"""Single sign-on in Chromium against a real OpenID provider on loopback (tests/oidc_provider.py):
the browser goes to the provider's authorize endpoint and back; the portal exchanges the code
(with its PKCE verifier) at the token endpoint and checks the ID token against the JWKS."""

import pytest
from playwright.sync_api import expect

from portal.auth.domain import Role
from tests.integration.test_oidc import provider  # noqa: F401 (the fixture)
from tests.oidc_provider import Person

pytestmark = pytest.mark.e2e


def test_signing_in_with_sso_and_a_refusal(site, provider):  # noqa: F811
    lawyer = site.factory.user(site.factory.org(), Role.lawyer)
    site.session.commit()
    page = site.open("fi")
    p = page.page

    provider.person = Person(sub="u-1", email=lawyer.email, email_verified=False)
    page.goto("/login")
    p.get_by_role("link", name="Kirjaudu palvelulla Testitunnistus").click()
    expect(p.get_by_role("alert")).to_contain_text("ei ole vahvistanut sähköpostiosoitettasi")
    assert "/login/oidc/callback" in p.url

    provider.person = Person(sub="u-1", email=lawyer.email)
    page.goto("/login")
    p.get_by_role("link", name="Kirjaudu palvelulla Testitunnistus").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Odottaa sinua")
    expect(p.locator(".site-header__user")).to_contain_text(lawyer.display_name)
    assert provider.verifiers and all(provider.verifiers)
