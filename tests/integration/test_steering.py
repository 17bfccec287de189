"""Issue 12, item 7: the steering group (R13; seed 000 §4-§5). Members and deputies; a meeting's
invitation (7 days) and agenda (3 Finnish working days) deadlines, the agenda deadline over
Easter; the invitation by mail; attendance and quorum; minutes; the worker's reminders."""

import io
from datetime import date

import pytest
from sqlalchemy import select

from portal.appctx import links
from portal.auth.domain import Role, Scope
from portal.errors import PortalError
from portal.mail.delivery import deliver_due
from portal.mail.models import OutboxMail
from portal.steering import services as steering
from portal.steering.models import Meeting, Office, Seat
from tests.factories import bearer, sample_pdf
from tests.integration.test_mail import by_recipient, smtp  # noqa: F401 (a fixture)
from tests.integration.test_terminations import in_force  # noqa: F401 (a fixture)


def group(factory, agreement, orgs, admin):
    """Four members (the first the chair, the second vice-chair), the second one's deputy."""
    session = factory.session
    members = [
        steering.add_member(
            session,
            agreement,
            admin,
            organisation_id=org.id,
            name=f"Jäsen {i}",
            email=f"jasen{i}@example.invalid",
            office=[Office.chair, Office.vice_chair, Office.none, Office.none][i],
            language="sv" if i == 3 else "fi",
        )
        for i, org in enumerate(orgs)
    ]
    deputy = steering.add_member(
        session,
        agreement,
        admin,
        organisation_id=orgs[1].id,
        name="Varajäsen",
        email="vara@example.invalid",
        seat=Seat.deputy,
        deputy_of_id=members[1].id,
    )
    session.commit()
    return members, deputy


def test_a_meeting_over_easter_and_its_invitation_mail(app, client, factory, smtp):  # noqa: F811
    agreement, orgs, reps, admin = factory.agreement(parties=4, opened=False)
    members, deputy = group(factory, agreement, orgs, admin)
    headers = bearer(app, factory.session, admin, Scope.write)
    # Tuesday 30 March 2027: Easter Monday 29th and Good Friday 26th are not working days
    response = client.post(
        f"/api/v1/agreements/{agreement.id}/meetings",
        headers=headers,
        json={"date": "2027-03-30", "place": "Pasila, Helsinki", "agenda": "1. Avaus\n2. Talousarvio"},
    )
    assert response.status_code == 201, response.json
    assert response.json["agenda_due_on"] == "2027-03-23"
    assert response.json["invitation_due_on"] == "2027-03-23"
    assert response.json["invited"] == 5 and response.json["invitation_late"] is False
    inbox = smtp()
    deliver_due(factory.session, app.config)
    received = by_recipient(inbox)
    assert sorted(received) == sorted([m.email for m in members] + [deputy.email])
    finnish = received[members[0].email][0]
    assert "Talousarvio" in finnish.get_body(("plain",)).get_content()
    assert finnish["Subject"].startswith("Kutsu: johtoryhmän kokous")
    assert received[members[3].email][0]["Subject"].startswith("Kallelse:")
    # the midsummer: a meeting on Monday 28 June 2027 has its agenda due on Wednesday the 23rd
    midsummer = client.post(
        f"/api/v1/agreements/{agreement.id}/meetings",
        headers=headers,
        json={"date": "2027-06-28", "place": "Tampere"},
    )
    assert midsummer.json["agenda_due_on"] == "2027-06-22"
    listed = client.get(
        f"/api/v1/agreements/{agreement.id}/meetings", headers=bearer(app, factory.session, reps[2])
    ).json
    assert [m["date"] for m in listed] == ["2027-06-28", "2027-03-30"]


def test_attendance_and_quorum(app, factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=4, opened=False)
    members, deputy = group(factory, agreement, orgs, admin)
    meeting = steering.create_meeting(
        factory.session, links(), agreement, admin, meets_on=date(2027, 2, 10), place="Tampere"
    )
    factory.session.commit()
    web = login(admin)
    url = f"/meetings/{meeting.id}/attendance"
    field = f"meeting-{meeting.id}-present"
    # the chair and the vice-chair's deputy: two of four seats, presided: a quorum
    web.post(url, data={field: [str(members[0].id), str(deputy.id)]})
    factory.session.expire_all()
    assert factory.session.get(Meeting, meeting.id).quorate is True
    # two members but neither the chair nor the vice-chair: none
    web.post(url, data={field: [str(members[2].id), str(members[3].id)]})
    factory.session.expire_all()
    assert factory.session.get(Meeting, meeting.id).quorate is False
    minutes = sample_pdf("Pöytäkirja")
    web.post(
        f"/meetings/{meeting.id}/minutes",
        data={"minutes": (io.BytesIO(minutes), "pk.pdf")},
        content_type="multipart/form-data",
    )
    page = web.get(f"/agreements/{agreement.id}/steering").text
    assert 'id="meeting-' in page and "Varajäsen" in page
    reader = app.test_client()
    reader.post("/login", data={"username": reps[3].username, "password": "pw"})
    assert reader.get(f"/meetings/{meeting.id}/minutes").data == minutes


def test_the_worker_reminds_of_missing_meetings_and_the_review(app, factory, in_force):  # noqa: F811
    agreement, orgs, reps, admin = in_force(parties=2)
    group(factory, agreement, orgs + orgs[:2], admin)
    ctx = links()
    assert steering.queue_steering_reminders(factory.session, ctx, date(2027, 3, 1)) == 0
    assert steering.queue_steering_reminders(factory.session, ctx, date(2027, 7, 1)) == 1
    assert steering.queue_steering_reminders(factory.session, ctx, date(2027, 7, 20)) == 0  # once
    # entered into force in the 2025-2029 council term: the review is due when the next begins
    # (and June 2029 has no meetings either)
    assert steering.queue_steering_reminders(factory.session, ctx, date(2029, 6, 1)) == 2
    factory.session.commit()
    kinds = factory.session.scalars(
        select(OutboxMail.kind)
        .where(OutboxMail.recipient == admin.email, OutboxMail.kind != "in_force")
        .order_by(OutboxMail.id)
    ).all()
    assert kinds == ["steering_reminder", "steering_reminder", "review_due"]


def test_a_deputy_needs_a_member_and_only_the_secretary_manages(app, client, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    lawyer = factory.user(orgs[0], Role.lawyer)
    factory.session.commit()
    refused = client.post(
        f"/api/v1/agreements/{agreement.id}/meetings",
        headers=bearer(app, factory.session, lawyer, Scope.write),
        json={"date": "2027-01-10", "place": "Tampere"},
    )
    assert refused.status_code == 403
    with pytest.raises(PortalError) as error:
        steering.add_member(
            factory.session,
            agreement,
            admin,
            organisation_id=orgs[0].id,
            name="X",
            email="x@example.invalid",
            seat=Seat.deputy,
        )
    assert error.value.code == "deputy_needs_member"
