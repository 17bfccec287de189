"""Every page meets WCAG 2.1 AA as far as axe-core can tell, in real Chromium; and the keyboard
reaches the skip link first and the sign button at all.

Fails on any axe violation of impact serious or critical, and on any violation of the rules in
tests.browser.AXE_ALWAYS_FAIL (color-contrast, label, html-has-lang, document-title,
landmark-one-main, region, button-name, link-name) whatever its impact."""

from datetime import date

import pytest
from playwright.sync_api import expect

from portal.auth.domain import Role
from tests import browser
from tests.browser import approve_for, assert_accessible, sign_for

# the fixtures of a browser test (tests/e2e/conftest.py provides the same to the e2e tests)
chromium, live_server, open_page = browser.chromium, browser.live_server, browser.open_page
site = browser.site

pytestmark = pytest.mark.e2e


def login_page(lang):
    def scenario(site):
        page = site.open(lang)
        page.goto("/login")
        assert page.page.locator("html").get_attribute("lang") == lang
        return page
    return scenario


def login_with_errors(site):
    """Both kinds of error: a field's own (empty password) and the form's (wrong password)."""
    user = site.factory.user(site.factory.org(), Role.representative)
    site.session.commit()
    page = site.open("fi")
    page.goto("/login")
    page.page.locator("#username").fill(user.username)
    page.page.get_by_role("button", name="Kirjaudu sisään").last.click()
    page.page.wait_for_selector("#password[aria-invalid=true]")
    assert_accessible(page.page, "login, empty password")
    page.page.locator("#password").fill("wrong")
    page.page.get_by_role("button", name="Kirjaudu sisään").last.click()
    page.page.wait_for_selector("[role=alert]")
    return page


def agreements_list(site):
    site.factory.agreement(parties=2, opened=False)
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("fi")
    page.sign_in(admin)
    page.goto("/")
    assert page.page.locator(".agreement-list__item").count() == 2
    return page


def admin_draft(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3, opened=False)
    page = site.open("fi")
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}")
    assert page.page.locator("#prepare-heading").is_visible()
    return page


def admin_signing(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    sign_for(site.session, agreement, reps[:1])
    approve_for(site.session, agreement, orgs[1:2], admin)
    page = site.open("fi")
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}")
    return page


def admin_in_force(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    sign_for(site.session, agreement, reps)
    approve_for(site.session, agreement, orgs, admin)
    page = site.open("sv")
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}")
    assert page.page.locator(".in-force").is_visible()
    return page


def representative(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    sign_for(site.session, agreement, reps[1:2])
    page = site.open("fi")
    page.sign_in(reps[0])
    page.goto(f"/agreements/{agreement.id}")
    assert page.page.locator("form.sign-form").is_visible()
    return page


def representative_sign_errors(site):
    """The sign form re-rendered by htmx with its errors (no place, wrong password)."""
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("fi")
    page.sign_in(reps[0])
    page.goto(f"/agreements/{agreement.id}")
    page.page.locator("#password").fill("wrong")
    page.page.get_by_role("button", name="Allekirjoita sopimus").click()
    page.page.wait_for_selector("#place[aria-invalid=true]")
    page.page.locator("#place").fill("Tampere")
    page.page.locator("#password").fill("wrong")
    page.page.get_by_role("button", name="Allekirjoita sopimus").click()
    page.page.wait_for_selector("#password-error")
    return page


def contact_person(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    contact = site.factory.user(orgs[1], Role.contact_person)
    site.session.commit()
    page = site.open("fi")
    page.sign_in(contact)
    page.goto(f"/agreements/{agreement.id}")
    assert page.page.locator("form.sign-form").count() == 0
    return page


def approval_form_open(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    page = site.open("fi")
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}")
    page.page.locator(f"#party-{orgs[1].id} a").click()
    page.page.wait_for_selector(f"#party-{orgs[1].id} form.approval-form")
    return page


def approval_form_errors(site):
    page = approval_form_open(site)
    page.page.locator("form.approval-form button[type=submit]").click()
    page.page.wait_for_selector("form.approval-form [aria-invalid=true]")
    return page


def approval_page(site):
    """The approval form as a page of its own (without JavaScript the link leads here)."""
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("en")
    page.sign_in(admin)
    page.goto(f"/documents/{agreement.main_document_id}/parties/{orgs[0].id}/approval")
    return page


def decision_history(site):
    """Decisions voided by a new version, corrected, only taking note, with minutes (R12)."""
    from portal.appctx import document_context
    from portal.documents import services as documents
    from portal.documents.domain import DecisionType
    from tests.factories import sample_pdf

    agreement, orgs, reps, admin = site.factory.agreement(parties=2, opened=False)
    ctx, session, document_id = document_context(), site.session, agreement.main_document_id
    documents.record_approval(session, ctx, document_id, orgs[0].id, admin, body="Kunnanhallitus",
                              decided_on=date(2026, 10, 1), section="5", diary_number="1/2026")
    documents.add_version(session, ctx, agreement.main_document, sample_pdf("Versio 2"), "v2.pdf",
                          admin)
    wrong = documents.record_approval(session, ctx, document_id, orgs[0].id, admin,
                                      body="Kunnanhallitus", decided_on=date(2026, 11, 1),
                                      section="7", minutes=sample_pdf("Ote"))
    documents.correct_approval(session, ctx, wrong.id, admin, reason="Väärä toimielin",
                               body="Kunnanvaltuusto", decided_on=date(2026, 11, 2), section="8")
    documents.record_approval(session, ctx, document_id, orgs[1].id, admin, body="Aluehallitus",
                              decided_on=date(2026, 11, 3), section="9",
                              decision_type=DecisionType.take_note,
                              disqualified_members="Matti Meikäläinen")
    session.commit()
    page = site.open("sv")
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}")
    assert page.page.locator(".decision-history .voided").count() == 1
    return page


def correction_page(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    approve_for(site.session, agreement, orgs[:1], admin)
    from portal.documents.models import ApprovalDecision

    approval = site.session.query(ApprovalDecision).one()
    page = site.open("fi")
    page.sign_in(admin)
    page.goto(f"/approvals/{approval.id}/correction")
    page.page.get_by_role("button", name="Kirjaa korjaus").click()
    page.page.wait_for_selector("#reason[aria-invalid=true]")
    return page


def terminations(site):
    """An agreement in force: one party's notice recorded (with the notice PDF), the form."""
    from portal.appctx import document_context
    from portal.lifecycle import services as lifecycle
    from tests.factories import sample_pdf

    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    sign_for(site.session, agreement, reps)
    approve_for(site.session, agreement, orgs, admin)
    site.session.refresh(agreement.main_document)
    lifecycle.record_termination(site.session, document_context(), agreement, orgs[0].id, admin,
                                 received_on=date(2025, 1, 31), decision="Valtuusto § 3",
                                 notice=sample_pdf("Irtisanominen"))
    site.session.commit()
    page = site.open("sv")
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}")
    assert page.page.locator(".termination-table .party-ended").count() == 1
    assert page.page.locator("form.termination-form").is_visible()
    return page


def costs_page(site):
    """A year's table (a joint municipal authority among the parties) and the form's errors."""
    from decimal import Decimal

    from portal.costs import services as costs
    from portal.organisations.domain import OrganisationKind

    agreement, orgs, reps, admin = site.factory.agreement(parties=3, opened=False)
    orgs[2].kind = OrganisationKind.joint_authority
    costs.record_costs(site.session, agreement, admin, year=2027, total=Decimal("1000.00"),
                       populations=[costs.Population(o.business_id, 1000 * (i + 1), "Tilastokeskus",
                                                     date(2026, 12, 31))
                                    for i, o in enumerate(orgs)])
    site.session.commit()
    page = site.open("fi")
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}/costs")
    assert page.page.locator("#costs-2027 .share").count() == 3
    page.page.get_by_role("button", name="Jaa kustannukset").click()
    page.page.wait_for_selector("#year[aria-invalid=true]")
    return page


def steering_page(site):
    """Members, a deputy, a meeting with its deadlines, attendance and minutes."""
    from portal.appctx import document_context, links
    from portal.steering import services as steering
    from portal.steering.models import Office, Seat
    from tests.factories import sample_pdf

    agreement, orgs, reps, admin = site.factory.agreement(parties=2, opened=False)
    session = site.session
    chair = steering.add_member(session, agreement, admin, organisation_id=orgs[0].id,
                                name="Puheenjohtaja", email="pj@example.invalid", office=Office.chair)
    steering.add_member(session, agreement, admin, organisation_id=orgs[1].id, name="Jäsen",
                        email="j@example.invalid")
    steering.add_member(session, agreement, admin, organisation_id=orgs[0].id, name="Vara",
                        email="v@example.invalid", seat=Seat.deputy, deputy_of_id=chair.id)
    meeting = steering.create_meeting(session, links(), agreement, admin,
                                      meets_on=date(2027, 3, 30), place="Pasila", agenda="1. Avaus")
    steering.record_attendance(session, agreement, meeting, admin, {chair.id})
    steering.upload_minutes(session, document_context(), agreement, meeting, admin,
                            sample_pdf("Pöytäkirja"))
    session.commit()
    page = site.open("fi")
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}/steering")
    assert page.page.locator("article.meeting").count() == 1
    return page


def tokens(site):
    user = site.factory.user(site.factory.org(), Role.representative)
    site.session.commit()
    page = site.open("fi")
    page.sign_in(user)
    page.goto("/tokens")
    page.page.locator("#name").fill("Asianhallinta")
    page.page.locator("#write").check()
    with page.page.expect_navigation():
        page.page.locator("main form button[type=submit]").last.click()
    page.page.wait_for_selector("#new-token")
    return page


def not_found(site):
    user = site.factory.user(site.factory.org(), Role.viewer)
    site.session.commit()
    page = site.open("fi")
    page.sign_in(user)
    response = page.goto("/agreements/999999")
    assert response.status == 404
    return page


def not_found_anonymous(site):
    page = site.open("sv")
    assert page.goto("/no-such-page").status == 404
    return page


OUTSIDER = ("YHTEISTYÖSOPIMUKSEN LIITESOPIMUS\nMyös Helsingin kaupunki osallistuu. "
            "Kustannukset jaetaan tasan.")


def lawyer_document(site):
    """A document with a blocker, a warning to acknowledge and evidence, as its lawyer sees it."""
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    lawyer = site.factory.user(orgs[0], Role.lawyer)
    site.session.commit()
    document = site.factory.annex(agreement, lawyer, OUTSIDER)
    page = site.open("sv")
    page.sign_in(lawyer)
    page.goto(f"/documents/{document.id}")
    assert page.page.locator("li.flag--blocker").count() >= 1
    assert page.page.locator("li.flag--warning form").count() >= 1
    return page


def admin_document_gate(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    lawyer = site.factory.user(orgs[0], Role.lawyer)
    site.session.commit()
    document = site.factory.annex(agreement, lawyer, OUTSIDER)
    page = site.open("fi")
    page.sign_in(admin)
    page.goto(f"/documents/{document.id}")
    assert page.page.locator(".gate-refusal").is_visible()
    return page


def representative_annex_agreement(site):
    """An annex agreement open for signature: its representative's sign form on its page."""
    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    lawyer = site.factory.user(orgs[0], Role.lawyer)
    site.session.commit()
    document = site.factory.annex(agreement, lawyer)
    site.factory.open_annex(document, admin)
    page = site.open("en")
    page.sign_in(reps[0])
    page.goto(f"/documents/{document.id}")
    assert page.page.locator("form.sign-form").is_visible()
    return page


def lawyer_agreement_with_annexes(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    lawyer = site.factory.user(orgs[0], Role.lawyer)
    site.session.commit()
    site.factory.annex(agreement, lawyer, OUTSIDER)
    site.factory.annex(agreement, lawyer, kind="annex", title="Tavoitetaulukko")
    page = site.open("fi")
    page.sign_in(lawyer)
    page.goto(f"/agreements/{agreement.id}")
    assert page.page.locator("#documents-list > li").count() == 2
    page.page.locator("#document-upload-details summary").click()
    return page


def admin_jobs(site):
    from portal.jobs import services as jobs
    from portal.jobs.models import Job, JobStatus

    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    job = jobs.enqueue(site.session, "check_version", {"version_id": 999999}, agreement.id,
                       subject="version:999999")
    job.status, job.last_error, job.attempts = JobStatus.failed, "FileNotFoundError: blob", 3
    site.session.add(Job(kind="check_version", payload={}, status=JobStatus.queued))
    site.session.commit()
    page = site.open("fi")
    page.sign_in(admin)
    page.goto("/admin/jobs")
    assert page.page.locator("#job-" + str(job.id) + " form").count() == 1
    return page


PAGES = {
    "login-fi": login_page("fi"),
    "login-sv": login_page("sv"),
    "login-en": login_page("en"),
    "login-errors": login_with_errors,
    "agreements": agreements_list,
    "admin-draft": admin_draft,
    "admin-signing": admin_signing,
    "admin-in-force": admin_in_force,
    "representative": representative,
    "representative-sign-errors": representative_sign_errors,
    "contact-person": contact_person,
    "approval-form-open": approval_form_open,
    "approval-form-errors": approval_form_errors,
    "approval-page": approval_page,
    "decision-history": decision_history,
    "correction-page": correction_page,
    "terminations": terminations,
    "costs-page": costs_page,
    "steering-page": steering_page,
    "tokens": tokens,
    "lawyer-document": lawyer_document,
    "admin-document-gate": admin_document_gate,
    "representative-annex-agreement": representative_annex_agreement,
    "lawyer-agreement-with-annexes": lawyer_agreement_with_annexes,
    "admin-jobs": admin_jobs,
    "not-found": not_found,
    "not-found-anonymous": not_found_anonymous,
}


@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible(name, site):
    page = PAGES[name](site)
    assert_accessible(page.page, name)


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className, text: e.innerText || ""}; }""")


def test_keyboard_reaches_the_skip_link_first_and_the_sign_button(site):
    """A keyboard-only representative: the skip link first, then through the page to the sign
    form, typing into its fields on the way, and Enter on the sign button signs."""
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("fi")
    page.sign_in(reps[0])
    page.goto(f"/agreements/{agreement.id}")
    p = page.page

    p.keyboard.press("Tab")
    assert "skip-link" in focused(p)["cls"], focused(p)
    box = p.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link must be on screen"
    p.keyboard.press("Enter")
    assert focused(p)["id"] == "main"

    typed = {"place": "Nokia", "password": "pw"}
    seen = []
    for _ in range(40):
        p.keyboard.press("Tab")
        element = focused(p)
        seen.append(element["id"] or element["tag"])
        if element["id"] in typed:
            p.keyboard.type(typed[element["id"]])
        if element["tag"] == "button" and "Allekirjoita sopimus" in element["text"]:
            break
    else:
        pytest.fail(f"Tab never reached the sign button; focus went through {seen}")
    assert seen.index("place") < seen.index("password"), seen

    p.keyboard.press("Enter")
    expect(p.locator(f"#party-{orgs[0].id} .signed")).to_have_text("Allekirjoitettu")


def test_the_check_catches_violations(site):
    """The harness itself: axe runs inside the page and its findings fail the test."""
    page = site.open("fi")
    page.goto("/login")
    page.page.evaluate("""() => {
        document.documentElement.removeAttribute("lang");
        document.querySelector("main").insertAdjacentHTML("beforeend",
            '<button type="button"></button><input type="text"><p id="faint">faint</p>');
        document.getElementById("faint").style.color = "#bbb";  // CSSOM: CSP allows it
    }""")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page.page, "a broken page")
    for rule in ("html-has-lang", "button-name", "label", "color-contrast"):
        assert rule in str(failure.value)
