"""Reading before signing: the reading page, the confirmation the server requires, the result
page and the signed copy's file name in the UI language."""

import json
from urllib.parse import quote

from portal.audit.models import AuditEvent
from portal.documents.models import Signature
from tests.factories import sign_in

SIGN_STEP = {"HX-Request": "true", "HX-Target": "sign-step"}


def sign_url(agreement) -> str:
    return f"/documents/{agreement.main_document_id}/sign"


def test_the_reading_page_shows_the_document_and_what_is_signed(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    document = agreement.main_document
    page = sign_in(app.test_client(), reps[0]).get(f"/documents/{document.id}/read")
    assert page.status_code == 200
    assert f'data-pdf-url="/documents/{document.id}/pdf"' in page.text
    assert 'data-pdf-worker="/static/vendor/pdfjs/pdf.worker.min.mjs"' in page.text
    assert 'src="/static/js/pdf-viewer.mjs"' in page.text and 'type="module"' in page.text
    assert '<canvas role="img" aria-label="Sivu 1/' in page.text  # the canvas's text alternative
    assert document.current_sha256 in page.text
    assert 'id="sign-step"' in page.text and 'name="read"' in page.text
    assert f'name="version" type="hidden" value="{document.latest_version.number}"' in page.text
    assert reps[0].display_name in page.text and orgs[0].name in page.text  # in whose name


def test_signing_without_the_confirmation_is_refused_and_nothing_changes(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    client = sign_in(app.test_client(), reps[0])
    events = factory.session.query(AuditEvent).count()
    revision = agreement.main_document.current_sha256
    for headers in (SIGN_STEP, {"HX-Request": "true"}, {}):
        refused = client.post(sign_url(agreement), data={"place": "Akaa", "password": "pw"}, headers=headers)
        assert refused.status_code == 422
        assert "Vahvista, että olet lukenut asiakirjan, ennen kuin allekirjoitat sen." in refused.text
        assert 'class="hds-notification hds-notification--error error-summary" role="alert"' in refused.text
        assert 'href="#read"' in refused.text  # the summary links to the checkbox
    assert 'id="sign-step"' in client.post(sign_url(agreement), data={}, headers=SIGN_STEP).text
    factory.session.expire_all()
    assert factory.session.query(Signature).count() == 0
    assert factory.session.query(AuditEvent).count() == events
    assert agreement.main_document.current_sha256 == revision


def test_a_version_uploaded_after_reading_refuses_the_signature(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    client = sign_in(app.test_client(), reps[0])
    stale = int(agreement.main_document.latest_version.number) + 1  # not the version now current
    refused = client.post(
        sign_url(agreement),
        data={"read": "y", "version": str(stale), "place": "Akaa", "password": "pw"},
        headers=SIGN_STEP,
    )
    assert refused.status_code == 422
    assert "Asiakirjasta on tallennettu uusi versio" in refused.text
    assert factory.session.query(Signature).count() == 0


def test_signing_from_the_reading_page_ends_on_the_result_page(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=3)
    document_id = agreement.main_document_id
    client = sign_in(app.test_client(), reps[0])
    version = agreement.main_document.latest_version.number
    signed = client.post(
        sign_url(agreement),
        data={"read": "y", "version": str(version), "place": "Akaa", "password": "pw"},
        headers=SIGN_STEP,
    )
    assert signed.status_code == 200
    # the result page's main region replaces the reading page's, without a page load
    location = json.loads(signed.headers["HX-Location"])
    assert location == {
        "path": f"/documents/{document_id}/signed",
        "target": "#main",
        "select": "#main",
        "swap": "outerHTML",
    }
    assert factory.session.query(Signature).count() == 1

    result = client.get(f"/documents/{document_id}/signed")
    name = "Yhteistyösopimus-allekirjoittanut-1-osapuolta-3-sta.pdf"
    assert f'download="{name}"' in result.text
    assert f'href="/documents/{document_id}/verification"' in result.text
    assert "Allekirjoitit asiakirjan Yhteistyösopimus" in result.text

    verification = client.get(f"/documents/{document_id}/verification")
    assert verification.status_code == 200
    assert "hds-notification--success" in verification.text
    assert "2 osapuolta ei ole vielä allekirjoittanut." in verification.text


def test_the_signed_copys_file_name_says_by_how_many_in_the_ui_language(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    url = f"/documents/{agreement.main_document_id}/pdf"
    before = sign_in(app.test_client(), reps[0]).get(url).headers["Content-Disposition"]
    assert before.startswith('attachment; filename="Yhteistyosopimus-signing.pdf"')
    sign_in(app.test_client(), reps[0]).post(
        sign_url(agreement), data={"read": "y", "place": "Akaa", "password": "pw"}
    )
    names = {
        "fi": "Yhteistyösopimus-allekirjoittanut-1-osapuolta-2-sta.pdf",
        "sv": "Yhteistyösopimus-undertecknat-av-1-av-2.pdf",
        "en": "Yhteistyösopimus-signed-1-of-2.pdf",
    }
    for language, name in names.items():
        reps[1].locale = language
        factory.session.flush()
        disposition = sign_in(app.test_client(), reps[1]).get(url).headers["Content-Disposition"]
        ascii_name = name.replace("ö", "o")
        assert disposition == f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
