"""Pages and fragments: shapes, languages, bad uploads."""

import io

import pytest

from portal.auth.domain import Role
from portal.documents.models import DocumentVersion
from tests.factories import sample_pdf, sign_in


def test_the_state_fragment_is_a_fragment(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    client = sign_in(app.test_client(), reps[0])
    page = client.get(f"/agreements/{agreement.id}")
    assert page.status_code == 200 and "<html" in page.text and 'id="agreement-state"' in page.text
    fragment = client.get(f"/documents/{agreement.main_document_id}/state", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text
    assert fragment.text.lstrip().startswith('<div id="agreement-state"')
    # the person's own party first; every party's row on the parties section, read when asked for
    assert f'id="party-{orgs[0].id}"' in page.text and f'id="party-{orgs[1].id}"' not in page.text
    assert f'href="/agreements/{agreement.id}?tab=parties"' in fragment.text
    listed = client.get(
        f"/agreements/{agreement.id}?tab=parties",
        headers={"HX-Request": "true", "HX-Target": "agreement-tab"},
    )
    for org in orgs:
        assert f'id="party-{org.id}"' in listed.text


def test_every_party_of_a_document_is_listed_a_page_at_a_time_when_asked_for(app, factory):
    """The state region shows counts and the person's own party; an annex agreement's parties
    are listed on a page of their own (the main agreement's in its parties section), filtered."""
    agreement, orgs, reps, admin = factory.agreement(parties=30)
    lawyer = factory.user(orgs[0], Role.lawyer)
    factory.session.commit()
    annex = factory.annex(agreement, lawyer, parties=[o.business_id for o in orgs])
    client = sign_in(app.test_client(), reps[0])
    page = client.get(f"/documents/{annex.id}").text
    assert f'id="party-{orgs[0].id}"' in page and f'id="party-{orgs[1].id}"' not in page
    assert f'href="/documents/{annex.id}/parties"' in page
    listed = client.get(f"/documents/{annex.id}/parties")
    assert listed.status_code == 200 and "<html" in listed.text
    assert listed.text.count('<tr id="party-') == 25 and 'rel="next"' in listed.text
    second = client.get(
        f"/documents/{annex.id}/parties?show=unapproved&page=2",
        headers={"HX-Request": "true", "HX-Target": "party-list"},
    )
    assert second.text.lstrip().startswith("<section") and 'id="party-list"' in second.text
    assert second.text.count('<tr id="party-') == 5 and "<html" not in second.text
    main = client.get(f"/documents/{agreement.main_document_id}/parties?show=unsigned&tab=x")
    assert main.status_code == 302
    assert main.headers["Location"] == f"/agreements/{agreement.id}?tab=parties&show=unsigned"
    outsider = sign_in(app.test_client(), factory.user(factory.org(), Role.representative))
    assert outsider.get(f"/documents/{annex.id}/parties").status_code == 404


def test_the_approval_form_replaces_its_row(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    client = sign_in(app.test_client(), admin)
    form = client.get(
        f"/documents/{agreement.main_document_id}/parties/{orgs[1].id}/approval",
        headers={"HX-Request": "true"},
    )
    assert form.text.lstrip().startswith(f'<tr id="party-{orgs[1].id}"')
    invalid = client.post(
        f"/documents/{agreement.main_document_id}/parties/{orgs[1].id}/approval",
        data={"body": "", "section": "x"},
        headers={"HX-Request": "true"},
    )
    assert invalid.status_code == 422
    assert invalid.headers["HX-Retarget"] == f"#party-{orgs[1].id}"
    assert 'aria-invalid="true"' in invalid.text


@pytest.mark.parametrize(("lang", "word"), [("fi", "Osapuolet"), ("sv", "Parter"), ("en", "Parties")])
def test_the_agreement_page_in_each_language(app, factory, lang, word):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    client = sign_in(app.test_client(), reps[0])
    assert client.post("/language", data={"lang": lang, "next": "/"}).status_code == 302
    page = client.get(f"/agreements/{agreement.id}")
    assert f'<html lang="{lang}">' in page.text
    assert word in page.text


def test_accept_language_is_honoured(app, factory):
    client = app.test_client()
    assert '<html lang="sv">' in client.get("/login", headers={"Accept-Language": "sv"}).text
    assert '<html lang="fi">' in client.get("/login", headers={"Accept-Language": "de"}).text


BAD_FILES = {
    "not a pdf": b"PK\x03\x04 this is a docx renamed",
    "empty": b"",
    "truncated": None,  # the first half of a real PDF
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_upload_is_refused_and_nothing_is_stored(app, factory, name):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    data = BAD_FILES[name] if BAD_FILES[name] is not None else sample_pdf()[:1500]
    before = factory.session.query(DocumentVersion).count()
    client = sign_in(app.test_client(), admin)
    response = client.post(
        f"/agreements/{agreement.id}/document",
        data={"file": (io.BytesIO(data), "sopimus.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code in (200, 422)
    assert 'role="alert"' in response.text
    assert factory.session.query(DocumentVersion).count() == before


def test_an_upload_over_the_limit_is_refused(app, factory, config_override):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    client = sign_in(app.test_client(), admin)
    config_override(MAX_CONTENT_LENGTH=10_000)
    response = client.post(
        f"/agreements/{agreement.id}/document",
        data={"file": (io.BytesIO(b"%PDF" + b"0" * 20_000), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert 'role="alert"' in response.text


def test_a_contact_person_sees_no_sign_form(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    contact = factory.user(orgs[0], Role.contact_person)
    factory.session.commit()
    page = sign_in(app.test_client(), contact).get(f"/agreements/{agreement.id}")
    assert "sign-form" not in page.text
    assert sign_in(app.test_client(), reps[0]).get(f"/agreements/{agreement.id}").text.count("sign-form") == 1


def test_the_documents_section_lists_a_page_at_a_time(app, factory, monkeypatch):
    from portal.annexes import views as annex_views

    monkeypatch.setattr(annex_views, "DOCUMENTS_PER_PAGE", 2)
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    lawyer = factory.user(orgs[0], Role.lawyer)
    factory.session.commit()
    annexes = [factory.annex(agreement, lawyer, title=f"Liite {n}") for n in range(3)]
    client = sign_in(app.test_client(), lawyer)
    first = client.get(f"/agreements/{agreement.id}?tab=documents").text
    assert [f'id="document-{a.id}"' in first for a in annexes] == [True, True, False]
    assert 'rel="next"' in first and "page=2" in first
    second = client.get(
        f"/agreements/{agreement.id}?tab=documents&page=2",
        headers={"HX-Request": "true", "HX-Target": "agreement-tab"},
    ).text
    assert [f'id="document-{a.id}"' in second for a in annexes] == [False, False, True]
    assert 'rel="prev"' in second and "<html" not in second


def test_a_page_loaded_afresh_shows_the_latest_of_several_versions(app, factory):
    """The agreement's page and a document's routes read the document's versions with it, in
    the agreement's or document's own query: the one shown is still the newest, in a session
    that has loaded nothing yet (as a new request's), and the goals (read apart) are all there,
    in their order."""
    from portal.appctx import document_context
    from portal.documents import services as documents

    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    document = agreement.main_document
    ctx = document_context()
    for n in (2, 3):
        documents.add_version(factory.session, ctx, document, sample_pdf(repeat=n), "v.pdf", admin)
    documents.open_for_signature(factory.session, ctx, document, admin, title="T", language="fi")
    factory.session.commit()
    agreement_id, document_id = agreement.id, document.id
    client = sign_in(app.test_client(), reps[0])
    for path in (f"/agreements/{agreement_id}", f"/documents/{document_id}/state"):
        factory.session.expunge_all()  # the request loads afresh, as in its own session
        page = client.get(path, headers={"HX-Request": "true"} if "state" in path else {})
        assert page.status_code == 200, path
        assert 'name="version" type="hidden" value="3"' in page.text, path
    from portal.agreements.models import Goal

    factory.session.add_all(  # written out of order: the page shows them by number
        [Goal(agreement_id=agreement_id, number=n, title=f"Tavoite {n}", indicators="A\nB") for n in (3, 2)]
    )
    factory.session.commit()
    factory.session.expunge_all()
    overview = client.get(f"/agreements/{agreement_id}").text
    assert "Hyvinvoinnin edistäminen" in overview
    assert overview.index("Hyvinvointi") < overview.index("Tavoite 2") < overview.index("Tavoite 3")
    assert overview.count("A; B") == 2
    for missing in (f"/documents/{document_id + 1000}/state", f"/agreements/{agreement_id + 1000}"):
        assert client.get(missing, headers={"HX-Request": "true"}).status_code == 404
