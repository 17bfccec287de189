"""After signing in and after choosing a language the portal goes back only to its own pages:
never to another site, and a CR/LF in `next` is a redirect home, not a 500."""

import pytest

from portal.auth.domain import Role

HOSTILE_QUERY = [
    "/%09/evil.example",
    "/%0D%0ASet-Cookie:%20x=1",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "https://evil.example",
    "/%E2%80%AE/evil.example",
]


def _location(response) -> str:
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def _is_home(location: str) -> bool:
    return location in ("/", "http://localhost/")


@pytest.mark.parametrize("query", HOSTILE_QUERY)
def test_login_next_never_leaves_the_site(client, factory, query):
    user = factory.user(factory.org(), Role.viewer)
    factory.session.commit()
    response = client.post(f"/login?next={query}", data={"username": user.username, "password": "pw"})
    assert _is_home(_location(response))


@pytest.mark.parametrize(
    "value",
    [
        "/\t/evil.example",
        "/%09/evil.example",
        "/\r\nSet-Cookie: x=1",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "/\u202e/evil.example",
    ],
)
def test_language_next_never_leaves_the_site(client, db, value):
    response = client.post("/language", data={"lang": "sv", "next": value})
    assert _is_home(_location(response))


def test_own_page_is_kept_as_next(client, factory):
    user = factory.user(factory.org(), Role.viewer)
    factory.session.commit()
    response = client.post(
        "/login?next=%2Fnotifications%3Fpage%3D2", data={"username": user.username, "password": "pw"}
    )
    assert _location(response) == "/notifications?page=2"
    assert _location(client.post("/language", data={"lang": "fi", "next": "/tokens"})) == "/tokens"
