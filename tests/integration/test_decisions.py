"""Issue 12, item 1: decisions done properly (R12). An approval belongs to one version; a new
version voids the approvals of the old one, visibly; a decision is never dated in the future;
taking note does not count; a wrong entry is corrected with a reason and both are kept; the
minutes extract is stored and downloadable by the agreement's people."""

import io
from datetime import timedelta

from portal.appctx import document_context
from portal.auth.domain import Role, Scope
from portal.documents import services as documents
from portal.documents.models import ApprovalDecision, Blob
from portal.timeutil import helsinki_today
from tests.factories import bearer, sample_pdf


def decision(org, **extra) -> dict:
    return {
        "business_id": org.business_id,
        "body": "Kaupunginvaltuusto",
        "date": "2026-11-02",
        "section": "230",
        **extra,
    }


def form(**extra) -> dict:
    return {
        "decision_type": "approve",
        "body": "Kaupunginvaltuusto",
        "decided_on": "2026-11-02",
        "section": "230",
        "diary_number": "265/00.04.02/2023",
        **extra,
    }


def test_a_new_version_voids_the_approvals_of_the_old_one(app, client, factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    headers = bearer(app, factory.session, admin, Scope.write)
    recorded = client.post(
        f"/api/v1/agreements/{agreement.id}/approvals",
        headers=headers,
        json=decision(orgs[0], diary_number="265/00.04.02/2023"),
    )
    assert recorded.status_code == 201, recorded.json
    first = recorded.json["parties"][0]["approval"]
    assert first["version"] == 1 and first["state"] == "counted"
    assert first["diary_number"] == "265/00.04.02/2023"
    upload = client.put(
        f"/api/v1/agreements/{agreement.id}/document",
        headers=headers,
        data={"file": (io.BytesIO(sample_pdf("Toinen versio.")), "v2.pdf")},
    )
    assert upload.status_code == 201
    party = client.get(f"/api/v1/agreements/{agreement.id}", headers=headers).json["parties"][0]
    assert party["approval"] is None  # no longer counted
    assert [(d["version"], d["state"]) for d in party["decisions"]] == [(1, "voided")]
    page = login(admin).get(f"/agreements/{agreement.id}?tab=parties")
    assert "decision-history" in page.text and 'class="voided"' in page.text
    # the approval can be recorded again, on the new version, and counts
    again = client.post(
        f"/api/v1/agreements/{agreement.id}/approvals", headers=headers, json=decision(orgs[0])
    )
    assert again.status_code == 201
    assert again.json["parties"][0]["approval"]["version"] == 2


def test_a_future_date_is_refused_in_the_api_and_the_form(app, client, factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    tomorrow = (helsinki_today() + timedelta(days=1)).isoformat()
    headers = bearer(app, factory.session, admin, Scope.write)
    headers["Accept-Language"] = "fi"
    refused = client.post(
        f"/api/v1/agreements/{agreement.id}/approvals", headers=headers, json=decision(orgs[0], date=tomorrow)
    )
    assert refused.status_code == 422 and refused.json["error"] == "decision_in_future"
    assert refused.json["message"] == "Päätöstä ei voi päivätä tulevaisuuteen."
    web = login(admin)
    web.post("/language", data={"lang": "sv", "next": "/"})
    url = f"/documents/{agreement.main_document_id}/parties/{orgs[0].id}/approval"
    response = web.post(url, data=form(decided_on=tomorrow), headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Ett beslut kan inte dateras i framtiden." in response.text
    assert factory.session.query(ApprovalDecision).count() == 0


def test_taking_note_does_not_count(app, client, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=1)
    headers = bearer(app, factory.session, admin, Scope.write)
    noted = client.post(
        f"/api/v1/agreements/{agreement.id}/approvals",
        headers=headers,
        json=decision(orgs[0], decision_type="take_note"),
    )
    assert noted.status_code == 201
    party = noted.json["parties"][0]
    assert party["approval"] is None and party["decisions"][0]["state"] == "noted"
    signed = client.post(
        f"/api/v1/documents/{agreement.main_document_id}/signatures",
        headers=bearer(app, factory.session, reps[0], Scope.sign),
        json={"place": "Porvoo"},
    )
    assert signed.json["document_status"] == "signing"  # signed, but only taken note of
    approved = client.post(
        f"/api/v1/agreements/{agreement.id}/approvals", headers=headers, json=decision(orgs[0])
    )
    assert approved.json["status"] == "in_force"


def test_a_wrong_decision_is_corrected_and_both_are_kept(app, factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    documents.record_approval(
        factory.session,
        document_context(),
        agreement.main_document_id,
        orgs[0].id,
        admin,
        body="Kaupunginhallitus",
        decided_on=helsinki_today(),
        section="23",
    )
    factory.session.commit()
    wrong = factory.session.query(ApprovalDecision).one()
    web = login(admin)
    assert web.get(f"/approvals/{wrong.id}/correction").status_code == 200
    missing = web.post(f"/approvals/{wrong.id}/correction", data=form())
    assert missing.status_code == 422  # no reason given
    done = web.post(
        f"/approvals/{wrong.id}/correction", data=form(reason="Väärä toimielin: päätöksen teki valtuusto.")
    )
    assert done.status_code == 302
    factory.session.expire_all()
    old, new = factory.session.query(ApprovalDecision).order_by(ApprovalDecision.id).all()
    assert old.superseded_at is not None and old.body == "Kaupunginhallitus"
    assert new.corrects_id == old.id and new.body == "Kaupunginvaltuusto"
    assert new.correction_reason.startswith("Väärä toimielin")
    page = web.get(f"/agreements/{agreement.id}?tab=parties").text
    assert 'class="superseded"' in page and "Väärä toimielin" in page
    # a party's representative may not correct
    rep = factory.user(orgs[1], Role.representative)
    factory.session.commit()
    other = login(rep)
    assert other.post(f"/approvals/{new.id}/correction", data=form(reason="x")).status_code == 403


def test_the_minutes_are_stored_and_downloadable_by_the_agreement_s_people(app, factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    stranger, *_ = factory.agreement(parties=1, opened=False)
    minutes = sample_pdf("Pöytäkirjanote: Kaupunginvaltuusto 2.11.2026 § 230.")
    web = login(admin)
    url = f"/documents/{agreement.main_document_id}/parties/{orgs[0].id}/approval"
    response = web.post(
        url, data=form(minutes=(io.BytesIO(minutes), "ote.pdf")), content_type="multipart/form-data"
    )
    assert response.status_code == 302, response.text
    recorded = factory.session.query(ApprovalDecision).one()
    assert factory.session.get(Blob, recorded.minutes_sha256).size == len(minutes)
    bad = web.post(
        f"/documents/{agreement.main_document_id}/parties/{orgs[1].id}/approval",
        data=form(minutes=(io.BytesIO(b"not a pdf"), "ote.pdf")),
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert factory.session.query(ApprovalDecision).count() == 1
    outsider = factory.user(stranger.parties[0].organisation)
    factory.session.commit()
    for user, status in ((reps[1], 200), (outsider, 404)):
        reader = app.test_client()
        reader.post("/login", data={"username": user.username, "password": "pw"})
        download = reader.get(f"/approvals/{recorded.id}/minutes")
        assert download.status_code == status
        assert status != 200 or download.data == minutes


def test_the_api_corrects_a_decision(app, client, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    headers = bearer(app, factory.session, admin, Scope.write)
    recorded = client.post(
        f"/api/v1/agreements/{agreement.id}/approvals", headers=headers, json=decision(orgs[0], section="23")
    )
    wrong = recorded.json["parties"][0]["approval"]
    url = f"/api/v1/approvals/{wrong['id']}/corrections"
    missing = client.post(url, headers=headers, json=decision(orgs[0]))
    assert missing.status_code == 422  # no reason
    corrected = client.post(
        url, headers=headers, json=decision(orgs[0], section="230", reason="Pykälä kirjattiin väärin")
    )
    assert corrected.status_code == 201, corrected.json
    assert corrected.json["corrects"] == wrong["id"] and corrected.json["section"] == "230"
    again = client.post(url, headers=headers, json=decision(orgs[0], reason="Uudestaan"))
    assert again.status_code == 409 and again.json["error"] == "decision_not_active"
    party = client.get(f"/api/v1/agreements/{agreement.id}", headers=headers).json["parties"][0]
    assert [d["state"] for d in party["decisions"]] == ["superseded", "counted"]
    assert party["approval"]["id"] == corrected.json["id"]
