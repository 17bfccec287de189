"""Phones and zoom (WCAG 1.4.10): the main pages at 320 CSS px wide (a phone, and a 1280 px
screen at 400 % zoom) never scroll sideways; tables scroll inside their own container; the
header stays compact (its menu behind a button that works by keyboard); axe finds nothing."""

import pytest
from playwright.sync_api import expect

from portal.auth.domain import Role
from portal.contacts.services import add_contact
from tests.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.committing]  # served in a thread to Chromium

PHONE = {"width": 320, "height": 640}
#: a 1280 × 900 screen at 200 % and at 400 % zoom: 640 × 450 and 320 × 225 CSS px
ZOOMS = {
    200: {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
    400: {"viewport": {"width": 320, "height": 225}, "device_scale_factor": 4},
}


def world(site):
    """An agreement of three parties with long names, an annex agreement, contact persons."""
    factory = site.factory
    agreement, orgs, reps, admin = factory.agreement(parties=3)
    orgs[0].name = "Pohjois-Pirkanmaan hyvinvointialueen kuntayhtymän yhteistoiminta-alue"
    orgs[0].name_sv = "Norra Birkalands samarbetsområde för välfärdsområdets samkommun"
    lawyer = factory.user(orgs[0], Role.lawyer)
    annex = factory.annex(agreement, lawyer)
    contact_user = factory.user(orgs[1], Role.contact_person)
    add_contact(
        site.session,
        agreement.id,
        orgs[1].id,
        name="Sanna Yhteyshenkilö-Virtanen",
        email="sanna.yhteyshenkilo-virtanen.pitka.osoite@ylojarven-kaupunki.example.invalid",
        user_id=contact_user.id,
    )
    site.session.commit()
    pages = [
        "/",
        f"/agreements/{agreement.id}",
        f"/documents/{annex.id}",
        f"/agreements/{agreement.id}/people",
        f"/agreements/{agreement.id}/costs",
        f"/agreements/{agreement.id}/steering",
        f"/agreements/{agreement.id}/authorities",
        "/contacts/history",
        "/profile",
        "/tokens",
        "/notifications",
        "/admin/organisations",
        f"/admin/organisations/{orgs[0].id}",
        "/admin/users",
        "/admin/jobs",
        "/admin/outbox",
        "/agreements/new",
    ]
    return admin, pages


def wider_than_the_screen(p) -> int:
    return p.evaluate("() => document.documentElement.scrollWidth")


#: the outermost elements that reach past the screen's right edge (for the failure message)
SPILLING = """(width) => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 1
                 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > width + 1))
    .slice(0, 3).map(e => e.outerHTML.slice(0, 120))"""


def test_no_page_scrolls_sideways_at_320_px(site):
    admin, pages = world(site)
    page = site.open("fi")
    page.page.set_viewport_size(PHONE)
    page.sign_in(admin)
    wide = []
    for lang in ("fi", "sv"):
        if lang == "sv":
            page.page.get_by_role("button", name="Valikko").click()
            page.page.get_by_role("button", name="På svenska").click()
            expect(page.page.locator("html")).to_have_attribute("lang", "sv")
        for path in pages:
            page.goto(path)
            width = wider_than_the_screen(page.page)
            if width > PHONE["width"]:
                wide.append(f"{path} [{lang}]: {width} px {page.page.evaluate(SPILLING, PHONE['width'])}")
            if lang == "fi":
                assert_accessible(page.page, f"{path} at 320 px")
    assert wide == [], "\n".join(wide)
    # a table too wide for the screen scrolls in its own container, which the keyboard reaches
    page.goto("/admin/users")
    container = page.page.locator("main .hds-table-container").first
    expect(container).to_have_attribute("tabindex", "0")
    expect(container).to_have_attribute("role", "region")


@pytest.mark.parametrize("zoom", [200, 400])
def test_no_page_scrolls_sideways_at_200_and_400_percent_zoom(site, zoom):
    admin, pages = world(site)
    page = site.open("en")
    context = page.context.browser.new_context(locale="en", **ZOOMS[zoom])
    p = context.new_page()
    base = page.base_url
    p.goto(base + "/login")
    p.locator("#username").fill(admin.username)
    p.locator("#password").fill("pw")
    with p.expect_navigation():
        p.locator("main form button[type=submit]").click()
    width = ZOOMS[zoom]["viewport"]["width"]
    wide = []
    for path in pages:
        p.goto(base + path)
        found = wider_than_the_screen(p)
        if found > width:
            wide.append(f"{path}: {found} px {p.evaluate(SPILLING, width)}")
    context.close()
    assert wide == [], "\n".join(wide)


def test_the_header_is_compact_on_a_phone_and_its_menu_works_by_keyboard(site):
    admin, _pages = world(site)
    page = site.open("fi")
    p = page.page
    p.set_viewport_size({"width": 390, "height": 844})
    page.sign_in(admin)
    page.goto("/")
    header = p.locator("header.site-header")
    assert header.bounding_box()["height"] <= 100
    button = p.get_by_role("button", name="Valikko")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(p.get_by_role("link", name="Käyttäjät")).to_be_hidden()
    assert_accessible(p, "home, menu closed")

    button.focus()
    p.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(p.get_by_role("link", name="Käyttäjät")).to_be_visible()
    assert_accessible(p, "home, menu open")
    p.keyboard.press("Tab")  # into the menu: its first link
    assert p.evaluate("() => document.activeElement.closest('#site-menu') !== null")
    p.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(p.get_by_role("link", name="Käyttäjät")).to_be_hidden()

    p.set_viewport_size({"width": 1366, "height": 900})  # a desktop: no button, the menu shown
    expect(button).to_be_hidden()
    expect(p.get_by_role("link", name="Käyttäjät")).to_be_visible()
