"""Invitations by mail (issue 9 item 4): a single-use link that expires, only its hash stored;
a new person sets a password, an existing one signs in; used, withdrawn and expired links say so
and offer nothing; the same seat invited twice re-sends."""

import re
from datetime import timedelta

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.domain import Role, Scope
from portal.auth.models import User
from portal.invitations.models import Invitation
from portal.mail.models import OutboxMail
from portal.memberships.models import Membership
from portal.timeutil import utcnow
from tests.factories import bearer

LINK = re.compile(r"https?://\S+/invitations/[A-Za-z0-9_-]+")


def _invite(app, db, admin, agreement, **body):
    headers = bearer(app, db.session, admin, Scope.read, Scope.write)
    return app.test_client().post(
        f"/api/v1/agreements/{agreement.id}/invitations", headers=headers, json=body
    )


def _link(db, email: str) -> str:
    mail = db.session.scalars(
        select(OutboxMail).where(OutboxMail.recipient == email).order_by(OutboxMail.id.desc())
    ).first()
    return LINK.search(mail.body_text).group(0).split("://", 1)[1].split("/", 1)[1]


def test_a_new_person_follows_the_link_once(app, factory, db, client):
    agreement, orgs, _reps, admin = factory.agreement(parties=2)
    response = _invite(
        app,
        db,
        admin,
        agreement,
        email="Uusi.Lakimies@Example.fi",
        role="lawyer",
        business_id=orgs[1].business_id,
        language="sv",
    )
    assert response.status_code == 201, response.text
    assert response.json["email"] == "uusi.lakimies@example.fi"
    assert response.json["resent"] is False and response.json["business_id"] == orgs[1].business_id
    mail = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "invitation")).one()
    assert mail.language == "sv" and "Inbjudan" in mail.subject
    path = "/" + _link(db, "uusi.lakimies@example.fi")
    token = path.rsplit("/", 1)[1]
    invitation = db.session.scalars(select(Invitation)).one()
    assert token not in invitation.token_sha256 and len(invitation.token_sha256) == 64
    assert timedelta(days=6.9) < invitation.expires_at - utcnow() <= timedelta(days=7)

    assert client.get(path).status_code == 200
    short = client.post(path, data={"display_name": "Uusi Lakimies", "password": "lyhyt", "confirm": "lyhyt"})
    assert (
        short.status_code == 422
        and db.session.scalar(select(User).where(User.email == "uusi.lakimies@example.fi")) is None
    )
    done = client.post(
        path,
        data={
            "display_name": "Uusi Lakimies",
            "password": "pitkä salasana 123",
            "confirm": "pitkä salasana 123",
        },
    )
    assert done.status_code == 302 and done.location.endswith(f"/agreements/{agreement.id}")
    page = client.get(done.location)
    assert page.status_code == 200 and orgs[1].name in page.text  # signed in, with the role shown
    person = db.session.scalar(select(User).where(User.username == "uusi.lakimies@example.fi"))
    assert person.locale == "sv"
    membership = db.session.scalars(select(Membership).where(Membership.user_id == person.id)).one()
    assert (membership.agreement_id, membership.organisation_id, membership.role) == (
        agreement.id,
        orgs[1].id,
        Role.lawyer,
    )

    again = client.get(path)  # in the person's own language, Swedish
    assert again.status_code == 410 and "har redan använts" in again.text
    assert "<form" not in again.text.split("<main")[1]
    assert (
        app.test_client()
        .post(path, data={"display_name": "X", "password": "p" * 12, "confirm": "p" * 12})
        .status_code
        == 410
    )
    kinds = set(db.session.scalars(select(AuditEvent.kind)))
    assert {"invitation_sent", "invitation_accepted", "membership_added"} <= kinds


def test_inviting_the_same_seat_again_resends_and_the_old_link_dies(app, factory, db, client):
    agreement, orgs, _reps, admin = factory.agreement(parties=2)
    body = {
        "email": "edustaja@example.fi",
        "role": "representative",
        "business_id": orgs[0].business_id,
        "language": "fi",
    }
    first = _invite(app, db, admin, agreement, **body)
    old = "/" + _link(db, "edustaja@example.fi")
    second = _invite(app, db, admin, agreement, **body)
    assert second.status_code == 201 and second.json["resent"] is True
    assert second.json["id"] == first.json["id"]
    assert db.session.query(Invitation).count() == 1
    assert db.session.query(OutboxMail).filter_by(kind="invitation").count() == 2
    assert client.get(old).status_code == 404
    assert client.get("/" + _link(db, "edustaja@example.fi")).status_code == 200
    # another role for the same address is another invitation
    other = _invite(app, db, admin, agreement, **(body | {"role": "viewer"}))
    assert other.json["resent"] is False and other.json["id"] != first.json["id"]


def test_an_expired_or_withdrawn_link_says_so_and_offers_nothing(app, factory, db, client, login):
    agreement, orgs, _reps, admin = factory.agreement(parties=2)
    _invite(app, db, admin, agreement, email="a@example.fi", role="viewer", business_id=orgs[0].business_id)
    expired = "/" + _link(db, "a@example.fi")
    _invite(app, db, admin, agreement, email="b@example.fi", role="viewer", business_id=orgs[0].business_id)
    withdrawn = "/" + _link(db, "b@example.fi")
    first = db.session.scalars(select(Invitation).where(Invitation.email == "a@example.fi")).one()
    first.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    page = client.get(expired, headers={"Accept-Language": "en"})
    assert page.status_code == 410 and "has expired" in page.text
    assert (
        client.post(
            expired, data={"display_name": "A", "password": "p" * 12, "confirm": "p" * 12}
        ).status_code
        == 410
    )
    assert db.session.scalar(select(User).where(User.email == "a@example.fi")) is None

    second = db.session.scalars(select(Invitation).where(Invitation.email == "b@example.fi")).one()
    admin_client = app.test_client()
    admin_client.post("/login", data={"username": admin.username, "password": "pw"})
    assert admin_client.post(f"/invitations/{second.id}/withdraw").status_code == 302
    page = client.get(withdrawn)
    assert page.status_code == 410 and "Kutsu on peruttu" in page.text
    assert client.get("/invitations/not-a-link", headers={"Accept-Language": "en"}).status_code == 404


def test_an_existing_person_signs_in_and_takes_the_invitation(app, factory, db, login):
    a, orgs_a, reps_a, admin = factory.agreement(parties=2)
    b, orgs_b, _reps_b, _admin = factory.agreement(parties=2, admin=admin)
    person = reps_a[0]
    _invite(app, db, admin, b, email=person.email.upper(), role="lawyer", business_id=orgs_b[0].business_id)
    path = "/" + _link(db, person.email.lower())
    anonymous = app.test_client()
    page = anonymous.get(path)
    assert page.status_code == 200 and "/login?next=" in page.text and 'name="password"' not in page.text
    assert anonymous.post(path).status_code == 302  # to the sign-in page: nothing taken

    stranger = login(reps_a[1])
    assert stranger.post(path).status_code == 403  # the invitation is for another address
    stranger.post("/logout")

    client = login(person)
    assert client.get(path).status_code == 200
    taken = client.post(path)
    assert taken.status_code == 302 and taken.location.endswith(f"/agreements/{b.id}")
    assert client.get(f"/agreements/{b.id}").status_code == 200
    assert {
        (m.agreement_id, m.role)
        for m in db.session.scalars(select(Membership).where(Membership.user_id == person.id))
    } == {(a.id, Role.representative), (b.id, Role.lawyer)}
    assert client.get(path).status_code == 410


def test_who_may_invite_and_what_is_refused(app, factory, db):
    a, orgs_a, reps_a, admin = factory.agreement(parties=2)
    b, orgs_b, _reps_b, _admin = factory.agreement(parties=2, admin=admin)
    secretary = factory.user(orgs_a[0], Role.viewer, member=False)
    factory.member(secretary, a, orgs_a[0], Role.administrator)
    db.session.commit()
    body = {"email": "x@example.fi", "role": "viewer", "business_id": orgs_a[1].business_id}
    assert _invite(app, db, secretary, a, **body).status_code == 201
    assert (
        _invite(app, db, secretary, b, **body | {"business_id": orgs_b[0].business_id}).status_code == 404
    )  # B does not exist for them
    refused = _invite(app, db, reps_a[0], a, **body)
    assert refused.status_code == 403 and refused.json["error"] == "forbidden"
    for wrong, code in (
        ({"business_id": orgs_b[0].business_id}, "not_a_party"),
        ({"role": "owner"}, "invalid_field"),
        ({"email": "not an address"}, "invalid_field"),
        ({"language": "de"}, "invalid_field"),
        ({"business_id": "1234567-8"}, "invalid_business_id"),
    ):
        response = _invite(app, db, admin, a, **body | wrong)
        assert response.status_code == 422 and response.json["error"] == code, (wrong, response.json)


def test_the_people_page_invites_and_lists(app, factory, db, login):
    agreement, orgs, _reps, admin = factory.agreement(parties=2)
    client = login(admin)
    page = client.get(f"/agreements/{agreement.id}/people")
    assert page.status_code == 200 and "Kutsu" in page.text
    bad = client.post(
        f"/agreements/{agreement.id}/invitations",
        data={"email": "ei osoite", "role": "lawyer", "business_id": orgs[0].business_id, "language": "fi"},
    )
    assert bad.status_code == 422 and db.session.query(Invitation).count() == 0
    sent = client.post(
        f"/agreements/{agreement.id}/invitations",
        data={
            "email": "uusi@example.fi",
            "role": "lawyer",
            "business_id": orgs[0].business_id,
            "language": "en",
        },
    )
    assert sent.status_code == 302
    listed = client.get(f"/agreements/{agreement.id}/people").text
    assert "uusi@example.fi" in listed
    mail = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "invitation")).one()
    assert mail.language == "en" and "Invitation" in mail.subject


def test_an_account_made_for_single_sign_on_has_no_usable_password(app, factory, db):
    """The hook single sign-on uses: the identity provider vouched for the invited address, so
    the account is made without a password, and no password signs in to it."""
    from portal.appctx import invitation_context
    from portal.auth.services import authenticate
    from portal.invitations import services

    agreement, orgs, _reps, admin = factory.agreement(parties=2)
    services.invite(
        db.session,
        invitation_context(),
        admin,
        agreement,
        email="sso@example.fi",
        role="viewer",
        business_id=orgs[0].business_id,
    )
    token = _link(db, "sso@example.fi").rsplit("/", 1)[1]
    person = services.accept_as_new_person(db.session, token, display_name="Kertakirjautuja", password=None)
    db.session.commit()
    assert person.memberships and authenticate(db.session, person.username, "") is None
    assert authenticate(db.session, person.username, "!sso") is None


def test_an_account_made_at_the_console_gets_its_password_from_a_mailed_link(app, factory, db, client):
    """What `portal admin create-user` without --password-stdin needs: the account exists
    without a password; the link in the mail sets one, once."""
    from portal.appctx import invitation_context
    from portal.auth.services import authenticate
    from portal.invitations import services
    from portal.invitations.services import NO_PASSWORD
    from portal.people.services import create_person
    from portal.permissions import is_portal_admin

    org = factory.org()
    first = create_person(
        db.session,
        username="paakayttaja",
        display_name="Pääkäyttäjä",
        email="paakayttaja@example.fi",
        organisation_id=org.id,
        password_hash=NO_PASSWORD,
        administrator=True,
    )
    services.invite_to_portal(db.session, invitation_context(), first)
    db.session.commit()
    assert is_portal_admin(first) and authenticate(db.session, "paakayttaja", "") is None
    mail = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "account_invitation")).one()
    assert "paakayttaja" in mail.body_text
    path = "/" + _link(db, "paakayttaja@example.fi")
    assert client.get(path).status_code == 200
    assert client.post(path, data={"password": "x" * 12, "confirm": "y" * 12}).status_code == 422
    done = client.post(path, data={"password": "pitkä salasana 1", "confirm": "pitkä salasana 1"})
    assert done.status_code == 302
    assert authenticate(db.session, "paakayttaja", "pitkä salasana 1") is not None
    assert client.get(path).status_code == 410


def test_an_invitation_to_the_portal_is_not_withdrawn_as_an_agreements(app, factory, db):
    """/invitations/<id>/withdraw is for an agreement's invitations: one to set a password (no
    agreement) is not found there, rather than looking up the agreement None (a 500)."""
    from portal.appctx import invitation_context
    from portal.invitations import services
    from portal.invitations.services import NO_PASSWORD
    from portal.people.services import create_person

    _agreement, orgs, _reps, admin = factory.agreement(parties=1)
    person = create_person(
        db.session,
        username="uusi-admin",
        display_name="Uusi",
        email="uusi-admin@example.fi",
        organisation_id=orgs[0].id,
        password_hash=NO_PASSWORD,
        administrator=True,
    )
    invitation = services.invite_to_portal(db.session, invitation_context(), person)
    db.session.commit()
    admin_client = app.test_client()
    admin_client.post("/login", data={"username": admin.username, "password": "pw"})
    assert admin_client.post(f"/invitations/{invitation.id}/withdraw").status_code == 404
    db.session.refresh(invitation)
    assert invitation.withdrawn_at is None


def test_the_people_page_lists_the_roles_a_page_at_a_time(app, factory, login, monkeypatch):
    from portal.invitations import views as invitation_views

    monkeypatch.setattr(invitation_views, "MEMBERS_PER_PAGE", 2)
    agreement, orgs, reps, admin = factory.agreement(parties=3)
    client = login(admin)
    first = client.get(f"/agreements/{agreement.id}/people").text
    second = client.get(f"/agreements/{agreement.id}/people?page=2").text
    shown = [first.count('<tr id="membership-'), second.count('<tr id="membership-')]
    assert shown == [2, 1]
    assert (
        'rel="next"' in first
        and 'rel="prev"' in second
        and "hx-get" not in second.split('rel="prev"')[0][-300:]
    )
