"""A lawyer uploads an annex agreement in the browser: the upload shows its progress, the check
runs as a background job, the flags appear in place without a page reload, and acknowledging a
warning re-renders that flag only."""

import pytest
from playwright.sync_api import expect

from portal.auth.domain import Role
from tests.browser import assert_accessible
from tests.factories import AGREEMENT_TEXT, sample_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.committing]  # served in a thread to Chromium

COSTS = AGREEMENT_TEXT + "\nKustannukset jaetaan osapuolten kesken asukasluvun mukaan."


def test_a_lawyer_uploads_and_the_flags_appear_in_place(site, app, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_JOBS_INLINE", "thread")  # a job, as in development
    agreement, orgs, reps, admin = site.factory.agreement(parties=3)
    lawyer = site.factory.user(orgs[0], Role.lawyer)
    site.session.commit()

    page = site.open("fi")
    p = page.page
    page.sign_in(lawyer)
    page.goto(f"/agreements/{agreement.id}?tab=documents")
    assert_accessible(p, "agreement page with the upload form")
    p.evaluate("() => { window.__sopuMarker = 'unchanged'; }")
    p.locator("#document-upload-details summary").click()
    form = p.locator("#document-upload")
    form.locator("input[name=title]").fill("Liikuntapalvelujen liitesopimus")
    form.locator("input[type=file]").set_input_files(
        {"name": "liite.pdf", "mimeType": "application/pdf", "buffer": sample_pdf(COSTS)}
    )
    for org in orgs[:2]:
        form.get_by_label(org.name).check()
    form.locator("input[name=goals]").first.check()
    form.locator("button[type=submit]").click()

    row = p.locator("#documents-list li").filter(has_text="Liikuntapalvelujen liitesopimus")
    expect(row).to_have_count(1)
    expect(row.locator(".severity--warning")).to_have_count(1)  # the check finished, in place
    expect(p.locator("#document-upload-progress")).to_have_attribute("value", "0")  # a fresh form
    answer = p.locator("#document-upload [data-feedback]")  # beside the form, and focused
    expect(answer).to_contain_text("Liikuntapalvelujen liitesopimus")
    expect(answer).to_be_focused()
    assert p.evaluate("() => window.__sopuMarker") == "unchanged"  # no page reload

    row.get_by_role("link", name="Liikuntapalvelujen liitesopimus").click()
    p.wait_for_load_state("load")
    warning = p.locator("li.flag--warning")
    expect(warning).to_have_count(1)
    assert_accessible(p, "document page with a warning to acknowledge")
    p.evaluate("() => { window.__sopuMarker = 'unchanged'; }")
    flag_id = warning.get_attribute("id")
    warning.locator("textarea").fill("lyhyt")
    warning.locator("button[type=submit]").click()
    expect(p.locator(f"#{flag_id} [aria-invalid=true]")).to_have_count(1)
    assert_accessible(p, "acknowledgement with an error")
    p.locator(f"#{flag_id} textarea").fill("Kustannusjako on hyväksytty hallituksissa.")
    p.locator(f"#{flag_id} button[type=submit]").click()
    expect(p.locator(f"#{flag_id} .acknowledgement")).to_contain_text("Kustannusjako on hyväksytty")
    expect(p.locator(f"#{flag_id} form")).to_have_count(0)
    assert p.evaluate("() => window.__sopuMarker") == "unchanged"


def test_the_document_page_follows_a_running_check(site, app, monkeypatch):
    """With no worker running yet the page shows the check waiting; once a worker drains the
    queue the same page shows the flags without a reload."""
    from portal.jobs import services as jobs

    monkeypatch.setitem(app.config, "PORTAL_JOBS_INLINE", "")
    agreement, orgs, reps, admin = site.factory.agreement(parties=2)
    lawyer = site.factory.user(orgs[0], Role.lawyer)
    site.session.commit()
    from portal.annexes import services as annexes
    from portal.appctx import document_context

    version = annexes.upload(
        site.session,
        document_context(),
        agreement,
        lawyer,
        kind="annex",
        title="Liite",
        data=sample_pdf(),
        filename="liite.pdf",
    )
    site.session.commit()
    page = site.open("sv")
    p = page.page
    page.sign_in(lawyer)
    page.goto(f"/documents/{version.document_id}")
    expect(p.locator(f"#checks-{version.document_id} progress")).to_have_count(1)
    assert_accessible(p, "a check waiting for the worker")
    p.evaluate("() => { window.__sopuMarker = 'unchanged'; }")
    jobs.run_due(site.session, app.config)
    expect(p.locator(f"#checks-{version.document_id} li.flag")).not_to_have_count(0)
    expect(p.locator(f"#checks-{version.document_id} progress")).to_have_count(0)
    assert p.evaluate("() => window.__sopuMarker") == "unchanged"
