"""Single sign-on against a real OpenID provider on loopback (tests/oidc_provider.py): the test
client follows the redirects to the provider with a real HTTP client, and the portal's own calls
(discovery, token, JWKS) are real HTTP too. The browser's way: tests/e2e/test_sso.py."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from portal.audit.models import AuditEvent
from portal.auth.domain import Role
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Person, running_provider


@pytest.fixture
def provider(app):
    keys = (
        "PORTAL_OIDC_ISSUER",
        "PORTAL_OIDC_CLIENT_ID",
        "PORTAL_OIDC_CLIENT_SECRET",
        "PORTAL_OIDC_NAME",
        "PORTAL_PASSWORD_LOGIN",
    )
    saved = {k: app.config.get(k) for k in keys}
    with running_provider() as provider:
        app.config.update(
            PORTAL_OIDC_ISSUER=provider.base_url,
            PORTAL_OIDC_CLIENT_ID=CLIENT_ID,
            PORTAL_OIDC_CLIENT_SECRET=CLIENT_SECRET,
            PORTAL_OIDC_NAME="Testitunnistus",
        )
        yield provider
    app.config.update(saved)


def sso(client, provider, person: Person):
    """Press the SSO button, let the provider answer as a real HTTP client would, and come back
    to the portal's callback: its answer."""
    provider.person = person
    started = client.get("/login/oidc")
    assert started.status_code == 302, started.text
    authorize = started.headers["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    answer = requests.get(authorize, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_a_verified_email_signs_in(app, client, factory, db, provider):
    user = factory.user(factory.org(), Role.lawyer)
    factory.session.commit()
    assert "Testitunnistus" in client.get("/login").text
    done = sso(client, provider, Person(sub="abc", email=user.email.upper()))
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert provider.verifiers and all(provider.verifiers)  # the token request carried PKCE
    event = db.session.query(AuditEvent).filter_by(kind="sign_in").one()
    assert event.payload["method"] == "oidc"


def test_an_unverified_email_is_refused(app, client, factory, db, provider):
    user = factory.user(factory.org(), Role.lawyer)
    factory.session.commit()
    client.post("/language", data={"lang": "en"})
    refused = sso(client, provider, Person(sub="abc", email=user.email, email_verified=False))
    assert refused.status_code == 403
    assert "has not verified your e-mail address" in refused.text
    assert client.get("/").status_code == 302  # not signed in


def test_an_unknown_email_is_refused_and_no_account_is_made(app, client, factory, db, provider):
    factory.user(factory.org(), Role.lawyer)
    factory.session.commit()
    refused = sso(client, provider, Person(sub="x", email="stranger@example.invalid"))
    assert refused.status_code == 403 and "kutsusta" in refused.text  # Finnish by default
    assert client.get("/").status_code == 302


def test_sso_then_the_second_factor(app, client, factory, db, provider):
    from tests.integration.test_mfa import _code, enrol_totp

    user = factory.user(factory.org(), Role.representative)
    factory.session.commit()
    client.post("/login", data={"username": user.username, "password": "pw"})
    secret, _codes = enrol_totp(client)
    client.post("/logout")
    step = sso(client, provider, Person(sub="abc", email=user.email))
    assert step.status_code == 302 and step.headers["Location"].endswith("/login/second-factor")
    assert client.get("/").status_code == 302
    assert client.post("/login/second-factor", data={"code": _code(secret, 1)}).status_code == 302
    assert client.get("/").status_code == 200


def test_password_sign_in_can_be_switched_off(app, client, factory, db, provider):
    user = factory.user(factory.org(), Role.lawyer)
    factory.session.commit()
    app.config["PORTAL_PASSWORD_LOGIN"] = False
    page = client.get("/login").text
    assert 'name="password"' not in page and "Testitunnistus" in page
    refused = client.post("/login", data={"username": user.username, "password": "pw"})
    assert refused.status_code == 403 and client.get("/").status_code == 302


def test_an_invitation_is_accepted_with_sso(app, client, factory, db, provider):
    """The hook the invitation flow registers (oidc.on_invitation) gets the invitation's key and
    the verified identity, and says whom to sign in; start_sso(next, invitation=KEY) is what
    the invitation's page calls. Here the key is put in the session as start_sso puts it."""
    from portal.auth import oidc

    invited = factory.user(factory.org(), Role.contact_person)
    factory.session.commit()
    seen = []

    def accept(session, key, identity):
        seen.append((key, identity.email, identity.email_verified))
        return invited if key == "kutsu-1" else None

    saved = app.extensions["sopu_oidc_invitation"]
    oidc.on_invitation(app, accept)
    try:
        provider.person = Person(sub="s", email="someone.else@example.invalid")
        started = client.get("/login/oidc")
        with client.session_transaction() as session:
            session["oidc_invitation"] = "kutsu-1"
        answer = requests.get(started.headers["Location"], allow_redirects=False, timeout=10)
        back = urlsplit(answer.headers["Location"])
        done = client.get(f"{back.path}?{back.query}")
    finally:
        app.extensions["sopu_oidc_invitation"] = saved
    assert seen == [("kutsu-1", "someone.else@example.invalid", True)]
    assert done.status_code == 302 and client.get("/").status_code == 200


def test_a_callback_without_its_state_is_refused(app, client, factory, db, provider):
    client.get("/login/oidc")
    refused = client.get("/login/oidc/callback?code=forged&state=forged")
    assert refused.status_code == 403 and client.get("/").status_code == 302


def _follow(client, provider, person: Person, start: str):
    provider.person = person
    started = client.get(start)
    assert started.status_code == 302, started.text
    answer = requests.get(started.headers["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_a_person_invited_by_mail_takes_the_invitation_with_sso(app, client, factory, db, provider):
    """The invitation's page offers the organisation's account: the provider vouches for the
    invited address, and the person is in the agreement with no password of their own. Another
    address, vouched for or not, takes nothing."""
    from portal.appctx import invitation_context
    from portal.invitations import services as invitations
    from portal.invitations.domain import token_digest
    from portal.memberships.models import Membership

    agreement, orgs, reps, admin = factory.agreement(parties=2)
    invited = invitations.invite(
        factory.session,
        invitation_context(),
        admin,
        agreement,
        email="Uusi.Juristi@example.fi",
        role="lawyer",
        business_id=orgs[1].business_id,
    )
    token = "kutsu-sso-" + "s" * 40
    invited.invitation.token_sha256 = token_digest(token)
    factory.session.commit()
    page = client.get(f"/invitations/{token}")
    assert f'href="/invitations/{token}/sso"' in page.text
    refused = _follow(
        client, provider, Person(sub="x", email="joku.muu@example.fi"), f"/invitations/{token}/sso"
    )
    assert refused.status_code == 403  # another address: nobody is signed in, nothing taken
    assert db.session.query(Membership).filter_by(role="lawyer").count() == 0
    done = _follow(
        client,
        provider,
        Person(sub="y", email="uusi.juristi@example.fi", name="Uusi Juristi"),
        f"/invitations/{token}/sso",
    )
    assert done.status_code == 302, done.text
    assert client.get(f"/agreements/{agreement.id}").status_code == 200
    member = db.session.query(Membership).filter_by(role="lawyer").one()
    assert member.organisation_id == orgs[1].id and member.user.display_name == "Uusi Juristi"
    assert client.get(f"/invitations/{token}").status_code == 410  # used
