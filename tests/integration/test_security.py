"""Headers, cookies, CSRF and sign-in hardening."""

import re

from portal.auth.domain import Role


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in csp and "'unsafe-inline'" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.text and " on" + "click=" not in response.text


def test_htmx_is_configured_to_match_the_csp(client):
    config = re.search(r'name="htmx-config" content=\'([^\']*)\'', client.get("/login").text)
    assert config
    assert '"allowEval": false' in config.group(1)
    assert '"allowScriptTags": false' in config.group(1)
    assert '"selfRequestsOnly": true' in config.group(1)
    # Swapped-in content is wired up (hx- attributes, autofocus) in the same task as the swap:
    # with htmx's default 20 ms settle a quick click on a new form posted it without htmx and
    # the autofocus could move the caret away from a field being typed into.
    assert '"defaultSettleDelay": 0' in config.group(1)


def test_session_cookie_is_hardened_and_renewed_at_sign_in(app, client, factory):
    user = factory.user(factory.org(), Role.viewer)
    factory.session.commit()
    client.get("/login")
    before = client.get_cookie("sopu_session")
    old_nonce = user.session_nonce
    response = client.post("/login", data={"username": user.username, "password": "pw"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("Secure" in cookie) == (not app.config["PORTAL_DEVELOPMENT"])
    after = client.get_cookie("sopu_session")
    assert before is None or after.value != before.value
    # a new nonce at every sign-in: sessions of an earlier sign-in stop working
    factory.session.refresh(user)
    assert user.session_nonce and user.session_nonce != old_nonce


def test_wrong_password_is_refused_without_saying_which_part(client, factory):
    user = factory.user(factory.org(), Role.viewer)
    factory.session.commit()
    response = client.post("/login", data={"username": user.username, "password": "nope"})
    unknown = client.post("/login", data={"username": "nobody", "password": "nope"})
    assert response.status_code == unknown.status_code == 422
    assert "Väärä käyttäjätunnus tai salasana" in response.text or "Wrong username" in response.text


def test_passwords_are_hashed_with_argon2(factory):
    user = factory.user(factory.org(), Role.viewer)
    assert user.password_hash.startswith("$argon2id$")


def test_sign_in_is_rate_limited(client, config_override):
    from portal.extensions import limiter

    limiter.reset()
    config_override(PORTAL_LOGIN_RATE_LIMIT="10 per minute")
    try:
        codes = [
            client.post("/login", data={"username": "x", "password": "y"}).status_code for _ in range(12)
        ]
    finally:
        limiter.reset()
    assert codes[0] == 422 and codes[-1] == 429, codes


def test_state_changes_need_the_csrf_token(app, client, factory, csrf_on):
    """Every POST route of the web UI refuses a request without the CSRF token."""
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    # the API takes bearer tokens only; OCSP (RFC 6960) is a public POST that changes nothing
    posts = [
        r
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and not r.rule.startswith(("/api/", "/pki/"))
    ]
    assert len(posts) >= 6
    for rule in posts:
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", "1")
        response = client.post(url, data={"lang": "sv"})
        assert response.status_code == 400, url
        assert "lomake" in response.text.lower() or "form" in response.text.lower(), url
