"""Deactivation from /admin/users (issue 9 item 6): a deactivated person's session, token and
signing certificate stop working at once, and their open invitations are withdrawn."""

from cryptography import x509
from sqlalchemy import select

from portal.appctx import document_context
from portal.auth.domain import Role, Scope
from portal.auth.models import SigningCredential
from portal.authority.services import signer_passphrase
from portal.documents import services as documents
from portal.invitations.models import Invitation
from portal.timeutil import utcnow
from tests.factories import bearer


def _sign(db, agreement, rep) -> x509.Certificate:
    ctx = document_context()
    documents.sign(
        db.session,
        ctx,
        agreement.main_document_id,
        rep,
        signer_passphrase(ctx.key_encryption_key, rep, "pw"),
        "Tampere",
    )
    db.session.commit()
    credential = db.session.scalars(
        select(SigningCredential).where(SigningCredential.user_id == rep.id)
    ).one()
    return x509.load_pem_x509_certificate(credential.certificate_pem.encode())


def test_deactivating_ends_session_token_certificate_and_invitations(app, factory, db, login):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    leaver = reps[0]
    cert = _sign(db, agreement, leaver)
    headers = bearer(app, db.session, leaver, Scope.read)
    api = app.test_client()
    assert api.get("/api/v1/agreements", headers=headers).status_code == 200
    session = app.test_client()
    assert session.post("/login", data={"username": leaver.username, "password": "pw"}).status_code == 302
    assert session.get("/").status_code == 200
    from portal.appctx import invitation_context
    from portal.invitations import services as invitations

    invitations.invite(
        db.session,
        invitation_context(),
        admin,
        agreement,
        email=leaver.email,
        role="viewer",
        business_id=orgs[1].business_id,
    )
    db.session.commit()

    client = login(admin)
    users = client.get("/admin/users", query_string={"q": leaver.username.upper()})
    assert users.status_code == 200 and leaver.display_name in users.text
    assert reps[1].username not in users.text  # the search narrows the list
    confirm = client.get(f"/admin/users/{leaver.id}/deactivate")
    assert confirm.status_code == 200 and "<form" in confirm.text
    assert client.post(f"/admin/users/{leaver.id}/deactivate").status_code == 302

    assert session.get("/").status_code == 302  # the session ended: back to sign-in
    refused = api.get("/api/v1/agreements", headers=headers)
    assert refused.status_code == 401
    assert (
        app.test_client().post("/login", data={"username": leaver.username, "password": "pw"}).status_code
        == 422
    )
    crl = x509.load_der_x509_crl(app.test_client().get("/pki/crl").data)
    revoked = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
    assert revoked is not None
    db.session.expire_all()
    invitation = db.session.scalars(select(Invitation)).one()
    assert invitation.withdrawn_at is not None and invitation.withdrawn_at <= utcnow()
    assert f"/admin/users/{leaver.id}/deactivate" not in client.get("/admin/users").text


def test_only_portal_administrators_deactivate_and_not_themselves(factory, db, login):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    secretary = factory.user(orgs[0], Role.viewer, member=False)
    factory.member(secretary, agreement, orgs[0], Role.administrator)
    db.session.commit()
    assert login(secretary).post(f"/admin/users/{reps[0].id}/deactivate").status_code == 403
    client = login(admin)
    assert client.post(f"/admin/users/{admin.id}/deactivate").status_code == 409
    db.session.expire_all()
    assert reps[0].active and admin.active
