"""Wrong passwords are limited per account and per address, at sign-in, at the sign form and at
sign-scoped token creation alike (one budget per account), and only failures count."""

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import security
from portal.auth.domain import Role
from portal.auth.models import ApiToken
from portal.config import load_config
from portal.documents.models import Signature


@pytest.fixture
def limits(app, monkeypatch):
    """Set the per-account and per-address limits of failed passwords for one test."""
    from portal.extensions import limiter

    limiter.reset()

    def set_limits(account: str = "10 per minute", address: str = "") -> None:
        monkeypatch.setitem(app.config, "PORTAL_LOGIN_RATE_LIMIT", account)
        monkeypatch.setitem(app.config, "PORTAL_LOGIN_ADDRESS_RATE_LIMIT", address)

    yield set_limits
    limiter.reset()


def login(client, username, password, **kwargs):
    return client.post("/login", data={"username": username, "password": password}, **kwargs)


def test_another_user_signs_in_from_an_address_where_someone_failed_ten_times(client, factory, limits):
    limits("10 per minute")
    victim, other = factory.user(factory.org(), Role.viewer), factory.user(factory.org(), Role.viewer)
    factory.session.commit()
    codes = [login(client, victim.username, "wrong").status_code for _ in range(10)]
    assert codes == [422] * 10
    locked = login(client, victim.username, "pw")  # even the right password: the account waits
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) >= 1
    assert "Too many attempts" in locked.text or "Liian monta yritystä" in locked.text
    assert login(client, other.username, "pw").status_code == 302


def test_many_failures_from_one_address_are_limited_across_accounts(client, factory, limits):
    limits("10 per minute", address="5 per minute")
    user = factory.user(factory.org(), Role.viewer)
    factory.session.commit()
    assert [login(client, f"guess-{n}", "wrong").status_code for n in range(5)] == [422] * 5
    assert login(client, "guess-6", "wrong").status_code == 429
    assert login(client, user.username, "pw").status_code == 429
    elsewhere = login(client, user.username, "pw", environ_base={"REMOTE_ADDR": "192.0.2.8"})
    assert elsewhere.status_code == 302


def test_the_address_limit_defaults_to_ten_times_the_account_limit(client, factory, limits):
    limits("1 per minute")
    codes = [login(client, f"guess-{n}", "wrong").status_code for n in range(11)]
    assert codes == [422] * 10 + [429]


def test_correct_passwords_do_not_count(app, factory, limits):
    limits("3 per minute", address="3 per minute")
    user = factory.user(factory.org(), Role.viewer)
    factory.session.commit()
    assert [login(app.test_client(), user.username, "pw").status_code for _ in range(8)] == [302] * 8


def test_signing_passwords_are_limited_with_the_logins_failures(app, factory, limits):
    """Five wrong logins and five wrong signing passwords use up one account's ten: the next
    signing attempt is refused with 429 and nothing is signed, even with the right password."""
    limits("10 per minute")
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    rep = reps[0]
    for _ in range(5):
        assert login(app.test_client(), rep.username, "wrong").status_code == 422
    client = app.test_client()
    assert login(client, rep.username, "pw").status_code == 302
    url = f"/documents/{agreement.main_document_id}/sign"
    for _ in range(5):
        assert (
            client.post(
                url, data={"read": "y", "place": "Akaa", "password": "wrong"}, headers={"HX-Request": "true"}
            ).status_code
            == 422
        )
    refused = client.post(
        url, data={"read": "y", "place": "Akaa", "password": "pw"}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "Too many attempts" in refused.text or "Liian monta yritystä" in refused.text
    assert 'id="agreement-state"' in refused.text  # the state region with the form, for htmx
    assert factory.session.query(Signature).count() == 0


def test_document_sign_form_is_limited_too(app, factory, limits):
    limits("3 per minute")
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    client = app.test_client()
    assert login(client, reps[0].username, "pw").status_code == 302
    url = f"/documents/{agreement.main_document_id}/sign"
    codes = [
        client.post(url, data={"read": "y", "place": "Akaa", "password": "wrong"}).status_code
        for _ in range(3)
    ]
    assert codes == [422] * 3
    assert client.post(url, data={"read": "y", "place": "Akaa", "password": "pw"}).status_code == 429
    assert factory.session.query(Signature).count() == 0


def test_sign_scoped_token_passwords_are_limited(app, factory, limits):
    limits("3 per minute")
    agreement, _orgs, (rep,), _admin = factory.agreement(parties=1)
    client = app.test_client()
    assert login(client, rep.username, "pw").status_code == 302
    data = {"name": "robot", "sign": "y", "password": "wrong", "documents": [agreement.main_document_id]}
    assert [client.post("/tokens", data=data).status_code for _ in range(3)] == [422] * 3
    refused = client.post("/tokens", data={**data, "password": "pw"})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert factory.session.query(ApiToken).count() == 0
    # a wrong signing password counts against sign-in as well
    assert login(app.test_client(), rep.username, "pw").status_code == 429


def test_x_forwarded_for_is_ignored_without_trusted_proxies(client, factory, limits):
    limits("10 per minute", address="3 per minute")
    for n in range(3):
        response = login(client, f"guess-{n}", "wrong", headers={"X-Forwarded-For": f"203.0.113.{n}"})
        assert response.status_code == 422
    # a fresh X-Forwarded-For does not buy a fresh budget
    assert login(client, "guess", "wrong", headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 429


def test_x_forwarded_for_is_honoured_from_trusted_proxies(app, client, factory, limits, monkeypatch):
    limits("10 per minute", address="3 per minute")
    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)  # restored after the test
    monkeypatch.setitem(app.config, "PORTAL_TRUSTED_PROXIES", 1)
    security.trust_proxies(app)
    assert isinstance(app.wsgi_app, ProxyFix)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(3):
        assert (
            login(
                client, f"guess-{n}", "wrong", environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.5"}
            ).status_code
            == 422
        )
    assert (
        login(
            client, "guess", "wrong", environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.5"}
        ).status_code
        == 429
    )
    # another client behind the same proxy has its own budget; a forged hop further left is ignored
    assert (
        login(
            client,
            "guess",
            "wrong",
            environ_base=proxy,
            headers={"X-Forwarded-For": "203.0.113.5, 198.51.100.7"},
        ).status_code
        == 422
    )


def test_trusted_proxies_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "2")
    assert load_config()["PORTAL_TRUSTED_PROXIES"] == 2
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "10.0.0.1")
    with pytest.raises(ValueError, match="number of reverse proxies"):
        load_config()
    monkeypatch.delenv("PORTAL_TRUSTED_PROXIES")
    assert load_config()["PORTAL_TRUSTED_PROXIES"] == 0


def test_an_ipv6_client_counts_by_its_64(client, factory, limits):
    limits("10 per minute", address="2 per minute")
    for host in ("2001:db8:1:2::10", "2001:db8:1:2:ffff::7"):
        assert login(client, f"guess-{host}", "wrong", environ_base={"REMOTE_ADDR": host}).status_code == 422
    same_64, next_64 = {"REMOTE_ADDR": "2001:db8:1:2::99"}, {"REMOTE_ADDR": "2001:db8:1:3::1"}
    assert login(client, "guess", "wrong", environ_base=same_64).status_code == 429
    assert login(client, "guess", "wrong", environ_base=next_64).status_code == 422


@pytest.mark.parametrize(
    ("development", "storage_set", "warned"),
    [(False, False, True), (False, True, False), (True, False, False)],
)
def test_production_without_shared_limit_storage_warns_at_start_up(caplog, development, storage_set, warned):
    from flask import Flask

    app = Flask("probe")
    app.config.update(PORTAL_DEVELOPMENT=development, PORTAL_RATELIMIT_STORAGE_SET=storage_set)
    with caplog.at_level("WARNING", logger="portal.security"):
        security.init_app(app)
    assert ("PORTAL_RATELIMIT_STORAGE_URL is not set" in caplog.text) is warned
