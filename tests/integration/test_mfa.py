"""The second factor: enrolling an authenticator app (TOTP) with recovery codes, signing in with
it, the step-up at signing (a fresh factor, not the password), PORTAL_MFA=required, the limits of
wrong codes, and the signing keys re-wrapped or superseded. Passkeys: tests/e2e/test_passkeys.py."""

import json
import re
import time

import pyotp
import pytest

import signing
from portal.auth import mfa
from portal.auth.domain import Role
from portal.auth.models import PasskeyCredential, RecoveryCode, SigningCredential
from portal.authority.services import credential_passphrase, signer_passphrase, unlock_signer
from portal.documents.models import Signature
from portal.timeutil import utcnow


def _login(client, user, password="pw"):
    client.post("/language", data={"lang": "en"})  # the messages below are the English ones
    return client.post("/login", data={"username": user.username, "password": password})


def _code(secret: str, steps_ahead: int = 0) -> str:
    """The app's code `steps_ahead` 30-second steps from now (each code is accepted once, so a
    test that needs a second one takes the next step's)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def enrol_totp(client) -> tuple[str, list[str]]:
    """Set up an authenticator app through the security page: (secret, recovery codes)."""
    assert client.post("/security/totp").status_code == 302
    page = client.get("/security").text
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    confirmed = client.post("/security/totp/confirm", data={"code": _code(secret)})
    assert confirmed.status_code == 200, confirmed.text
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", confirmed.text)
    return secret, codes


@pytest.fixture
def mfa_mode(app):
    saved = app.config["PORTAL_MFA"]

    def set_mode(mode: str) -> None:
        app.config["PORTAL_MFA"] = mode

    yield set_mode
    app.config["PORTAL_MFA"] = saved


@pytest.fixture
def limits(app):
    from portal.extensions import limiter

    saved = app.config["PORTAL_LOGIN_RATE_LIMIT"]
    limiter.storage.reset()

    def set_limits(per_account: str) -> None:
        app.config["PORTAL_LOGIN_RATE_LIMIT"] = per_account

    yield set_limits
    app.config["PORTAL_LOGIN_RATE_LIMIT"] = saved
    limiter.storage.reset()


def test_enrolling_an_app_shows_recovery_codes_once_and_stores_them_hashed(app, factory, db):
    rep = factory.user(factory.org(), Role.representative)
    factory.session.commit()
    client = app.test_client()
    _login(client, rep)
    assert client.post("/security/totp").status_code == 302
    wrong = client.post("/security/totp/confirm", data={"code": "000000"})
    assert wrong.status_code == 422 and "The code was wrong" in wrong.text
    secret, codes = enrol_totp(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = {r.code_sha256 for r in db.session.query(RecoveryCode).filter_by(user_id=rep.id)}
    assert len(stored) == 10 and not any(c in s for c in codes for s in stored)
    again = client.get("/security").text
    assert codes[0] not in again and "Recovery codes left: 10" in again


def test_sign_in_asks_for_the_app_code_after_the_password(app, factory, db):
    rep = factory.user(factory.org(), Role.representative)
    factory.session.commit()
    client = app.test_client()
    _login(client, rep)
    secret, _codes = enrol_totp(client)
    client.post("/logout")

    step = _login(client, rep)
    assert step.status_code == 302 and step.headers["Location"].endswith("/login/second-factor")
    assert client.get("/").status_code == 302  # not signed in yet
    assert client.post("/login/second-factor", data={"code": "123456"}).status_code == 422
    code = _code(secret, 1)
    done = client.post("/login/second-factor", data={"code": code})
    assert done.status_code == 302 and client.get("/").status_code == 200
    # the same code is accepted once (the very code: asked for again after a 30-second step
    # boundary, _code would give the next step's, a new one)
    client.post("/logout")
    _login(client, rep)
    replay = client.post("/login/second-factor", data={"code": code})
    assert replay.status_code == 422


def test_a_recovery_code_works_once(app, factory, db):
    rep = factory.user(factory.org(), Role.lawyer)
    factory.session.commit()
    client = app.test_client()
    _login(client, rep)
    _secret, codes = enrol_totp(client)
    client.post("/logout")
    _login(client, rep)
    assert client.post("/login/second-factor", data={"code": codes[3].upper()}).status_code == 302
    client.post("/logout")
    _login(client, rep)
    assert client.post("/login/second-factor", data={"code": codes[3]}).status_code == 422
    assert db.session.query(RecoveryCode).filter(RecoveryCode.used_at.is_not(None)).count() == 1


def test_signing_asks_for_a_fresh_second_factor_not_the_password(app, factory, db):
    agreement, _orgs, (rep, _other), _admin = factory.agreement(parties=2)
    client = app.test_client()
    _login(client, rep)
    secret, _codes = enrol_totp(client)
    with client.session_transaction() as session:
        session["mfa_at"] = time.time() - 3600  # the factor was verified an hour ago
    url = f"/documents/{agreement.main_document_id}/sign"
    form = client.get(f"/agreements/{agreement.id}").text
    assert 'name="code"' in form and 'name="password"' not in form
    refused = client.post(url, data={"read": "y", "place": "Tampere", "password": "pw"})
    assert refused.status_code == 422 and "Confirm with your second factor" in refused.text
    assert client.post(url, data={"read": "y", "place": "Tampere", "code": "111111"}).status_code == 422
    assert db.session.query(Signature).count() == 0
    signed = client.post(url, data={"read": "y", "place": "Tampere", "code": _code(secret, 1)})
    assert signed.status_code == 302, signed.text
    assert db.session.query(Signature).count() == 1


def test_a_fresh_factor_signs_without_a_new_code(app, factory, db):
    agreement, _orgs, (rep,), _admin = factory.agreement(parties=1)
    client = app.test_client()
    _login(client, rep)
    enrol_totp(client)  # verified just now
    page = client.get(f"/agreements/{agreement.id}").text
    assert "no code is needed" in page
    url = f"/documents/{agreement.main_document_id}/sign"
    assert client.post(url, data={"read": "y", "place": "Tampere"}).status_code == 302
    assert db.session.query(Signature).count() == 1


def test_wrong_codes_are_limited_like_wrong_passwords(app, factory, db, limits):
    limits("3 per minute")
    rep = factory.user(factory.org(), Role.representative)
    factory.session.commit()
    client = app.test_client()
    _login(client, rep)
    secret, _codes = enrol_totp(client)
    client.post("/logout")
    _login(client, rep)
    wrong = [client.post("/login/second-factor", data={"code": "000000"}).status_code for _ in range(3)]
    assert wrong == [422] * 3
    refused = client.post("/login/second-factor", data={"code": _code(secret, 1)})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert client.get("/").status_code == 302


def test_required_mode_makes_representatives_enrol_first(app, factory, db, mfa_mode):
    mfa_mode("required")
    agreement, orgs, reps, admin = factory.agreement(parties=1)  # a representative in it
    rep, lawyer = reps[0], factory.user(orgs[0], Role.lawyer)
    factory.session.commit()
    client = app.test_client()
    _login(client, rep)
    forced = client.get("/")
    assert forced.status_code == 302 and forced.headers["Location"].endswith("/security")
    assert "Your role requires a second factor" in client.get("/security").text
    assert client.get("/notifications/badge", headers={"HX-Request": "true"}).status_code == 403
    enrol_totp(client)
    assert client.get("/").status_code == 200
    other = app.test_client()
    _login(other, lawyer)
    assert other.get("/").status_code == 200  # lawyers are not asked


def test_off_mode_hides_the_factor(app, factory, db, mfa_mode):
    rep = factory.user(factory.org(), Role.representative)
    factory.session.commit()
    client = app.test_client()
    _login(client, rep)
    enrol_totp(client)
    client.post("/logout")
    mfa_mode("off")
    assert _login(client, rep).headers["Location"].endswith("/")
    assert client.get("/security").status_code == 404


def _legacy_credential(app, db, rep) -> SigningCredential:
    """A credential as they were made before key_salt: its key wrapped with the password."""
    kek = app.config["PORTAL_KEY_ENCRYPTION_KEY"]
    unlock_signer(db.session, kek, rep, None, utcnow())
    credential = db.session.query(SigningCredential).filter_by(user_id=rep.id).one()
    key = signing.decrypt_private_key(
        credential.private_key_encrypted.encode(), credential_passphrase(kek, credential)
    )
    credential.private_key_encrypted = signing.encrypt_private_key(
        key, signer_passphrase(kek, rep, "pw")
    ).decode()
    credential.key_salt = None
    db.session.commit()
    return credential


def test_a_legacy_key_is_rewrapped_at_a_signature_with_the_password(app, factory, db):
    agreement, _orgs, (rep,), _admin = factory.agreement(parties=1)
    legacy = _legacy_credential(app, db, rep)
    client = app.test_client()
    _login(client, rep)
    url = f"/documents/{agreement.main_document_id}/sign"
    assert client.post(url, data={"read": "y", "place": "Tampere", "password": "pw"}).status_code == 302
    db.session.expire_all()
    credentials = db.session.query(SigningCredential).filter_by(user_id=rep.id).all()
    assert [c.id for c in credentials] == [legacy.id] and credentials[0].key_salt
    assert db.session.query(Signature).one().certificate_sha256 == legacy.certificate_sha256


def test_a_legacy_key_is_superseded_when_the_second_factor_confirms(app, factory, db):
    agreement, _orgs, (rep,), _admin = factory.agreement(parties=1)
    legacy = _legacy_credential(app, db, rep)
    client = app.test_client()
    _login(client, rep)
    enrol_totp(client)
    url = f"/documents/{agreement.main_document_id}/sign"
    assert client.post(url, data={"read": "y", "place": "Tampere"}).status_code == 302
    db.session.expire_all()
    old = db.session.get(SigningCredential, legacy.id)
    assert old.revoked_at is not None and old.revocation_reason == "superseded"
    signature = db.session.query(Signature).one()
    assert signature.certificate_sha256 != legacy.certificate_sha256


def test_changing_factors_needs_a_fresh_one(app, factory, db):
    rep = factory.user(factory.org(), Role.representative)
    factory.session.commit()
    client = app.test_client()
    _login(client, rep)
    secret, old_codes = enrol_totp(client)
    with client.session_transaction() as session:
        session["mfa_at"] = time.time() - 3600
    assert client.post("/security/recovery-codes").status_code == 302  # refused: not fresh
    assert client.post("/security/totp/remove").status_code == 302
    assert mfa.factors(db.session, rep).totp
    assert client.post("/security/confirm", data={"code": "000000"}).status_code == 422
    assert client.post("/security/confirm", data={"code": _code(secret, 1)}).status_code == 302
    renewed = client.post("/security/recovery-codes")
    new_codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", renewed.text)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert client.post("/security/totp/remove").status_code == 302
    db.session.expire_all()
    assert not mfa.factors(db.session, rep).totp


def test_a_passkey_holder_is_told_to_use_it_and_a_forged_assertion_signs_nothing(app, factory, db):
    """Passkeys themselves run in Chromium (tests/e2e/test_passkeys.py); here the refusals."""
    agreement, _orgs, (rep,), _admin = factory.agreement(parties=1)
    client = app.test_client()
    _login(client, rep)
    db.session.add(PasskeyCredential(user_id=rep.id, credential_id="AAAA", public_key="AAAA", name="Työkone"))
    db.session.commit()
    page = client.get(f"/agreements/{agreement.id}").text
    assert "Sign with a passkey" in page and 'name="password"' not in page
    url = f"/documents/{agreement.main_document_id}/sign"
    told = client.post(url, data={"read": "y", "place": "Tampere"})
    assert told.status_code == 422 and 'role="alert">Confirm with your second factor' in told.text
    assert client.post("/second-factor/passkey/options").status_code == 200  # a challenge
    forged = client.post(
        url,
        data={
            "read": "y",
            "place": "Tampere",
            "passkey": json.dumps({"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}),
        },
    )
    assert forged.status_code == 422 and "The passkey could not be verified" in forged.text
    assert db.session.query(Signature).count() == 0
