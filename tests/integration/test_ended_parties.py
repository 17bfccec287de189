"""Issue 12: ended parties and ended agreements are read-only. A party whose participation ended
cannot sign, upload, or be asked to sign; the refusal is decided on the party a person acts for
in that agreement (their membership), not on their home organisation."""

import io

from portal.auth.domain import Role, Scope
from portal.documents.models import Document
from tests.factories import bearer, sample_pdf
from tests.integration.test_terminations import in_force  # noqa: F401 (a fixture)


def _terminate(app, client, factory, agreement, admin, org, received_on="2024-02-29"):
    response = client.post(
        f"/api/v1/agreements/{agreement.id}/terminations",
        headers=bearer(app, factory.session, admin, Scope.write),
        json={"business_id": org.business_id, "received_on": received_on},
    )
    assert response.status_code == 201, response.json
    return response.json


def _upload(app, client, factory, agreement, user, kind="annex"):
    return client.post(
        f"/api/v1/agreements/{agreement.id}/documents",
        headers=bearer(app, factory.session, user, Scope.write),
        data={"kind": kind, "title": "Muutos", "file": (io.BytesIO(sample_pdf()), "muutos.pdf")},
        content_type="multipart/form-data",
    )


def test_the_refusal_follows_the_party_a_person_acts_for_in_the_agreement(app, client, factory, in_force):  # noqa: F811
    agreement, orgs, reps, admin = in_force()
    _terminate(app, client, factory, agreement, admin, orgs[0])
    outsider = factory.org("Lakitoimisto Oy")
    # a lawyer from elsewhere acting for the party that has left: refused
    for_ended = factory.user(outsider, Role.lawyer, member=False)
    factory.member(for_ended, agreement, orgs[0])
    # a person of the party that has left acting for a party still bound: allowed
    for_bound = factory.user(orgs[0], Role.lawyer, member=False)
    factory.member(for_bound, agreement, orgs[1])
    factory.session.commit()
    refused = _upload(app, client, factory, agreement, for_ended)
    assert refused.status_code == 409 and refused.json["error"] == "party_ended"
    allowed = _upload(app, client, factory, agreement, for_bound)
    assert allowed.status_code == 201, allowed.json


def test_an_ended_party_is_not_asked_to_sign_and_cannot_sign(app, client, factory, in_force):  # noqa: F811
    agreement, orgs, reps, admin = in_force()
    lawyer = factory.user(orgs[1], Role.lawyer)
    factory.session.commit()
    annex = factory.annex(agreement, lawyer, parties=[o.business_id for o in orgs])
    factory.open_annex(annex, admin)
    _terminate(app, client, factory, agreement, admin, orgs[0])
    # already asked before it ended: its signature is refused now, nothing stored
    refused = client.post(
        f"/api/v1/documents/{annex.id}/signatures",
        headers=bearer(app, factory.session, reps[0], Scope.sign),
        json={"place": "Tampere"},
    )
    assert refused.status_code == 409 and refused.json["error"] == "party_ended"
    factory.session.expire_all()
    assert factory.session.get(Document, annex.id).signatures == []
    signed = client.post(
        f"/api/v1/documents/{annex.id}/signatures",
        headers=bearer(app, factory.session, reps[1], Scope.sign),
        json={"place": "Tampere"},
    )
    assert signed.status_code == 201, signed.json
    # a new amendment is signed by the parties still bound only
    amendment = _upload(app, client, factory, agreement, lawyer, kind="amendment")
    assert amendment.status_code == 201, amendment.json
    signers = {p.organisation_id for p in factory.session.get(Document, amendment.json["id"]).parties}
    assert signers == {orgs[1].id, orgs[2].id}


def test_an_agreement_ended_for_everyone_is_read_only_for_everyone(app, client, factory, in_force):  # noqa: F811
    agreement, orgs, reps, admin = in_force(parties=2)
    ended = _terminate(app, client, factory, agreement, admin, orgs[0])
    assert ended["agreement_ends_on"] == "2025-02-28"
    lawyer = factory.user(orgs[1], Role.lawyer)
    factory.session.commit()
    for user in (lawyer, admin):
        refused = _upload(app, client, factory, agreement, user)
        assert refused.status_code == 409 and refused.json["error"] == "party_ended"
    # kept: still read
    listed = client.get(
        f"/api/v1/agreements/{agreement.id}/terminations", headers=bearer(app, factory.session, lawyer)
    )
    assert listed.status_code == 200
