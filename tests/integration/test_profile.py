"""A person chooses their language once (issue 9, 7): pages, and party names in Swedish where
a Swedish name is registered."""

from portal.auth.domain import Role


def test_the_language_chosen_on_the_profile_page_stays(app, factory, login, client):
    org = factory.org(name="Porvoon kaupunki")
    org.name_sv = "Borgå stad"
    user = factory.user(org, Role.representative, locale="fi")
    factory.session.commit()
    login(user)
    page = client.get("/profile")
    assert 'lang="fi"' in page.text and "<dd>Porvoon kaupunki</dd>" in page.text
    assert client.post("/profile", data={"locale": "xx"}).status_code == 422
    saved = client.post("/profile", data={"locale": "sv"}, follow_redirects=True)
    assert saved.status_code == 200 and 'lang="sv"' in saved.text
    assert "<dd>Borgå stad</dd>" in saved.text and ", Borgå stad</a>" in saved.text  # the header
    factory.session.expire_all()
    assert user.locale == "sv"
    # a new session of the same person starts in Swedish
    other = app.test_client()
    other.post("/login", data={"username": user.username, "password": "pw"})
    assert 'lang="sv"' in other.get("/").text


def test_a_party_without_a_swedish_name_keeps_its_name(factory, login, client):
    org = factory.org(name="Nokian kaupunki")
    user = factory.user(org, Role.representative, locale="sv")
    factory.session.commit()
    login(user)
    # in Finnish on the Swedish page, and marked so (WCAG 3.1.2)
    assert '<dd><span lang="fi">Nokian kaupunki</span></dd>' in client.get("/profile").text


def test_the_profile_choice_wins_over_an_earlier_switch_in_the_session(factory, login, client):
    user = factory.user(factory.org(), Role.viewer, locale="fi")
    factory.session.commit()
    login(user)
    client.post("/language", data={"lang": "en"})
    assert 'lang="en"' in client.get("/profile").text
    client.post("/profile", data={"locale": "sv"})
    assert 'lang="sv"' in client.get("/profile").text


def test_mail_and_the_signature_stamp_follow_the_persons_language(factory):
    """The invitation to sign reaches a Swedish-speaking representative of Borgå in Swedish,
    with the party's Swedish name; the stamp of their signature names it in Swedish too."""
    from sqlalchemy import select

    from portal.appctx import document_context
    from portal.documents import services as documents
    from portal.mail.models import OutboxMail
    from tests.browser import sign_for

    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    orgs[0].name, orgs[0].name_sv = "Porvoon kaupunki", "Borgå stad"
    reps[0].locale = "sv"
    documents.open_for_signature(
        factory.session,
        document_context(),
        agreement.main_document,
        admin,
        title=agreement.title,
        language="fi",
    )
    factory.session.commit()
    mail = factory.session.scalar(select(OutboxMail).where(OutboxMail.recipient == reps[0].email))
    assert mail.language == "sv" and "Borgå stad" in mail.body_text
    other = factory.session.scalar(select(OutboxMail).where(OutboxMail.recipient == reps[1].email))
    assert other.language == "fi" and "Borgå" not in other.body_text
    sign_for(factory.session, agreement, reps[:1])
    factory.session.expire_all()
    pdf = document_context().storage.read(agreement.main_document.current_sha256)
    stamps = _text(pdf)
    assert "Elektroniskt undertecknat av:" in stamps
    assert f"Borgå stad ({orgs[0].business_id})" in stamps


def _text(pdf: bytes) -> str:
    """The text of every page, stamps included (poppler's pdftotext)."""
    import subprocess

    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, timeout=60, check=True
    ).stdout.decode()
