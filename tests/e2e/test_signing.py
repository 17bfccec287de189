"""A representative signs in Chromium: the htmx form replaces the state region in place."""

import re

import pytest
from playwright.sync_api import expect

from portal.documents.models import Signature
from tests.browser import sign_for

pytestmark = [pytest.mark.e2e, pytest.mark.committing]  # served in a thread to Chromium


def open_agreement_as(site, user, agreement):
    """Sign in through the form and follow the link from the list, as a person would."""
    page = site.open("fi")
    p = page.page
    page.goto("/login")
    p.get_by_label("Käyttäjätunnus").fill(user.username)
    p.get_by_label("Salasana").fill("pw")
    p.get_by_role("button", name="Kirjaudu sisään").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Odottaa sinua")
    # click once the page's scripts have settled
    p.wait_for_load_state("networkidle")
    p.get_by_role("link", name=agreement.title).click()
    expect(p.get_by_role("heading", level=1)).to_have_text(agreement.title)
    return page


def watch_for_reloads(p) -> list[str]:
    """A marker on window (gone if the page reloads) and a log of main-frame navigations."""
    p.evaluate("() => { window.__sopuMarker = 'unchanged'; }")
    navigations: list[str] = []
    p.on("framenavigated", lambda frame: frame == p.main_frame and navigations.append(frame.url))
    return navigations


def press_sign(p):
    with p.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/sign")) as info:
        p.get_by_role("button", name="Allekirjoita sopimus").click()
    return info.value


def signatures(site):
    site.session.expire_all()
    return site.session.query(Signature).all()


def test_a_representative_signs_without_a_page_reload(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    sign_for(site.session, agreement, reps[1:2])  # another party has signed already
    page = open_agreement_as(site, reps[0], agreement)
    p = page.page
    own_row = p.locator(f"#party-{orgs[0].id}")
    expect(own_row).to_contain_text("Odottaa")
    expect(p.locator("#agreement-state")).to_contain_text("Allekirjoittaneita osapuolia 1/3")
    navigations = watch_for_reloads(p)

    p.get_by_label("Paikkakunta").fill("Nokia")
    p.locator("#read").check()  # the document was read
    p.get_by_label("Salasanasi").fill("pw")
    response = press_sign(p)

    assert response.status == 200
    assert response.request.headers.get("hx-request") == "true"  # htmx sent it, not the browser
    assert response.request.headers.get("x-csrftoken")  # the token from hx-headers on <body>
    expect(own_row.locator(".signed")).to_have_text("Allekirjoitettu")
    expect(own_row).to_contain_text("Nokia")
    expect(p.locator("#agreement-state")).to_contain_text("Allekirjoittaneita osapuolia 2/3")
    expect(p.locator("#agreement-state")).to_contain_text("Edustamasi osapuoli allekirjoitti")
    expect(p.locator("form.sign-form")).to_have_count(0)
    assert p.evaluate("() => window.__sopuMarker") == "unchanged", "the page was reloaded"
    assert navigations == []
    assert p.locator("#agreement-state").count() == 1  # replaced, not nested

    signed = {s.organisation_id: (s.place, s.signer_id) for s in signatures(site)}
    assert signed == {orgs[0].id: ("Nokia", reps[0].id), orgs[1].id: ("Tampere", reps[1].id)}


def test_a_wrong_password_is_told_in_the_form_and_nothing_is_signed(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = open_agreement_as(site, reps[0], agreement)
    p = page.page
    navigations = watch_for_reloads(p)

    p.get_by_label("Paikkakunta").fill("Nokia")
    p.locator("#read").check()  # the document was read
    p.get_by_label("Salasanasi").fill("väärä salasana")
    response = press_sign(p)

    assert response.status == 422
    error = p.locator("#password-error")
    expect(error).to_have_text("Salasana oli väärä. Mitään ei allekirjoitettu.")
    password = p.get_by_label("Salasanasi")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile("Salasana oli väärä"))  # read out
    expect(password).to_have_value("")  # a password is never sent back
    expect(p.get_by_label("Paikkakunta")).to_have_value("Nokia")  # the rest of the form is kept
    expect(p.locator(f"#party-{orgs[0].id}")).to_contain_text("Odottaa")
    expect(p.locator(".status-label")).to_have_text("Allekirjoitettavana")
    assert p.evaluate("() => window.__sopuMarker") == "unchanged"
    assert navigations == []
    assert signatures(site) == []

    # the right password in the same form then signs
    password.fill("pw")
    assert press_sign(p).status == 200
    expect(p.locator(f"#party-{orgs[0].id} .signed")).to_have_text("Allekirjoitettu")
    assert len(signatures(site)) == 1
