"""PDF/A-2b at preparation (issue 10, item 7): the prepared document is made from the upload's
PDF/A-2b conversion where that shows the same, the version records it, and the document page
says so; otherwise the original is kept and the page says why."""

import io

import pikepdf

from portal.appctx import document_context


def sign_in(app, user):
    client = app.test_client()
    assert client.post("/login", data={"username": user.username, "password": "pw"}).status_code == 302
    return client


def test_the_prepared_document_is_pdfa_and_the_page_says_so(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    version = agreement.main_document.versions[0]
    assert version.pdfa is True and version.pdfa_note is None
    prepared = document_context().storage.read(version.prepared_sha256)
    with pikepdf.open(io.BytesIO(prepared)) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
        assert "/OutputIntents" in pdf.Root
    page = sign_in(app, reps[0]).get(f"/agreements/{agreement.id}")
    assert "PDF/A-2b" in page.text


def test_without_conversion_the_original_is_kept_and_the_page_says_why(app, factory, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_PDFA", False)
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    version = agreement.main_document.versions[0]
    assert version.pdfa is False and version.pdfa_note == "off"
    prepared = document_context().storage.read(version.prepared_sha256)
    with pikepdf.open(io.BytesIO(prepared)) as pdf:
        assert pdf.open_metadata().pdfa_status == ""
    reps[0].locale = "en"
    factory.session.commit()
    page = sign_in(app, reps[0]).get(f"/agreements/{agreement.id}")
    assert "not PDF/A, because the conversion is turned off on this portal" in page.text
