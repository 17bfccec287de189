"""Reading before signing and feedback where the eye is, in Chromium at a desktop's and a phone's
size: the PDF's first page is drawn in the page, the sign step confirms the reading, shows its
progress and ends on the result page with the signed copy; after a wrong password and a refused
upload the answer is in the viewport and has the focus; axe finds nothing on any of these states."""

import re

import pytest
from playwright.sync_api import expect

from portal.auth.domain import Role
from portal.documents.models import Signature
from tests.browser import run_axe, sign_for
from tests.e2e.journeys import INKED

pytestmark = [pytest.mark.e2e, pytest.mark.committing]

SIZES = [pytest.param((1366, 900), id="desktop"), pytest.param((390, 844), id="phone")]


#: where the focus is and whether the answer is inside the viewport
FOCUS = """(selector) => {
    const answer = document.querySelector(selector);
    const box = answer.getBoundingClientRect();
    const active = document.activeElement;
    return {
        inViewport: box.top >= -1 && box.bottom <= window.innerHeight + 1 && box.height > 0,
        focusOnAnswer: active === answer || answer.contains(active),
        focusedInvalid: active.getAttribute("aria-invalid") === "true",
        focused: active.tagName + "#" + active.id,
    };
}"""


def opened(site, size, lang="fi"):
    page = site.open(lang)
    page.page.set_viewport_size({"width": size[0], "height": size[1]})
    return page


def no_violations(p, what):
    violations = run_axe(p)
    assert violations == [], f"{what}: " + ", ".join(f"{v['id']} {v['nodes'][:2]}" for v in violations)


def signatures(site):
    site.session.expire_all()
    return site.session.query(Signature).all()


@pytest.mark.parametrize("size", SIZES)
def test_the_document_is_read_in_the_page_and_signed(site, size):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    sign_for(site.session, agreement, reps[1:2])  # another party has signed already
    page = opened(site, size)
    page.sign_in(reps[0])
    p = page.page
    page.goto(f"/documents/{agreement.main_document_id}/read")

    canvas = p.locator("canvas[data-pdf-canvas]")
    expect(canvas).to_have_attribute("data-pdf-rendered", "1")  # PDF.js drew the first page
    assert canvas.evaluate(INKED), "the first page is blank"
    box = canvas.bounding_box()
    assert box and box["width"] <= size[0], "the page fits the viewport's width"
    expect(canvas).to_have_attribute("aria-label", re.compile(r"^Sivu 1/\d+: Yhteistyösopimus$"))
    pages = int(p.locator("[data-pdf-pages]").inner_text())
    assert pages >= 2, "the text and the signature page"
    p.get_by_role("button", name="Seuraava sivu").click()  # the pages turn
    expect(canvas).to_have_attribute("data-pdf-rendered", "2")
    expect(p.locator("[data-pdf-position]")).to_have_text(f"Sivu 2/{pages}")
    p.get_by_role("button", name="Edellinen sivu").click()
    expect(canvas).to_have_attribute("data-pdf-rendered", "1")
    expect(p.locator("[data-pdf-text]")).to_contain_text("Tämän sopimuksen osapuolet")  # the text alternative
    expect(p.locator(".document-facts").first).to_contain_text(agreement.main_document.current_sha256)
    no_violations(p, "the reading page")

    form = p.locator("#sign-step form.sign-form")
    expect(form.locator(".what-is-signed")).to_contain_text(reps[0].display_name)
    expect(form.locator(".what-is-signed")).to_contain_text("Yhteistyösopimus")
    form.get_by_label("Paikkakunta").fill("Nokia")
    form.get_by_label("Salasanasi").fill("pw")
    form.get_by_role("button", name="Allekirjoita sopimus").click()  # without the confirmation
    summary = p.locator("#sign-step .error-summary")
    expect(summary).to_contain_text("Vahvista, että olet lukenut asiakirjan")
    state = p.evaluate(FOCUS, "#sign-step .error-summary")
    assert state["inViewport"] and state["focusOnAnswer"], state
    no_violations(p, "the sign step refused without the confirmation")
    assert len(signatures(site)) == 1

    form = p.locator("#sign-step form.sign-form")
    form.get_by_label("Salasanasi").fill("pw")
    form.locator("#read").check()
    form.get_by_role("button", name="Allekirjoita sopimus").click()
    expect(form.locator(".busy-indicator")).to_be_visible()  # the hds-core spinner while signing
    expect(form).to_have_attribute("aria-busy", "true")
    p.wait_for_url(f"**/documents/{agreement.main_document_id}/signed")

    expect(p.get_by_role("heading", level=1)).to_have_text("Allekirjoitettu: Yhteistyösopimus")
    expect(p).to_have_title("Allekirjoitettu: Yhteistyösopimus – Sopu")  # the result page's own title
    name = "Yhteistyösopimus-allekirjoittanut-2-osapuolta-3-sta.pdf"
    link = p.get_by_role("link", name=f"Lataa allekirjoitettu kappale ({name})")
    expect(link).to_have_attribute("download", name)
    with p.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == name
    no_violations(p, "the result page")
    p.get_by_role("link", name="Tarkista allekirjoitetun kappaleen allekirjoitukset").click()
    expect(p.locator(".hds-notification--success")).to_contain_text("allekirjoitusta ovat päteviä")
    no_violations(p, "the verification page")
    assert {s.organisation_id for s in signatures(site)} == {orgs[0].id, orgs[1].id}


@pytest.mark.parametrize("size", SIZES)
def test_after_a_wrong_password_the_error_summary_has_the_focus(site, size):
    user = site.factory.user(site.factory.org())
    site.session.commit()
    page = opened(site, size)
    p = page.page
    page.goto("/login")
    p.locator("#username").fill(user.username)
    p.locator("#password").fill("wrong password")
    with p.expect_navigation():
        p.get_by_role("button", name="Kirjaudu sisään").click()
    summary = p.locator(".error-summary")
    expect(summary).to_be_focused()
    state = p.evaluate(FOCUS, ".error-summary")
    assert state["inViewport"] and state["focusOnAnswer"], state
    expect(summary).to_have_attribute("role", "alert")  # announced
    summary.get_by_role("link").first.click()  # the link leads to the field
    expect(p.locator("#username")).to_be_focused()
    no_violations(p, "the sign-in page after a wrong password")


@pytest.mark.parametrize("size", SIZES)
def test_after_a_refused_upload_the_answer_is_beside_the_form(site, size):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    lawyer = site.factory.user(orgs[0], Role.lawyer)
    site.session.commit()
    page = opened(site, size)
    page.sign_in(lawyer)
    p = page.page
    page.goto(f"/agreements/{agreement.id}?tab=documents")
    p.locator("#document-upload-details summary").click()
    form = p.locator("#document-upload")
    form.locator("input[name=title]").fill("Liite")
    form.locator("input[type=file]").set_input_files(
        {"name": "liite.pdf", "mimeType": "application/pdf", "buffer": b"not a PDF at all"}
    )
    for org in orgs:
        form.get_by_label(org.name).check()
    form.locator("button[type=submit]").click()
    answer = p.locator("#document-upload .error-summary, .form-answer [data-feedback]").first
    expect(answer).to_be_visible()
    p.wait_for_function("() => document.activeElement && document.activeElement !== document.body")
    focus = p.evaluate(
        FOCUS,
        "#document-upload .error-summary"
        if p.locator("#document-upload .error-summary").count()
        else ".form-answer [data-feedback]",
    )
    assert focus["inViewport"] and (focus["focusOnAnswer"] or focus["focusedInvalid"]), focus
    no_violations(p, "the agreement page after a refused upload")
