"""Issue 13 item 1: a representative signs in and what waits for them, their signature, is on
the home page within the first viewport, on a desktop (1366×900) and on a phone (390×844);
one click takes them to the reading page and its sign form."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.committing]  # served in a thread to Chromium


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_the_signature_waiting_is_in_the_first_viewport(site, width, height):
    agreement, orgs, reps, admin = site.factory.agreement(parties=25)
    for _ in range(3):  # more agreements of theirs below what waits
        other, other_orgs, _reps, _admin = site.factory.agreement(parties=2, admin=admin, opened=False)
        site.factory.member(reps[0], other, other_orgs[0])
    site.session.commit()
    page = site.open("fi")
    p = page.page
    p.set_viewport_size({"width": width, "height": height})
    page.sign_in(reps[0])
    page.goto("/")
    sign = p.locator(".waiting-list__item--sign a")
    expect(sign).to_have_count(1)
    box = sign.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, box
    assert p.evaluate("() => window.scrollY") == 0
    sign.click()
    p.wait_for_load_state("load")
    assert p.url.endswith(f"/documents/{agreement.main_document_id}/read")  # the reading page
    expect(p.locator("#sign-step form.sign-form")).to_be_visible()
