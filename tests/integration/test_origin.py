"""Issue 7, item 11: a state-changing request of the web UI from another site is refused even
with a valid CSRF token, by its Origin header (or its Referer when a browser sends no Origin);
the portal's own origin, and clients that send neither header, still get through."""

import re

import pytest
from flask import g

from portal.notifications.models import Notification

EVIL = "https://evil.example"


def csrf_token(client, url="/login") -> str:
    # the test's app context (the db fixture's) is every request's, and Flask-WTF caches the
    # token in its `g`: drop it, so a page after sign-in renders the new session's token
    g.pop("csrf_token", None)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).text).group(1)


def login(client, user, **headers):
    return client.post(
        "/login",
        headers=headers,
        data={"username": user.username, "password": "pw", "csrf_token": csrf_token(client)},
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": EVIL},
        {"Origin": "null"},
        {"Referer": f"{EVIL}/login"},
        {"Origin": "http://localhost:8080"},
        {"Origin": "https://localhost"},
        {"Origin": EVIL, "Referer": "http://localhost/login"},
        {"Referer": "http://localhost.evil.example/login"},
    ],
)
def test_a_foreign_origin_is_refused_with_a_valid_token(client, factory, csrf_on, headers):
    agreement, orgs, reps, admin = factory.agreement(parties=1, opened=False)
    refused = login(client, reps[0], **headers)
    assert refused.status_code == 400
    assert "Lomake" in refused.text or "lomake" in refused.text  # the translated CSRF message
    assert client.get("/").status_code == 302  # not signed in


def test_a_foreign_origin_changes_nothing_for_a_signed_in_user(client, factory, csrf_on):
    agreement, orgs, reps, admin = factory.agreement(parties=1, invitations=True)
    assert login(client, reps[0]).status_code == 302
    token = csrf_token(client, "/notifications")
    unread = factory.session.query(Notification).filter_by(user_id=reps[0].id, read_at=None).count()
    assert unread >= 1
    for headers in ({"Origin": EVIL}, {"Referer": f"{EVIL}/x"}, {"Origin": EVIL, "HX-Request": "true"}):
        response = client.post("/notifications/read", data={"csrf_token": token}, headers=headers)
        assert response.status_code == 400, headers
    factory.session.expire_all()
    assert factory.session.query(Notification).filter_by(user_id=reps[0].id, read_at=None).count() == unread
    same = client.post(
        "/notifications/read", data={"csrf_token": token}, headers={"Origin": "http://localhost"}
    )
    assert same.status_code == 302, same.text
    factory.session.expire_all()
    assert factory.session.query(Notification).filter_by(user_id=reps[0].id, read_at=None).count() == 0


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "http://localhost"},
        {"Origin": "http://LOCALHOST:80"},
        {"Referer": "http://localhost/login?next=/"},
        {"Origin": "https://sopu.example.fi"},
        {"Referer": "https://sopu.example.fi/login"},
    ],
)
def test_the_portals_own_origin_and_no_header_get_through(
    app, client, factory, csrf_on, monkeypatch, headers
):
    """The request's own origin, and PORTAL_BASE_URL's (the address behind a proxy)."""
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", "https://sopu.example.fi/")
    agreement, orgs, reps, admin = factory.agreement(parties=1, opened=False)
    assert login(client, reps[0], **headers).status_code == 302
    assert client.get("/").status_code == 200


def test_the_api_is_not_checked_for_origin(app, client, factory):
    """Bearer tokens are not sent by a browser on its own: no Origin check there."""
    from portal.auth.domain import Scope
    from tests.factories import bearer

    agreement, orgs, reps, admin = factory.agreement(parties=1, opened=False)
    headers = bearer(app, factory.session, admin, Scope.read, Scope.write) | {"Origin": EVIL}
    response = client.post(f"/api/v1/agreements/{agreement.id}/open", headers=headers)
    assert response.status_code == 200
