"""Issue 13's journeys, one per role, in Finnish, Swedish and English, on a desktop (1366×900)
and on a phone (390×844): a representative signs, a lawyer acknowledges a warning and uploads a
new version of an annex, a contact person corrects their own card from the header, an
administrator records a decision and looks at the running health.

On every state visited (tests/e2e/journeys.py): axe reports no violation, no sideways scroll at
320 px, a screenshot in build/screenshots/. What waits is on the home page in the first
viewport; after each form answer (an error and a success per form) the answer is in the viewport
and has the focus (or the field in error has it). The page loads and clicks of each journey are
reported at the end of the run (build/journeys/report.txt); the data is built with the factories,
only the steps under test go through the browser."""

import pytest
from playwright.sync_api import expect

from portal.auth.domain import Role
from portal.contacts.services import add_contact
from tests.e2e.journeys import Journey
from tests.factories import AGREEMENT_TEXT, sample_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.committing]  # served in a thread to Chromium

JOURNEYS = [
    pytest.param(lang, viewport, id=f"{lang}-{viewport}")
    for lang in ("fi", "sv", "en")
    for viewport in ("desktop", "phone")
]
#: an annex agreement whose check warns (cost sharing it does not settle)
COSTS = AGREEMENT_TEXT + "\nKustannukset jaetaan osapuolten kesken asukasluvun mukaan."
#: the sign journey reaches the sign form in at most this many page loads: sign-in, home, sign
SIGN_LOADS = 3


def speaking(site, lang: str, *users) -> None:
    """The people speak the journey's language (their own language decides the UI's)."""
    for user in users:
        user.locale = lang
    site.session.commit()


@pytest.mark.parametrize(("lang", "viewport"), JOURNEYS)
def test_sign_journey(site, lang, viewport):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    speaking(site, lang, reps[0])
    j = Journey(site, "sign", "representative", lang, viewport)
    p = j.page
    j.sign_in(reps[0])
    sign = p.locator(".waiting-list__item--sign a")
    expect(sign).to_have_count(1)
    j.assert_in_first_viewport(sign, "the signature waiting")
    j.state("home")

    j.click(sign)
    p.wait_for_url(f"**/documents/{agreement.main_document_id}/read")
    form = p.locator("#sign-step form.sign-form")
    expect(form).to_be_visible()
    assert j.loads <= SIGN_LOADS, f"{j}: {j.loads} page loads to the sign form"
    j.assert_pdf_rendered()
    j.state("read")

    form.locator("input[name=place]").fill("Nokia")
    form.locator("input[name=password]").fill("pw")
    j.click(form.locator("button[type=submit]"))  # without confirming the reading
    expect(p.locator("#sign-step .error-summary")).to_be_visible()
    j.assert_answer_focused("#sign-step .error-summary", "sign without the confirmation")
    j.state("sign-refused")

    form = p.locator("#sign-step form.sign-form")
    form.locator("input[name=password]").fill("pw")
    j.click(form.locator("input[name=read]"))
    j.click(form.locator("button[type=submit]"))
    p.wait_for_url(f"**/documents/{agreement.main_document_id}/signed")
    expect(p.locator("main a[download]").first).to_be_visible()  # the signed copy
    j.assert_answer_focused("main .form-feedback", "signed")
    j.state("signed")
    assert j.loads <= SIGN_LOADS, f"{j}: {j.loads} page loads from sign-in to the signed copy"
    j.record()


@pytest.mark.parametrize(("lang", "viewport"), JOURNEYS)
def test_lawyer_journey(site, lang, viewport):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    lawyer, colleague = (site.factory.user(org, Role.lawyer) for org in orgs[:2])
    site.session.commit()
    annex = site.factory.annex(agreement, colleague, COSTS, parties=[o.business_id for o in orgs[:2]])
    speaking(site, lang, lawyer)
    j = Journey(site, "annex", "lawyer", lang, viewport)
    p = j.page
    j.sign_in(lawyer)
    acknowledge = p.locator(".waiting-list__item--acknowledge a")
    expect(acknowledge).to_have_count(1)
    j.assert_in_first_viewport(acknowledge, "the warning waiting")
    j.state("home")

    j.click(acknowledge)
    p.wait_for_url(f"**/documents/{annex.id}")
    warning = p.locator("li.flag--warning").first
    flag = f"#{warning.get_attribute('id')}"
    j.state("document")

    p.locator(f"{flag} textarea").fill("lyhyt")
    j.click(p.locator(f"{flag} button[type=submit]"))
    expect(p.locator(f"{flag} [aria-invalid=true]")).to_have_count(1)
    j.assert_answer_focused(f"{flag} .error-summary", "a justification too short", field_in_error=True)
    j.state("acknowledge-refused")
    p.locator(f"{flag} textarea").fill("Kustannusjako on hyväksytty hallituksissa.")
    j.click(p.locator(f"{flag} button[type=submit]"))
    expect(p.locator(f"{flag} .acknowledgement")).to_be_visible()
    j.assert_answer_focused(flag, "the warning acknowledged")
    j.state("acknowledged")

    upload = p.locator("form[action$='/versions']")
    upload.locator("input[type=file]").set_input_files(
        {"name": "liite.pdf", "mimeType": "application/pdf", "buffer": b"not a PDF at all"}
    )
    with p.expect_navigation():
        j.click(upload.locator("button[type=submit]"))
    j.assert_answer_focused(".hds-notification--error[data-feedback]", "a refused version")
    j.state("version-refused")
    upload = p.locator("form[action$='/versions']")
    upload.locator("input[type=file]").set_input_files(
        {"name": "liite-2.pdf", "mimeType": "application/pdf", "buffer": sample_pdf(COSTS)}
    )
    with p.expect_navigation():
        j.click(upload.locator("button[type=submit]"))
    j.assert_answer_focused(".hds-notification--success[data-feedback]", "the new version")
    expect(p.locator("tr[id^=version-]")).to_have_count(2)
    j.state("version-uploaded")
    j.record()


@pytest.mark.parametrize(("lang", "viewport"), JOURNEYS)
def test_contact_journey(site, lang, viewport):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    person = site.factory.user(orgs[1], Role.contact_person)
    for i, org in enumerate(orgs):
        add_contact(
            site.session,
            agreement.id,
            org.id,
            name=f"Yhteys {i}",
            email=person.email if i == 1 else f"yhteys{i}@example.invalid",
            phone=f"+358 40 000 000{i}",
            user_id=person.id if i == 1 else None,
        )
    speaking(site, lang, person)
    j = Journey(site, "contact", "contact person", lang, viewport)
    p = j.page
    j.sign_in(person)
    j.assert_in_first_viewport(p.locator("#waiting"), "what waits (nothing)")
    j.state("home")

    j.open_menu()
    j.click(p.locator("header a[href='/my-contact']"))
    p.wait_for_url("**/contacts/*/edit")
    form = p.locator("form.contact-form")
    j.state("my-card")

    form.locator("input[name=email]").fill("not an address")
    j.click(form.locator("button[type=submit]"))
    expect(p.locator("form.contact-form .error-summary")).to_be_visible()
    j.assert_answer_focused("form.contact-form .error-summary", "a wrong e-mail address")
    j.state("card-refused")

    form = p.locator("form.contact-form")
    form.locator("input[name=email]").fill(person.email)
    form.locator("input[name=phone]").fill("+358 50 765 4321")
    j.click(form.locator("button[type=submit]"))
    expect(p.locator(".contact [role=status][data-feedback]")).to_be_visible()
    j.assert_answer_focused(".contact [role=status][data-feedback]", "the card saved")
    expect(p.locator("main")).to_contain_text("+358 50 765 4321")
    j.state("card-saved")
    j.record()


@pytest.mark.parametrize(("lang", "viewport"), JOURNEYS)
def test_administrator_journey(site, lang, viewport):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    speaking(site, lang, admin)
    j = Journey(site, "decision", "administrator", lang, viewport)
    p = j.page
    j.sign_in(admin)
    decide = p.locator(".waiting-list__item--decide a")
    expect(decide).to_have_count(1)
    j.assert_in_first_viewport(decide, "the decisions waiting")
    j.state("home")

    j.click(decide)
    p.wait_for_url(f"**/agreements/{agreement.id}?*")
    party = f"#party-{orgs[0].id}"
    j.state("parties")
    j.click(p.locator(f"{party} a[href$='/approval']"))
    form = p.locator(f"{party} form.approval-form")
    expect(form).to_be_visible()
    j.state("decision-form")

    j.click(form.locator("button[type=submit]"))  # nothing filled in
    expect(p.locator(f"{party} .error-summary")).to_be_visible()
    j.assert_answer_focused(f"{party} .error-summary", "an empty decision")
    j.state("decision-refused")
    form = p.locator(f"{party} form.approval-form")
    form.locator("input[name=body]").fill("Kunnanvaltuusto")
    form.locator("input[name=decided_on]").fill("2026-11-16")
    form.locator("input[name=section]").fill("45")
    j.click(form.locator("button[type=submit]"))
    answer = f"{party} [data-feedback]"  # in the row, where the form was
    expect(p.locator(answer)).to_be_visible()
    j.assert_answer_focused(answer, "the decision recorded")
    j.state("decision-recorded")

    j.open_menu()
    j.click(p.locator("header a[href='/admin/outbox']"))  # the mail waiting, and the health
    p.wait_for_url("**/admin/outbox")
    j.state("outbox")
    j.click(p.locator("main a[href='/admin/health']"))
    p.wait_for_url("**/admin/health")
    j.state("health")
    j.record()
