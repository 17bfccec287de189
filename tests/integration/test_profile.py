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
    assert "<dd>Borgå stad</dd>" in saved.text and ", Borgå stad (" in saved.text
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
    assert "<dd>Nokian kaupunki</dd>" in client.get("/profile").text


def test_the_profile_choice_wins_over_an_earlier_switch_in_the_session(factory, login, client):
    user = factory.user(factory.org(), Role.viewer, locale="fi")
    factory.session.commit()
    login(user)
    client.post("/language", data={"lang": "en"})
    assert 'lang="en"' in client.get("/profile").text
    client.post("/profile", data={"locale": "sv"})
    assert 'lang="sv"' in client.get("/profile").text
