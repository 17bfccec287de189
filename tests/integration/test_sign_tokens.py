"""Sign-scoped API tokens are bound to the documents they were made for and expire within 15
minutes; only the demo's tokens (portal demo --tokens) sign every document of the demo agreement
for a day, annex agreements included."""

import re
from datetime import timedelta

from portal.agreements.services import create_agreement
from portal.appctx import document_context
from portal.auth.domain import DEMO_SIGN_TOKEN_LIFETIME, SIGN_TOKEN_LIFETIME, Role, Scope
from portal.auth.models import ApiToken
from portal.demo.loader import load_demo
from portal.documents import services as documents
from portal.documents.models import Signature
from portal.timeutil import utcnow
from tests.factories import sample_pdf
from tests.integration.test_annexes import THREE, agreement_id, upload
from tests.integration.test_mfa import _code, enrol_totp
from tests.unit.checks.texts import FI_GOOD


def _login(client, user):
    assert client.post("/login", data={"username": user.username, "password": "pw"}).status_code == 302


def _sign(client, raw: str, document_id: int):
    return client.post(
        f"/api/v1/documents/{document_id}/signatures",
        headers={"Authorization": f"Bearer {raw}"},
        json={"place": "Tampere"},
    )


def _create(client, document_ids: list[int], **extra) -> str:
    page = client.post("/tokens", data={"name": "robot", "sign": "y", "documents": document_ids, **extra})
    assert page.status_code == 200, page.text
    return re.search(r'<code class="token" id="new-token">([^<]+)</code>', page.text).group(1)


def test_a_sign_token_signs_only_the_documents_it_was_made_for(app, client, factory, db):
    first, orgs, (rep, _other), admin = factory.agreement(parties=2)
    second = _second_agreement(factory, admin, orgs[0])  # Tampere is a party to both
    factory.member(rep, second, orgs[0])  # and rep its representative in both: the token decides
    factory.session.commit()
    _login(client, rep)
    raw = _create(client, [first.main_document_id], password="pw")
    row = db.session.query(ApiToken).one()
    assert row.expires_at - row.created_at <= SIGN_TOKEN_LIFETIME + timedelta(seconds=1)
    assert row.scope_set == {Scope.read, Scope.sign}

    other = _sign(client, raw, second.main_document_id)
    assert other.status_code == 403 and other.json["error"] == "token_not_for_document"
    assert _sign(client, raw, first.main_document_id).status_code == 201
    assert db.session.query(Signature).count() == 1


def _second_agreement(factory, admin, org):
    ctx = document_context()
    agreement = create_agreement(
        factory.session,
        admin,
        title="Toinen sopimus",
        business_ids=[org.business_id],
        goals=[("Liikunta", "Liikunta")],
    )
    documents.add_version(factory.session, ctx, agreement.main_document, sample_pdf(), "s.pdf", admin)
    documents.open_for_signature(
        factory.session, ctx, agreement.main_document, admin, title=agreement.title, language="fi"
    )
    factory.session.commit()
    return agreement


def test_a_sign_token_names_documents_of_one_agreement(app, client, factory, db):
    first, orgs, (rep,), _admin = factory.agreement(parties=1)
    _login(client, rep)
    page = client.post("/tokens", data={"name": "robot", "sign": "y", "password": "pw"})
    assert page.status_code == 422 and "Valitse asiakirjat" in page.text
    assert db.session.query(ApiToken).count() == 0


def test_an_expired_sign_token_is_refused(app, client, factory, db):
    agreement, _orgs, (rep,), _admin = factory.agreement(parties=1)
    _login(client, rep)
    raw = _create(client, [agreement.main_document_id], password="pw")
    row = db.session.query(ApiToken).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    expired = _sign(client, raw, agreement.main_document_id)
    assert expired.status_code == 401 and expired.json["error"] == "token_expired"
    assert db.session.query(Signature).count() == 0


def test_a_sign_token_asks_for_the_second_factor_of_those_who_have_one(app, client, factory, db):
    agreement, _orgs, (rep,), _admin = factory.agreement(parties=1)
    _login(client, rep)
    secret, _codes = enrol_totp(client)
    with client.session_transaction() as session:
        session["mfa_at"] = 0  # long ago
    page = client.post(
        "/tokens",
        data={"name": "robot", "sign": "y", "password": "pw", "documents": [agreement.main_document_id]},
    )
    assert page.status_code == 422 and db.session.query(ApiToken).count() == 0
    raw = _create(client, [agreement.main_document_id], code=_code(secret, 1))
    assert _sign(client, raw, agreement.main_document_id).status_code == 201


def test_the_demo_tokens_sign_an_annex_agreement_for_a_day(app, client, db):
    logins = load_demo(db.session, document_context(), "pw", with_tokens=True)
    db.session.commit()
    headers = {x.username: {"Authorization": f"Bearer {x.token}"} for x in logins}
    rep_token = next(x.token for x in logins if x.username == "tampere-edustaja")
    row = db.session.query(ApiToken).filter(ApiToken.scopes.contains("sign")).first()
    assert row.expires_at - row.created_at >= DEMO_SIGN_TOKEN_LIFETIME - timedelta(seconds=5)

    uploaded = upload(
        client, headers["tampere-lakimies"], FI_GOOD, agreement_id=agreement_id(db), parties=THREE
    )
    assert uploaded.status_code == 201, uploaded.json
    annex = uploaded.json["id"]
    assert client.post(f"/api/v1/documents/{annex}/open", headers=headers["sihteeri"]).status_code == 200
    signed = _sign(client, rep_token, annex)
    assert signed.status_code == 201, signed.json


def test_a_token_for_the_main_agreement_does_not_sign_its_annex_agreement(app, client, factory, db):
    agreement, orgs, (rep, _other), admin = factory.agreement(parties=2)
    lawyer = factory.user(orgs[0], Role.lawyer)
    factory.session.commit()
    annex = factory.annex(agreement, lawyer)
    factory.open_annex(annex, admin)
    factory.session.commit()
    _login(client, rep)
    raw = _create(client, [agreement.main_document_id], password="pw")
    refused = _sign(client, raw, annex.id)
    assert refused.status_code == 403 and refused.json["error"] == "token_not_for_document"
    both = _create(client, [agreement.main_document_id, annex.id], password="pw")
    assert _sign(client, both, annex.id).status_code == 201
