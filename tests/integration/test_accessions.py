"""Issue 12, item 6: joining (R10; seed 000 §11). An organisation asks to join; the steering
group's unanimous decision at a quorate meeting is recorded; the accession document, in the
agreement's language, is signed by the new party and the chair's party; from its entry into
force the organisation is a party."""

from datetime import date

from portal.auth.domain import Role, Scope
from portal.documents.models import Document
from portal.lifecycle.models import Accession
from portal.timeutil import helsinki_today
from tests.factories import bearer, steering_group_met
from tests.integration.test_terminations import in_force  # noqa: F401 (a fixture)


def test_an_organisation_joins_by_unanimous_decision_and_signing(app, client, factory, in_force):  # noqa: F811
    agreement, orgs, reps, admin = in_force(parties=2)
    session = factory.session
    (chair, member), meeting = steering_group_met(
        session, agreement, orgs, admin, date(2026, 11, 20), "Tampere"
    )
    newcomer = factory.org("Oriveden kaupunki")
    newcomer_rep = factory.user(newcomer, Role.representative)
    session.commit()
    headers = bearer(app, session, admin, Scope.write)
    asked = client.post(
        f"/api/v1/agreements/{agreement.id}/accessions",
        headers=headers,
        json={"business_id": newcomer.business_id, "requested_on": "2026-11-01"},
    )
    assert asked.status_code == 201, asked.json
    assert asked.json["status"] == "requested" and asked.json["document_id"] is None
    decision = f"/api/v1/accessions/{asked.json['id']}/decision"
    # one member present did not vote in favour: not unanimous, nothing changes
    refused = client.post(decision, headers=headers, json={"meeting_id": meeting.id, "in_favour": [chair.id]})
    assert refused.status_code == 409 and refused.json["error"] == "not_unanimous"
    assert session.get(Accession, asked.json["id"]).status == "requested"
    decided = client.post(
        decision, headers=headers, json={"meeting_id": meeting.id, "in_favour": [chair.id, member.id]}
    )
    assert decided.status_code == 200, decided.json
    assert decided.json["status"] == "decided" and decided.json["decided_on"] == "2026-11-20"
    document_id = decided.json["document_id"]
    # the new party is a party from the decision on: its representative is invited (a role in
    # the agreement for that party), as every person is
    factory.member(newcomer_rep, session.get(type(agreement), agreement.id), newcomer)
    session.commit()
    document = client.get(f"/api/v1/documents/{document_id}", headers=headers).json
    assert document["kind"] == "accession" and document["status"] == "signing"
    assert [p["business_id"] for p in document["parties"]] == [newcomer.business_id, orgs[0].business_id]
    assert document["title"].startswith("Liittyminen: Oriveden kaupunki")
    for rep in (newcomer_rep, reps[0]):
        signed = client.post(
            f"/api/v1/documents/{document_id}/signatures",
            headers=bearer(app, session, rep, Scope.sign),
            json={"place": "Orivesi"},
        )
        assert signed.status_code == 201, signed.json
    assert signed.json["document_status"] == "in_force"
    listed = client.get(
        f"/api/v1/agreements/{agreement.id}/accessions", headers=bearer(app, session, newcomer_rep)
    ).json
    assert listed[0]["status"] == "joined"
    assert listed[0]["joined_on"] == helsinki_today().isoformat()
    session.expire_all()
    assert newcomer.id in {p.organisation_id for p in agreement.parties}
    web = app.test_client()
    web.post("/login", data={"username": newcomer_rep.username, "password": "pw"})
    page = web.get(f"/agreements/{agreement.id}").text
    assert f'id="accession-{asked.json["id"]}"' in page and "Oriveden kaupunki" in page
    assert session.get(Document, document_id).entered_into_force_on == helsinki_today()


def test_an_organisation_already_a_party_cannot_ask(app, client, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    response = client.post(
        f"/api/v1/agreements/{agreement.id}/accessions",
        headers=bearer(app, factory.session, admin, Scope.write),
        json={"business_id": orgs[0].business_id},
    )
    assert response.status_code == 409 and response.json["error"] == "party_already"
