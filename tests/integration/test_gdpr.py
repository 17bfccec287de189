"""A contact person's personal data (GDPR): the export of their own data, and the erasure by an
administrator that leaves the audit trail verifiable."""

import json

import pytest
from sqlalchemy import func, select

from portal.appctx import links
from portal.audit.models import AuditEvent
from portal.audit.services import record, verify_chain
from portal.auth.domain import Role
from portal.contacts import gdpr, services
from portal.contacts.domain import ERASED_NAME
from portal.contacts.models import ContactChange, ContactPerson
from portal.errors import PortalError
from tests.integration.test_contacts import build_world


@pytest.fixture
def world(factory, db):
    """The world of test_contacts, where I have changed my phone once, the other parties were
    told, a mail was sent to me, and another party's contact person was replaced."""
    w = build_world(factory)
    me = w["me"]
    me.name = "Minna Minä"  # the factory names both contacts of a party alike
    w["old_phone"] = me.phone
    services.update_own_details(db.session, links(), w["me_user"], me.id, phone="050 765 4321")
    record(db.session, "mail.sent", agreement_id=w["a"].id, mail_id=1, recipient=me.email)
    record(db.session, "mail.sent", agreement_id=w["a"].id, mail_id=2, recipient=w["fi"].email)
    w["successor"] = services.replace_contact(
        db.session, links(), w["admin"], w["sv"].id, name="Seuraaja Sofia", email="sofia@example.invalid"
    )
    db.session.commit()
    return w


def others(world) -> list[str]:
    people = [world[k] for k in ("colleague", "fi", "sv", "retired", "elsewhere", "successor")]
    return [p.name for p in people] + [p.email for p in people]


def test_a_contact_person_exports_their_own_data_and_nothing_of_others(db, world, login):
    me = world["me"]
    client = login(world["me_user"])
    assert "/contacts/history/export" in client.get("/contacts/history").text
    response = client.get("/contacts/history/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = response.json
    assert [(c["id"], c["email"], c["phone"]) for c in data["contacts"]] == [
        (me.id, me.email, "050 765 4321")
    ]
    assert [(c["old"]["phone"], c["new"]["phone"]) for c in data["changes"]] == [
        (world["old_phone"], "050 765 4321")
    ]
    kinds = sorted(e["kind"] for e in data["audit_events"])
    assert kinds == ["contact.changed", "mail.sent"]
    assert all(
        e["payload"].get("contact_id") == me.id or e["payload"]["recipient"] == me.email
        for e in data["audit_events"]
    )
    for text in others(world):
        assert text not in response.text, text


def test_a_successor_sees_their_side_of_the_replacement_only(db, factory, world):
    successor = world["successor"]
    account = factory.user(world["orgs"][2], Role.contact_person)
    successor.user_id = account.id
    db.session.flush()
    data = gdpr.export_for_user(db.session, account)
    replaced = [c for c in data["changes"] if c["replaced"]]
    assert replaced == [
        {
            "id": replaced[0]["id"],
            "contact_id": None,
            "changed_at": replaced[0]["changed_at"],
            "old": {},
            "new": successor.details(),
            "replaced": True,
        }
    ]
    assert world["sv"].email not in json.dumps(data)


def personal_texts(db) -> list[str]:
    """Everything the three tables hold that could name a person, as text."""
    rows = [
        json.dumps(list(r))
        for r in db.session.execute(
            select(ContactPerson.name, ContactPerson.title, ContactPerson.email, ContactPerson.phone)
        )
    ]
    rows += [
        json.dumps([old, new])
        for old, new in db.session.execute(select(ContactChange.old, ContactChange.new)).all()
    ]
    rows += [json.dumps(p) for p in db.session.scalars(select(AuditEvent.payload))]
    return rows


def test_an_administrator_erases_a_contact_person_who_has_left(app, db, world, login):
    me = world["me"]
    name, email, me_id = me.name, me.email, me.id
    assert any(email in t for t in personal_texts(db))
    client = login(world["admin"])
    page = client.get(f"/agreements/{world['a'].id}?tab=contacts").text  # active and former contacts alike
    assert f"/contacts/{me_id}/erase" in page and f"/contacts/{world['retired'].id}/erase" in page
    confirm = client.get(f"/contacts/{me_id}/erase")
    assert confirm.status_code == 200 and f'action="/contacts/{me_id}/erase"' in confirm.text
    assert 'method="post"' in confirm.text and email in confirm.text
    done = client.post(f"/contacts/{me_id}/erase")
    assert done.status_code == 302
    db.session.expire_all()
    texts = personal_texts(db)
    for secret in (name, email, "050 765 4321"):
        assert not any(secret in t for t in texts), secret
    row = db.session.get(ContactPerson, me_id)
    assert (row.name, row.email, row.phone, row.active, row.user_id) == (ERASED_NAME, "", "", False, None)
    change = db.session.scalar(select(ContactChange).where(ContactChange.contact_id == me_id))
    assert change.old == {} and change.new == {}
    erased = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.payload.is_(None))
    )
    assert erased == 2  # my contact.changed and the mail sent to me
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "contact.erased"))
    assert event.actor_id == world["admin"].id and event.payload["contact_ids"] == [me_id]
    assert len(event.payload["events_erased"]) == 2
    count, broken = verify_chain(db.session)
    assert broken is None and count == db.session.scalar(select(func.count(AuditEvent.id)))
    cli = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert cli.exit_code == 0 and "intact" in cli.output
    # the others are untouched: their details, and the mail sent to them
    assert db.session.get(ContactPerson, world["fi"].id).email == world["fi"].email
    assert any(world["fi"].email in t for t in texts)
    page = client.get(f"/agreements/{world['a'].id}").text
    assert name not in page and email not in page
    assert client.get(f"/contacts/{me_id}/erase").status_code == 404  # nothing left to erase


def test_a_replaced_persons_successor_keeps_the_predecessors_history_apart(db, world):
    """Erasing the successor clears only their side of the replacement."""
    sv, successor = world["sv"], world["successor"]
    gdpr.erase(db.session, world["admin"], successor.id)
    db.session.commit()
    change = db.session.scalar(select(ContactChange).where(ContactChange.contact_id == sv.id))
    assert change.new == {} and change.old["email"] == sv.email
    assert verify_chain(db.session)[1] is None


def test_only_administrators_erase(db, factory, world, login):
    me_id = world["me"].id
    for user in (world["me_user"], world["reps"][0], factory.user(world["orgs"][0], Role.lawyer)):
        client = login(user)
        assert client.get(f"/contacts/{me_id}/erase").status_code == 403
        assert client.post(f"/contacts/{me_id}/erase").status_code == 403
        client.post("/logout")
    with pytest.raises(PortalError):
        gdpr.erase(db.session, world["me_user"], me_id)
    db.session.expire_all()
    assert db.session.get(ContactPerson, me_id).email == world["me"].email
    assert (
        db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.payload.is_(None)))
        == 0
    )
    page = login(world["reps"][0]).get(f"/agreements/{world['a'].id}").text
    assert f"/contacts/{me_id}/erase" not in page


def test_what_counts_as_an_audit_payload_about_the_person():
    """Pure rule (no database): an event names the entry, or holds the person's name or address."""
    from portal.contacts.domain import identifiers_of, mentions

    known = identifiers_of(
        [{"name": "Minna Minä", "email": "Minna@Example.invalid"}, {"name": ERASED_NAME, "email": ""}]
    )
    assert known == {"minna minä", "minna@example.invalid"}
    assert mentions({"contact_id": 7, "fields": ["phone"]}, {7}, known)
    assert mentions({"recipient": " minna@example.INVALID"}, set(), known)
    assert mentions({"to": [{"name": "Minna Minä"}]}, set(), known)
    assert not mentions({"contact_id": 8, "notified": [7]}, {7}, known)  # told, not about them
    assert not mentions({"recipient": "other@example.invalid"}, {7}, known)
    assert not mentions(None, {7}, known)
