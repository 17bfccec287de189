"""Contact persons (R2): own edits in place with htmx, replacement by an administrator, the
notice to the other parties' contact persons in the outbox, and what a contact person may not do."""

import io

import pytest
from sqlalchemy import func, select

from portal.appctx import links
from portal.audit.models import AuditEvent
from portal.auth.domain import Role, Scope
from portal.contacts import services
from portal.contacts.models import ContactChange, ContactPerson
from portal.documents.models import DocumentVersion, Signature
from portal.errors import PortalError
from portal.mail.models import OutboxMail
from tests.factories import bearer, sample_pdf


def contact(factory, agreement, org, language="fi", with_user=True, name=None):
    user = factory.user(org, Role.contact_person, locale=language) if with_user else None
    person = services.add_contact(
        factory.session,
        agreement.id,
        org.id,
        name=name or f"Yhteys {org.name}",
        email=f"c{org.id}-{next_n()}@example.invalid",
        title="Suunnittelija",
        phone="040 111",
        language=language,
        user_id=user and user.id,
    )
    return person, user


_n = iter(range(10**6))


def next_n():
    return next(_n)


@pytest.fixture
def world(factory):
    return build_world(factory)


def build_world(factory):
    """Agreement A of three parties with contact persons; agreement B shares a party with A."""
    a, orgs, reps, admin = factory.agreement(parties=3)
    b, b_orgs, _, _ = factory.agreement(parties=1, admin=admin)
    me, me_user = contact(factory, a, orgs[0])
    colleague, _ = contact(factory, a, orgs[0])  # my own party: not told
    fi_other, _ = contact(factory, a, orgs[1])
    sv_other, _ = contact(factory, a, orgs[2], language="sv")
    retired, _ = contact(factory, a, orgs[2])
    retired.active = False  # replaced earlier: not told
    elsewhere, _ = contact(factory, b, b_orgs[0])  # party of another agreement only
    factory.session.commit()
    return {
        "a": a,
        "b": b,
        "orgs": orgs,
        "admin": admin,
        "me": me,
        "me_user": me_user,
        "colleague": colleague,
        "fi": fi_other,
        "sv": sv_other,
        "retired": retired,
        "elsewhere": elsewhere,
        "reps": reps,
    }


def outbox(session):
    return list(session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def test_own_change_queues_one_notice_per_other_partys_contact(db, world):
    changes = services.update_own_details(
        db.session, links(), world["me_user"], world["me"].id, phone="050 222 3333"
    )
    db.session.commit()
    assert len(changes) == 1 and changes[0].old["phone"] == "040 111"
    assert changes[0].new["phone"] == "050 222 3333"
    mails = outbox(db.session)
    assert sorted(m.recipient for m in mails) == sorted([world["fi"].email, world["sv"].email])
    assert {m.recipient: m.language for m in mails}[world["sv"].email] == "sv"
    assert all(m.event_key.startswith(f"contact-change:{changes[0].id}:") for m in mails)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "contact.changed"))
    assert event.agreement_id == world["a"].id and event.payload["fields"] == ["phone"]
    assert sorted(event.payload["notified"]) == sorted([world["fi"].id, world["sv"].id])


def test_no_change_no_notice(db, world):
    assert (
        services.update_own_details(db.session, links(), world["me_user"], world["me"].id, phone="040 111")
        == []
    )
    assert outbox(db.session) == []


def test_only_the_person_themself_edits(db, world):
    for user in (world["admin"], world["reps"][0]):
        with pytest.raises(PortalError):
            services.update_own_details(db.session, links(), user, world["me"].id, phone="1")


def test_administrator_replaces_a_contact_person(db, world):
    new = services.replace_contact(
        db.session,
        links(),
        world["admin"],
        world["fi"].id,
        name="Uusi Henkilö",
        email="uusi@example.invalid",
        language="fi",
    )
    db.session.commit()
    assert not world["fi"].active and new.active and new.organisation_id == world["orgs"][1].id
    change = db.session.scalar(select(ContactChange).where(ContactChange.contact_id == world["fi"].id))
    assert change.replaced_by_id == new.id and change.new["name"] == "Uusi Henkilö"
    assert sorted(m.recipient for m in outbox(db.session)) == sorted(
        [world["me"].email, world["colleague"].email, world["sv"].email]
    )
    with pytest.raises(PortalError):
        services.replace_contact(
            db.session, links(), world["me_user"], world["sv"].id, name="x", email="x@example.invalid"
        )


def test_agreement_page_lists_contacts_and_edits_in_place(db, world, login):
    client = login(world["me_user"])
    page = client.get(f"/agreements/{world['a'].id}?tab=contacts").text
    assert f'id="contact-{world["me"].id}"' in page and world["sv"].email in page
    assert world["elsewhere"].email not in page and world["retired"].email not in page
    hx = {"HX-Request": "true"}
    form = client.get(f"/contacts/{world['me'].id}/edit", headers=hx)
    assert form.status_code == 200 and "<html" not in form.text
    assert f'<form class="contact contact-form narrow-form" id="contact-{world["me"].id}"' in form.text
    assert 'for="phone"' in form.text
    cancel = client.get(f"/contacts/{world['me'].id}", headers=hx)
    assert cancel.text.lstrip().startswith(f'<div class="contact" id="contact-{world["me"].id}"')
    details = {**world["me"].details(), "phone": "+358 50 999"}
    bad = client.post(f"/contacts/{world['me'].id}", data={**details, "email": "no"}, headers=hx)
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
    saved = client.post(f"/contacts/{world['me'].id}", data=details, headers=hx)
    assert saved.status_code == 200 and "+358 50 999" in saved.text and "<html" not in saved.text
    assert saved.text.lstrip().startswith(f'<div class="contact" id="contact-{world["me"].id}"')
    assert len(outbox(db.session)) == 2
    plain = client.get(f"/contacts/{world['me'].id}/edit")  # without htmx: a full page
    assert plain.status_code == 200 and "<html" in plain.text and 'for="phone"' in plain.text
    history = client.get("/contacts/history").text
    assert "+358 50 999" in history and "040 111" in history


def test_others_cannot_edit_a_contacts_details(db, world, login):
    client = login(world["reps"][0])
    assert client.get(f"/contacts/{world['me'].id}/edit").status_code == 403
    assert client.post(f"/contacts/{world['me'].id}", data=world["me"].details()).status_code == 403
    assert client.get(f"/contacts/{world['elsewhere'].id}").status_code == 404  # other agreement


def test_a_contact_person_cannot_sign_upload_or_change_the_agreement(app, db, world, login):
    """R2: the contact person keeps their details current and nothing more (UI and API)."""
    a, user = world["a"], world["me_user"]
    versions = db.session.scalar(select(func.count()).select_from(DocumentVersion))
    client = login(user)
    pdf = {"file": (io.BytesIO(sample_pdf()), "x.pdf")}
    refused = {
        "sign": client.post(
            f"/documents/{a.main_document_id}/sign", data={"read": "y", "place": "Akaa", "password": "pw"}
        ),
        "upload": client.post(f"/agreements/{a.id}/document", data=pdf, content_type="multipart/form-data"),
        "open": client.post(f"/agreements/{a.id}/open"),
        "approval": client.post(
            f"/documents/{a.main_document_id}/parties/{world['orgs'][0].id}/approval",
            data={"body": "Valtuusto", "decided_on": "2026-01-01", "section": "1"},
        ),
    }
    assert {k: r.status_code for k, r in refused.items()} == dict.fromkeys(refused, 403)
    api = app.test_client()
    headers = bearer(app, db.session, user, Scope.write)
    sign_headers = bearer(app, db.session, user, Scope.sign)
    api_refused = {
        "sign": api.post(
            f"/api/v1/documents/{a.main_document_id}/signatures", headers=sign_headers, json={"place": "Akaa"}
        ),
        "upload": api.put(
            f"/api/v1/agreements/{a.id}/document",
            headers={**headers, "Content-Type": "application/pdf"},
            data=sample_pdf(),
        ),
        "open": api.post(f"/api/v1/agreements/{a.id}/open", headers=headers, json={}),
        "approval": api.post(
            f"/api/v1/agreements/{a.id}/approvals",
            headers=headers,
            json={
                "business_id": world["orgs"][0].business_id,
                "body": "Valtuusto",
                "decided_on": "2026-01-01",
                "section": "1",
            },
        ),
        "create": api.post("/api/v1/agreements", headers=headers, json={"title": "x"}),
    }
    assert {k: r.status_code for k, r in api_refused.items()} == dict.fromkeys(api_refused, 403)
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0
    assert db.session.scalar(select(func.count()).select_from(DocumentVersion)) == versions
    assert db.session.scalar(select(func.count()).select_from(ContactPerson)) == 6


def test_an_agreements_administrator_replaces_a_contact_person_in_the_ui(db, world, factory, login):
    """R2 from the agreement page: the agreement's own administrator (a membership, not a portal
    administrator) names the new contact person; the other parties' contact persons are told."""
    secretary = factory.user(world["orgs"][0], Role.viewer, member=False)
    factory.member(secretary, world["a"], world["orgs"][0], Role.administrator)
    db.session.commit()
    client = login(secretary)
    page = client.get(f"/agreements/{world['a'].id}?tab=contacts").text
    assert f"/contacts/{world['fi'].id}/replace" in page
    assert client.get(f"/contacts/{world['elsewhere'].id}/replace").status_code == 404
    bad = client.post(f"/contacts/{world['fi'].id}/replace", data={"name": "", "email": "x"})
    assert bad.status_code == 422 and world["fi"].active
    done = client.post(
        f"/contacts/{world['fi'].id}/replace",
        data={
            "name": "Uusi Henkilö",
            "email": "uusi@example.invalid",
            "title": "",
            "phone": "",
            "language": "fi",
        },
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert not world["fi"].active
    assert sorted(m.recipient for m in outbox(db.session)) == sorted(
        [world["me"].email, world["colleague"].email, world["sv"].email]
    )
