"""Every page meets WCAG 2.1 AA as far as axe-core can tell, in real Chromium; and the keyboard
reaches the skip link first and the sign button at all.

Fails on any axe violation of impact serious or critical, and on any violation of the rules in
tests.browser.AXE_ALWAYS_FAIL (color-contrast, label, html-has-lang, document-title,
landmark-one-main, region, button-name, link-name) whatever its impact."""

import time
from datetime import date

import pytest
from playwright.sync_api import expect

from portal.auth.domain import Role
from portal.contacts.services import add_contact
from tests import browser
from tests.browser import approve_for, assert_accessible, sign_for
from tests.factories import AGREEMENT_TEXT, steering_group_met

# the fixtures of a browser test (tests/e2e/conftest.py provides the same to the e2e tests)
chromium, live_server, open_page = browser.chromium, browser.live_server, browser.open_page
site = browser.site

pytestmark = [pytest.mark.e2e, pytest.mark.committing]  # served in a thread to Chromium


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


def home_waiting(lang):
    """A representative's home page: their signature waits, then their agreements."""

    def scenario(site):
        agreement, orgs, reps, admin = site.factory.agreement(parties=4)
        site.factory.agreement(parties=2, opened=False, admin=admin)
        lawyer = site.factory.user(orgs[0], Role.lawyer)
        site.factory.annex(agreement, lawyer, AGREEMENT_TEXT + "\nKustannukset jaetaan asukasluvun mukaan.")
        site.session.commit()
        page = site.open(lang)
        page.sign_in(reps[0])
        page.goto("/")
        assert page.page.locator(".waiting-list__item--sign").count() == 1
        return page

    return scenario


def agreement_tab(tab: str):
    """A section of a 26-party agreement's page, as its secretary sees it."""

    def scenario(site):
        agreement, orgs, reps, admin = site.factory.agreement(parties=26)
        sign_for(site.session, agreement, reps[:2])
        approve_for(site.session, agreement, orgs[1:2], admin)
        for org in orgs[:3]:
            add_contact(
                site.session, agreement.id, org.id, name=f"Yhteys {org.name}", email="yhteys@example.invalid"
            )
        site.session.commit()
        page = site.open("fi")
        page.sign_in(admin)
        page.goto(f"/agreements/{agreement.id}?tab={tab}")
        assert page.page.locator('.agreement-tabs [aria-current="page"]').count() == 1
        return page

    return scenario


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
    page.page.locator("#read").check()
    page.page.get_by_role("button", name="Allekirjoita sopimus").click()
    page.page.wait_for_selector("#password-error")
    return page


def reading_page(site):
    """The document drawn by PDF.js above the sign step (issue 13), in Swedish."""
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("sv")
    page.sign_in(reps[0])
    page.goto(f"/documents/{agreement.main_document_id}/read")
    page.page.wait_for_selector("canvas[data-pdf-rendered='1']")
    return page


def signed_page(site):
    """Where a signature ends: the signed copy and the link to its verification."""
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    sign_for(site.session, agreement, reps[:1])
    page = site.open("fi")
    page.sign_in(reps[0])
    page.goto(f"/documents/{agreement.main_document_id}/signed")
    assert page.page.locator("a[download$='-allekirjoittanut-1-osapuolta-2-sta.pdf']").is_visible()
    return page


def verification_page(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    sign_for(site.session, agreement, reps)
    page = site.open("fi")
    page.sign_in(admin)
    page.goto(f"/documents/{agreement.main_document_id}/verification")
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
    page.goto(f"/agreements/{agreement.id}?tab=parties")
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
    documents.record_approval(
        session,
        ctx,
        document_id,
        orgs[0].id,
        admin,
        body="Kunnanhallitus",
        decided_on=date(2026, 10, 1),
        section="5",
        diary_number="1/2026",
    )
    documents.add_version(session, ctx, agreement.main_document, sample_pdf("Versio 2"), "v2.pdf", admin)
    wrong = documents.record_approval(
        session,
        ctx,
        document_id,
        orgs[0].id,
        admin,
        body="Kunnanhallitus",
        decided_on=date(2026, 11, 1),
        section="7",
        minutes=sample_pdf("Ote"),
    )
    documents.correct_approval(
        session,
        ctx,
        wrong.id,
        admin,
        reason="Väärä toimielin",
        body="Kunnanvaltuusto",
        decided_on=date(2026, 11, 2),
        section="8",
    )
    documents.record_approval(
        session,
        ctx,
        document_id,
        orgs[1].id,
        admin,
        body="Aluehallitus",
        decided_on=date(2026, 11, 3),
        section="9",
        decision_type=DecisionType.take_note,
        disqualified_members="Matti Meikäläinen",
    )
    session.commit()
    page = site.open("sv")
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}?tab=parties")
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
    lifecycle.record_termination(
        site.session,
        document_context(),
        agreement,
        orgs[0].id,
        admin,
        received_on=date(2025, 1, 31),
        decision="Valtuusto § 3",
        notice=sample_pdf("Irtisanominen"),
    )
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
    costs.record_costs(
        site.session,
        agreement,
        admin,
        year=2027,
        total=Decimal("1000.00"),
        populations=[
            costs.Population(o.business_id, 1000 * (i + 1), "Tilastokeskus", date(2026, 12, 31))
            for i, o in enumerate(orgs)
        ],
    )
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
    chair = steering.add_member(
        session,
        agreement,
        admin,
        organisation_id=orgs[0].id,
        name="Puheenjohtaja",
        email="pj@example.invalid",
        office=Office.chair,
    )
    steering.add_member(
        session, agreement, admin, organisation_id=orgs[1].id, name="Jäsen", email="j@example.invalid"
    )
    steering.add_member(
        session,
        agreement,
        admin,
        organisation_id=orgs[0].id,
        name="Vara",
        email="v@example.invalid",
        seat=Seat.deputy,
        deputy_of_id=chair.id,
    )
    meeting = steering.create_meeting(
        session, links(), agreement, admin, meets_on=date(2027, 3, 30), place="Pasila", agenda="1. Avaus"
    )
    steering.record_attendance(session, agreement, meeting, admin, {chair.id})
    steering.upload_minutes(session, document_context(), agreement, meeting, admin, sample_pdf("Pöytäkirja"))
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


def verify_page(site):
    page = site.open("sv")
    assert page.goto("/verify").status == 200
    return page


def verify_result(site):
    """The public verification page after an upload of a partly signed agreement (anonymous)."""
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    sign_for(site.session, agreement, reps[:1])
    holder = site.open("fi")
    holder.sign_in(reps[0])
    pdf = holder.context.request.get(f"{holder.base_url}/documents/{agreement.main_document_id}/pdf").body()
    page = site.open("fi")
    page.goto("/verify")
    page.page.set_input_files(
        "#file", files=[{"name": "sopimus.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    with page.page.expect_navigation():
        page.page.get_by_role("button", name="Tarkista").click()
    page.page.wait_for_selector("#verification-result")
    assert page.page.locator("#verification-result tbody tr").count() == 2
    return page


OUTSIDER = "YHTEISTYÖSOPIMUKSEN LIITESOPIMUS\nMyös Helsingin kaupunki osallistuu. Kustannukset jaetaan tasan."


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


def annex_parties_list(site):
    """An annex agreement's parties on a page of their own (30 parties: two pages), filtered to
    those not yet signed, in Swedish; its administrator records decisions in the rows."""
    agreement, orgs, reps, admin = site.factory.agreement(parties=30)
    lawyer = site.factory.user(orgs[0], Role.lawyer)
    site.session.commit()
    document = site.factory.annex(agreement, lawyer, parties=[o.business_id for o in orgs])
    site.factory.open_annex(document, admin)
    page = site.open("sv")
    page.sign_in(admin)
    page.goto(f"/documents/{document.id}/parties?show=unsigned")
    assert page.page.locator("#party-list tbody tr").count() == 25
    assert page.page.locator("#party-list-status").is_visible()
    return page


def lawyer_agreement_with_annexes(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    lawyer = site.factory.user(orgs[0], Role.lawyer)
    site.session.commit()
    site.factory.annex(agreement, lawyer, OUTSIDER)
    site.factory.annex(agreement, lawyer, kind="annex", title="Tavoitetaulukko")
    page = site.open("fi")
    page.sign_in(lawyer)
    page.goto(f"/agreements/{agreement.id}?tab=documents")
    assert page.page.locator("#documents-list > li").count() == 2
    page.page.locator("#document-upload-details summary").click()
    return page


def admin_jobs(site):
    from portal.jobs import services as jobs
    from portal.jobs.models import Job, JobStatus

    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    job = jobs.enqueue(
        site.session, "check_version", {"version_id": 999999}, agreement.id, subject="version:999999"
    )
    job.status, job.last_error, job.attempts = JobStatus.failed, "FileNotFoundError: blob", 3
    site.session.add(Job(kind="check_version", payload={}, status=JobStatus.queued))
    site.session.commit()
    page = site.open("fi")
    page.sign_in(admin)
    page.goto("/admin/jobs")
    assert page.page.locator("#job-" + str(job.id) + " form").count() == 1
    return page


def _invitation_link(site, lang="fi"):
    from portal.invitations.domain import token_digest
    from portal.invitations.models import Invitation

    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open(lang)
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}/people")
    page.page.locator("#email").fill("kutsuttu@example.fi")
    page.page.locator("#role").select_option("lawyer")
    with page.page.expect_navigation():
        page.page.locator("main form.narrow-form button[type=submit]").click()
    invitation = site.session.query(Invitation).one()
    invitation.token_sha256 = token_digest("a11y-" + "k" * 40)  # a link the test knows
    site.session.commit()
    return page, "/invitations/a11y-" + "k" * 40


def admin_people(site):
    page, _link = _invitation_link(site)
    page.goto(page.page.url.split(page.base_url)[1])
    assert page.page.locator(".invitation-list li").count() == 1
    return page


def admin_people_errors(site):
    page, _link = _invitation_link(site)
    page.page.locator("#email").fill("ei osoite")
    page.page.locator("main form.narrow-form button[type=submit]").click()
    page.page.wait_for_selector("#email[aria-invalid=true]")
    return page


def invitation_new_person(lang):
    def scenario(site):
        _admin_page, link = _invitation_link(site)
        page = site.open(lang)
        page.goto(link)
        assert page.page.locator("#display_name").count() == 1
        return page

    return scenario


def security_page(lang):
    """The security page at each step: setting up an app, then the recovery codes shown once."""

    def scenario(site):
        import pyotp

        rep = site.factory.user(site.factory.org(), Role.representative)
        site.session.commit()
        page = site.open(lang)
        page.sign_in(rep)
        page.goto("/security")
        assert_accessible(page.page, f"security {lang}, nothing set up")
        page.page.locator("form[action$='/security/totp'] button").click()
        secret = page.page.locator("#totp-secret").inner_text()
        assert_accessible(page.page, f"security {lang}, app being set up")
        page.page.locator("#code").fill(pyotp.TOTP(secret).now())
        page.page.locator("form[action$='/security/totp/confirm'] button").click()
        page.page.wait_for_selector("#recovery-codes")
        return page

    return scenario


def invitation_errors(site):
    _admin_page, link = _invitation_link(site)
    page = site.open("fi")
    page.goto(link)
    page.page.locator("#display_name").fill("Uusi Henkilö")
    page.page.locator("#password").fill("lyhyt")
    page.page.locator("main form button[type=submit]").click()
    page.page.wait_for_selector("#password[aria-invalid=true]")
    return page


def invitation_used(site):
    from portal.invitations.models import Invitation
    from portal.timeutil import utcnow

    _admin_page, link = _invitation_link(site)
    site.session.query(Invitation).one().accepted_at = utcnow()
    site.session.commit()
    page = site.open("sv")
    page.goto(link)
    assert page.page.locator(".invitation-closed").count() == 1
    return page


def invitation_set_password(site):
    from portal.appctx import invitation_context
    from portal.invitations import services
    from portal.invitations.domain import token_digest
    from portal.invitations.services import NO_PASSWORD
    from portal.people.services import create_person

    person = create_person(
        site.session,
        username="uusi",
        display_name="Uusi",
        email="uusi@example.fi",
        organisation_id=site.factory.org().id,
        password_hash=NO_PASSWORD,
        administrator=True,
    )
    invitation = services.invite_to_portal(site.session, invitation_context(), person)
    invitation.token_sha256 = token_digest("a11y-" + "p" * 40)
    site.session.commit()
    page = site.open("sv")
    page.goto("/invitations/a11y-" + "p" * 40)
    assert page.page.locator("#confirm").count() == 1
    return page


def admin_users(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("fi")
    page.sign_in(admin)
    page.goto("/admin/users")
    assert page.page.locator(f"#user-{reps[0].id}").count() == 1
    return page


def admin_deactivate(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("en")
    page.sign_in(admin)
    page.goto(f"/admin/users/{reps[0].id}/deactivate")
    return page


def admin_replace_contact(site):
    from portal.contacts.services import add_contact

    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    contact = add_contact(
        site.session, agreement.id, orgs[0].id, name="Yhteys", email="yhteys@example.invalid"
    )
    site.session.commit()
    page = site.open("fi")
    page.sign_in(admin)
    page.goto(f"/contacts/{contact.id}/replace")
    return page


def second_factor_page(site):
    """The sign-in's second step, then the sign form asking for a code (the factor not fresh)."""
    import pyotp

    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("sv")
    page.sign_in(reps[0])
    page.goto("/security")
    page.page.locator("form[action$='/security/totp'] button").click()
    secret = page.page.locator("#totp-secret").inner_text()
    page.page.locator("#code").fill(pyotp.TOTP(secret).now())
    page.page.locator("form[action$='/security/totp/confirm'] button").click()
    page.page.wait_for_selector("#recovery-codes")
    page.page.locator("form[action$='/logout'] button").click()
    page.goto("/login")
    page.page.locator("#username").fill(reps[0].username)
    page.page.locator("#password").fill(browser.PASSWORD)
    page.page.locator("main form button[type=submit]").click()
    page.page.wait_for_selector("form[action$='/login/second-factor']")
    assert_accessible(page.page, "second factor")
    site.factory.app.config["PORTAL_MFA_FRESH_SECONDS"] = 0
    page.page.locator("#code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.page.locator("main form button[type=submit]").click()
    page.goto(f"/agreements/{agreement.id}")
    site.factory.app.config["PORTAL_MFA_FRESH_SECONDS"] = 300
    assert page.page.locator("form.sign-form #code").is_visible()
    return page


def login_with_sso(site):
    site.factory.app.config.update(
        PORTAL_OIDC_ISSUER="http://127.0.0.1:9", PORTAL_OIDC_CLIENT_ID="x", PORTAL_OIDC_NAME="Suomi.fi"
    )
    page = site.open("fi")
    page.goto("/login")
    site.factory.app.config.update(PORTAL_OIDC_ISSUER="", PORTAL_OIDC_CLIENT_ID="", PORTAL_OIDC_NAME="")
    assert page.page.get_by_role("link", name="Kirjaudu palvelulla Suomi.fi").is_visible()
    return page


def admin_organisations(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    for i in range(30):
        site.factory.org(name=f"Kunta {i:02d}")
    site.session.commit()
    page = site.open("fi")
    page.sign_in(admin)
    page.goto("/admin/organisations")
    page.page.locator("#organisation-search").fill("Kunta 1")
    expect(page.page.locator("#organisation-results tbody tr")).to_have_count(10)
    return page


def admin_organisation_errors(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("sv")
    page.sign_in(admin)
    page.goto("/admin/organisations/new")
    page.page.locator("#business_id").fill("0211675-3")
    page.page.locator("form[action$='/new'] button[type=submit]").click()
    page.page.wait_for_selector("#business_id[aria-invalid=true]")
    return page


def admin_import_refused(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("fi")
    page.sign_in(admin)
    page.goto("/admin/organisations")
    page.page.locator("#file").set_input_files(
        files=[
            {
                "name": "o.csv",
                "mimeType": "text/csv",
                "buffer": b"business_id;name;kind\n0211675-3;X;municipality\n",
            }
        ]
    )
    page.page.locator("form[action$='/import'] button[type=submit]").click()
    page.page.wait_for_selector("[role=alert]")
    return page


def profile(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("sv")
    page.sign_in(reps[0])
    page.goto("/profile")
    return page


def profile_mail_errors(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("fi")
    page.sign_in(reps[0])
    page.goto("/profile")
    page.page.evaluate(  # a value the form does not offer, as a tampered request would send
        """() => { const radio = document.querySelector("#annex_version-2");
        radio.value = "sometimes"; radio.checked = true; }"""
    )
    with page.page.expect_navigation():
        page.page.locator("form[action$='/profile/mail'] button[type=submit]").click()
    page.page.wait_for_selector("#annex_version-error[role=alert]")
    return page


def notifications_done(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2, invitations=True)
    sign_for(site.session, agreement, reps[:1])
    page = site.open("sv")
    page.sign_in(reps[0])
    page.goto("/notifications")
    assert page.page.locator(".hds-status-label").count() == 1
    return page


def admin_health(site):
    from datetime import timedelta

    from sqlalchemy import update

    from portal.mail.models import OutboxMail
    from portal.timeutil import utcnow

    agreement, orgs, reps, admin = site.factory.agreement(parties=2, invitations=True)
    site.session.execute(update(OutboxMail).values(created_at=utcnow() - timedelta(hours=2)))
    site.session.commit()
    page = site.open("sv")
    page.sign_in(admin)
    page.goto("/admin/health")
    assert page.page.locator("[role=alert]").count() == 1
    return page


def admin_outbox_waiting(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2, invitations=True)
    page = site.open("en")
    page.sign_in(admin)
    page.goto("/admin/outbox")
    assert page.page.locator("#health-summary").count() == 1
    return page


def admin_new_agreement(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2, opened=False)
    for i in range(26):
        site.factory.org(name=f"Kunta {i:02d}")
    site.session.commit()
    page = site.open("fi")
    page.sign_in(admin)
    page.goto("/agreements/new")
    page.page.locator("#party-search").fill("Kunta 1")
    expect(page.page.locator("#party-choices input[name=parties]")).to_have_count(10)
    page.page.locator("#party-choices input").first.check()
    page.page.locator("#party-search").fill("Kunta 2")
    expect(page.page.locator("#party-choices input[name=parties]:checked")).to_have_count(1)
    return page


def admin_edit_draft_errors(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3, opened=False)
    page = site.open("sv")
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}/edit")
    page.page.locator("#title").fill("")
    page.page.locator("#notice_months").fill("0")
    page.page.locator("button[value=save]").click()
    page.page.wait_for_selector("#title[aria-invalid=true]")
    return page


def admin_signing_authorities(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    page = site.open("sv")
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}/authorities")
    page.page.locator("#title").fill("kaupunginjohtaja")
    page.page.locator("#section").fill("45 §")
    page.page.locator("form[action$='/authorities'] button[type=submit]").click()
    page.page.wait_for_selector("[role=status], .hds-notification, #messages *")
    page.goto(f"/agreements/{agreement.id}?tab=parties")
    assert "kaupunginjohtaja" in page.page.content()
    page.goto(f"/agreements/{agreement.id}/authorities")
    return page


def _lifecycle_world(site):
    """Issue 12: an agreement in force with its steering group (a meeting held, quorate), an
    organisation's request to join and an annex uploaded after entry into force (pending)."""
    from datetime import timedelta

    from portal.lifecycle import accessions
    from portal.timeutil import helsinki_today

    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    sign_for(site.session, agreement, reps)
    approve_for(site.session, agreement, orgs, admin)
    site.session.refresh(agreement.main_document)
    session = site.session
    members, meeting = steering_group_met(
        session, agreement, orgs, admin, helsinki_today() - timedelta(days=2), "Pasila"
    )
    newcomer = site.factory.org("Oriveden kaupunki")
    accessions.request_accession(session, agreement, admin, business_id=newcomer.business_id)
    asker = site.factory.user(
        site.factory.org("Kangasalan kunta"), Role.representative
    )  # one more that may ask
    lawyer = site.factory.user(orgs[0], Role.lawyer)
    session.commit()
    annex = site.factory.annex(agreement, lawyer, kind="annex", parties=(), title="Liite: yhteyshenkilöt")
    return agreement, annex, admin, asker


def lifecycle_in_force(lang):
    """The agreement page: the consolidated state with a pending annex, the joining forms."""

    def scenario(site):
        agreement, _annex, admin, _asker = _lifecycle_world(site)
        page = site.open(lang)
        page.sign_in(admin)
        page.goto(f"/agreements/{agreement.id}")
        assert page.page.locator("ul.annexes-pending li").count() == 1
        assert page.page.locator("form.accession-decision-form").is_visible()
        assert page.page.locator("form.accession-form").is_visible()
        return page

    return scenario


def annex_adoption(lang):
    """An annex uploaded after entry into force, pending, with the steering group's decision form."""

    def scenario(site):
        _agreement, annex, admin, _asker = _lifecycle_world(site)
        page = site.open(lang)
        page.sign_in(admin)
        page.goto(f"/documents/{annex.id}")
        assert page.page.locator(".adoption-pending").is_visible()
        assert page.page.locator("form.adoption-form").is_visible()
        return page

    return scenario


def join_page(lang):
    """An organisation's representative asks to join an agreement in force."""

    def scenario(site):
        agreement, _annex, _admin, asker = _lifecycle_world(site)
        page = site.open(lang)
        page.sign_in(asker)
        page.goto(f"/agreements/{agreement.id}/join")
        assert page.page.locator("form.join-form").is_visible()
        return page

    return scenario


PAGES = {
    "security-fi": security_page("fi"),
    "security-sv": security_page("sv"),
    "security-en": security_page("en"),
    "second-factor": second_factor_page,
    "login-sso": login_with_sso,
    "login-fi": login_page("fi"),
    "login-sv": login_page("sv"),
    "login-en": login_page("en"),
    "login-errors": login_with_errors,
    "agreements": agreements_list,
    "home-waiting-fi": home_waiting("fi"),
    "home-waiting-sv": home_waiting("sv"),
    "home-waiting-en": home_waiting("en"),
    "agreement-parties": agreement_tab("parties&show=unsigned"),
    "agreement-contacts": agreement_tab("contacts"),
    "agreement-history": agreement_tab("history"),
    "admin-draft": admin_draft,
    "admin-signing": admin_signing,
    "admin-in-force": admin_in_force,
    "representative": representative,
    "representative-sign-errors": representative_sign_errors,
    "reading-page": reading_page,
    "signed-page": signed_page,
    "verification-page": verification_page,
    "contact-person": contact_person,
    "approval-form-open": approval_form_open,
    "approval-form-errors": approval_form_errors,
    "approval-page": approval_page,
    "annex-parties-list": annex_parties_list,
    "decision-history": decision_history,
    "correction-page": correction_page,
    "terminations": terminations,
    **{f"lifecycle-in-force-{lang}": lifecycle_in_force(lang) for lang in ("fi", "sv", "en")},
    **{f"annex-adoption-{lang}": annex_adoption(lang) for lang in ("fi", "sv", "en")},
    **{f"join-{lang}": join_page(lang) for lang in ("fi", "sv", "en")},
    "costs-page": costs_page,
    "steering-page": steering_page,
    "tokens": tokens,
    "lawyer-document": lawyer_document,
    "admin-document-gate": admin_document_gate,
    "representative-annex-agreement": representative_annex_agreement,
    "lawyer-agreement-with-annexes": lawyer_agreement_with_annexes,
    "admin-jobs": admin_jobs,
    "admin-organisations": admin_organisations,
    "admin-organisation-errors": admin_organisation_errors,
    "admin-import-refused": admin_import_refused,
    "profile": profile,
    "profile-mail-errors": profile_mail_errors,
    "admin-health": admin_health,
    "notifications-done": notifications_done,
    "admin-outbox-waiting": admin_outbox_waiting,
    "admin-new-agreement": admin_new_agreement,
    "admin-edit-draft-errors": admin_edit_draft_errors,
    "admin-signing-authorities": admin_signing_authorities,
    "not-found": not_found,
    "not-found-anonymous": not_found_anonymous,
    "verify-page": verify_page,
    "verify-result": verify_result,
    "admin-people": admin_people,
    "admin-people-errors": admin_people_errors,
    "invitation-fi": invitation_new_person("fi"),
    "invitation-sv": invitation_new_person("sv"),
    "invitation-errors": invitation_errors,
    "invitation-used": invitation_used,
    "invitation-set-password": invitation_set_password,
    "admin-users": admin_users,
    "admin-deactivate": admin_deactivate,
    "admin-replace-contact": admin_replace_contact,
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
        if element["id"] == "read":  # the confirmation that the document was read
            p.keyboard.press("Space")
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


def test_the_own_certificate_form_and_its_refusal_are_accessible(site, app, tmp_path, monkeypatch):
    """Signing with one's own certificate (issue 10, item 4): the form, then a refused upload
    (another person's certificate) with its message on the file field."""
    from tests.owncert import own_ca, sign_with_own_tool

    ca = own_ca()
    (tmp_path / "roots").mkdir()
    (tmp_path / "roots" / "ca.pem").write_bytes(ca.pem)
    monkeypatch.setitem(app.config, "PORTAL_EXTERNAL_TRUST_ROOTS", str(tmp_path / "roots"))
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("sv")
    page.sign_in(reps[0])
    page.goto(f"/agreements/{agreement.id}")
    assert page.page.locator("form.external-sign-form").is_visible()
    assert_accessible(page.page, "own certificate form")
    from portal.appctx import document_context

    current = document_context().storage.read(agreement.main_document.current_sha256)
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(
        browser.off_loop(
            sign_with_own_tool, current, "party-01", ca.person("Joku Muu", "joku@example.invalid")
        )
    )
    page.page.locator("#file").set_input_files(str(signed))
    page.page.locator("form.external-sign-form button[type=submit]").click()
    page.page.wait_for_selector("#file[aria-invalid=true]")
    assert reps[0].email in page.page.locator("#file-error").inner_text()
    assert_accessible(page.page, "own certificate refused")
