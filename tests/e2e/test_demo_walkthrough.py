"""The demo end to end: the Pirkanmaa agreement's 25 parties sign — one in Chromium, 24 through
the API — the secretary records 25 council decisions, the agreement enters into force, and the
downloaded PDF has 25 valid party signatures by `portal verify` and by poppler's pdfsig."""

import json
import subprocess
import urllib.request

import pytest
from playwright.sync_api import expect

from portal.appctx import document_context
from portal.demo.loader import load_demo
from tests.browser import off_loop

pytestmark = [pytest.mark.e2e, pytest.mark.committing]  # served in a thread to Chromium


def call(base: str, method: str, path: str, token: str, body: dict | None = None):
    request = urllib.request.Request(
        base + "/api/v1" + path,
        method=method,  # noqa: S310
        data=json.dumps(body).encode() if body else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (http://127.0.0.1)
        raw = response.read()
        return response.status, (raw if path.endswith("/pdf") else json.loads(raw))


def test_twenty_five_parties_sign_and_the_agreement_enters_into_force(site, db, app, tmp_path):
    logins = off_loop(load_demo, db.session, document_context(), "pw", with_tokens=True)
    db.session.commit()
    reps = [x for x in logins if x.role == "representative"]
    admin = next(x for x in logins if x.role == "administrator")
    assert len(reps) == 25
    _, agreements = call(site.base_url, "GET", "/agreements", admin.token)
    agreement_id = agreements["items"][0]["id"]
    _, detail = call(site.base_url, "GET", f"/agreements/{agreement_id}", admin.token)
    document_id = detail["document_id"]

    # Tampere's representative signs in the browser
    tampere = next(x for x in reps if x.username == "tampere-edustaja")
    page = site.open("fi")
    p = page.page
    page.sign_in(tampere)
    page.goto(f"/agreements/{agreement_id}")
    p.locator("form.sign-form input[name=place]").fill("Tampere")
    p.locator("form.sign-form input[name=password]").fill("pw")
    p.locator("form.sign-form input[name=read]").check()  # the document was read
    p.locator("form.sign-form button[type=submit]").click()
    expect(p.locator("form.sign-form")).to_have_count(0, timeout=30_000)

    # the other 24 through the API, and the 25 council decisions
    for rep in reps:
        if rep is not tampere:
            status, _ = call(
                site.base_url,
                "POST",
                f"/documents/{document_id}/signatures",
                rep.token,
                {"place": "Pirkanmaa"},
            )
            assert status == 201
    for number, rep in enumerate(reps, start=100):
        status, detail = call(
            site.base_url,
            "POST",
            f"/agreements/{agreement_id}/approvals",
            admin.token,
            {
                "business_id": rep.business_id,
                "date": "2026-11-16",
                "body": "Valtuusto",
                "section": str(number),
            },
        )
        assert status == 201
    assert detail["status"] == "in_force" and detail["entered_into_force_on"]
    assert all(party["signature"]["status"] == "signed" for party in detail["parties"])

    page.goto(f"/agreements/{agreement_id}")
    expect(p.locator(".in-force")).to_be_visible()

    _, pdf = call(site.base_url, "GET", f"/documents/{document_id}/pdf", tampere.token)
    path = tmp_path / "pirkanmaa-signed.pdf"
    path.write_bytes(pdf)
    result = off_loop(app.test_cli_runner().invoke, args=["verify", str(path)])
    print(result.output)
    assert result.exit_code == 0 and "27 signatures, 0 problems: VALID" in result.output
    pdfsig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=120)
    print(pdfsig.stdout[-600:])
    assert pdfsig.stdout.count("Signature is Valid.") == 26
