"""The secretary records the last council decision in the htmx approval form of the parties
section: the agreement enters into force in place, and the signed PDF downloads."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from portal.agreements.domain import Status
from portal.documents.models import ApprovalDecision, Document
from tests.browser import approve_for, sign_for

pytestmark = [pytest.mark.e2e, pytest.mark.committing]  # served in a thread to Chromium


def test_the_last_approval_brings_the_agreement_into_force(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    sign_for(site.session, agreement, reps)  # every party has signed
    approve_for(site.session, agreement, orgs[:-1], admin)  # every council but the last
    page = site.open("fi")
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}?tab=parties")
    p = page.page
    state = p.locator("#party-list-status")
    expect(state.locator(".status-label")).to_have_text("Allekirjoitettavana")
    expect(state).to_contain_text("Allekirjoittaneita osapuolia 3/3, hyväksyneitä 2/3.")
    p.evaluate("() => { window.__sopuMarker = 'unchanged'; }")

    last = p.locator(f"#party-{orgs[-1].id}")
    last.get_by_role("link", name=re.compile("Kirjaa hyväksymispäätös")).click()
    form = last.locator("form.approval-form")
    expect(form).to_be_visible()
    expect(form.locator("legend").first).to_have_text(f"Osapuolen {orgs[-1].name} hyväksymispäätös")
    expect(p.locator(f"#party-{orgs[-1].id}")).to_have_count(1)  # the row was replaced in place
    form.get_by_label("Päätöksen tehnyt toimielin").fill("Kunnanvaltuusto")
    form.get_by_label("Päätöksen päivämäärä").fill("2026-11-16")
    form.get_by_label("Pykälä (§)").fill("45")
    form.get_by_label("Esteelliset jäsenet").fill("Matti Meikäläinen")
    form.get_by_role("button", name="Kirjaa päätös").click()

    expect(state.locator(".status-label")).to_have_text("Voimassa")
    expect(last).to_contain_text("Sopimus tuli voimaan")  # the row's answer says so
    expect(state).to_contain_text("hyväksyneitä 3/3")
    expect(last).to_contain_text("Kunnanvaltuusto 16.11.2026 § 45")
    assert p.evaluate("() => window.__sopuMarker") == "unchanged", "the page was reloaded"

    p.get_by_role("link", name="Yleiskatsaus").click()  # the overview, by htmx
    expect(p.locator("#agreement-state .in-force")).to_contain_text("Sopimus tuli voimaan")
    assert p.evaluate("() => window.__sopuMarker") == "unchanged", "the page was reloaded"

    link = p.get_by_role("link", name="Lataa allekirjoitettu sopimus (PDF)")
    with p.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".pdf")
    data = open(download.path(), "rb").read()
    assert data.startswith(b"%PDF")

    site.session.expire_all()
    document = site.session.get(Document, agreement.main_document_id)
    assert document.status is Status.in_force
    assert data == site.factory.app.extensions["storage"].read(document.current_sha256)
    approval = site.session.query(ApprovalDecision).filter_by(organisation_id=orgs[-1].id).one()
    assert (approval.body, approval.decided_on, approval.section, approval.disqualified_members) == (
        "Kunnanvaltuusto",
        date(2026, 11, 16),
        "45",
        "Matti Meikäläinen",
    )


def test_the_approval_form_tells_what_is_missing(site):
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    page = site.open("fi")
    page.sign_in(admin)
    page.goto(f"/agreements/{agreement.id}?tab=parties")
    p = page.page
    row = p.locator(f"#party-{orgs[0].id}")
    row.get_by_role("link", name=re.compile("Kirjaa hyväksymispäätös")).click()
    row.get_by_label("Pykälä (§)").fill("45")
    row.get_by_role("button", name="Kirjaa päätös").click()

    body = row.get_by_label("Päätöksen tehnyt toimielin")
    expect(body).to_have_attribute("aria-invalid", "true")
    expect(row.locator("#body-error")).not_to_be_empty()
    expect(row.get_by_label("Pykälä (§)")).to_have_value("45")
    expect(p.locator(f"#party-{orgs[0].id}")).to_have_count(1)
    site.session.expire_all()
    assert site.session.query(ApprovalDecision).count() == 0
