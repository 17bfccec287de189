"""Issue 12, item 6 through the web: the secretary records an organisation's request to join on
its behalf and the steering group's unanimous decision on the agreement's page; the accession
document is signed by the new party and the chair's party, and the organisation is a party."""

from datetime import date

from portal.appctx import document_context
from portal.auth.domain import Role
from portal.authority.services import signer_passphrase
from portal.documents import services as documents
from portal.lifecycle.models import Accession
from portal.timeutil import helsinki_today
from tests.factories import sign_in, steering_group_met
from tests.integration.test_terminations import in_force  # noqa: F401 (a fixture)


def test_the_secretary_records_a_request_and_the_unanimous_decision(app, factory, in_force):  # noqa: F811
    agreement, orgs, reps, admin = in_force(parties=2)
    session = factory.session
    (chair, member), meeting = steering_group_met(
        session, agreement, orgs, admin, date(2026, 11, 20), "Tampere"
    )
    newcomer = factory.org("Oriveden kaupunki")
    newcomer_rep = factory.user(newcomer, Role.representative)
    session.commit()
    secretary = sign_in(app.test_client(), admin)
    page = secretary.get(f"/agreements/{agreement.id}").text
    assert 'class="narrow-form accession-form"' in page and f'<option value="{newcomer.id}">' in page
    # a party's representative records nothing
    refused = sign_in(app.test_client(), reps[1]).post(
        f"/agreements/{agreement.id}/accessions", data={"organisation_id": newcomer.id}
    )
    assert refused.status_code == 403
    asked = secretary.post(
        f"/agreements/{agreement.id}/accessions",
        data={"organisation_id": newcomer.id, "requested_on": "2026-11-01"},
    )
    assert asked.status_code == 302, asked.text[-1500:]
    accession = session.query(Accession).filter_by(agreement_id=agreement.id).one()
    assert accession.requested_on == date(2026, 11, 1) and accession.status == "requested"
    page = secretary.get(f"/agreements/{agreement.id}").text
    assert "accession-decision-form" in page and f'<option value="{meeting.id}">' in page
    # one member present did not vote in favour: a translated refusal, nothing changes
    split = secretary.post(
        f"/accessions/{accession.id}/decision", data={"meeting_id": meeting.id, "in_favour": [chair.id]}
    )
    assert split.status_code == 409 and "Johtoryhmän päätös ei ollut yksimielinen" in split.text
    session.expire_all()
    assert session.get(Accession, accession.id).status == "requested"
    decided = secretary.post(
        f"/accessions/{accession.id}/decision",
        data={"meeting_id": meeting.id, "in_favour": [chair.id, member.id]},
    )
    assert decided.status_code == 302, decided.text
    session.expire_all()
    accession = session.get(Accession, accession.id)
    assert accession.status == "decided" and accession.decided_on == date(2026, 11, 20)
    document = accession.document_id
    factory.member(newcomer_rep, agreement, newcomer)
    session.commit()
    ctx = document_context()
    for rep in (newcomer_rep, reps[0]):  # the new party and the chair's party
        documents.sign(
            session, ctx, document, rep, signer_passphrase(ctx.key_encryption_key, rep, "pw"), "Orivesi"
        )
        session.commit()
    session.expire_all()
    assert session.get(Accession, accession.id).joined_on == helsinki_today()
    assert newcomer.id in {p.organisation_id for p in agreement.parties}
    seen = sign_in(app.test_client(), newcomer_rep).get(f"/agreements/{agreement.id}").text
    assert f'id="accession-{accession.id}"' in seen and "Oriveden kaupunki" in seen
    assert "accession-form" not in seen


def test_an_organisation_s_representative_asks_to_join(app, factory, in_force):  # noqa: F811
    agreement, orgs, reps, admin = in_force(parties=2)
    newcomer = factory.org("Kangasalan kunta")
    newcomer_rep = factory.user(newcomer, Role.representative)
    newcomer_lawyer = factory.user(newcomer, Role.lawyer)
    factory.session.commit()
    url = f"/agreements/{agreement.id}/join"
    # a party's own people, another role of the organisation: nothing to ask here
    assert sign_in(app.test_client(), reps[0]).get(url).status_code == 404
    assert sign_in(app.test_client(), newcomer_lawyer).get(url).status_code == 404
    rep = sign_in(app.test_client(), newcomer_rep)
    page = rep.get(url)
    assert page.status_code == 200 and 'class="join-form"' in page.text
    assert rep.post(url).status_code == 302
    accession = factory.session.query(Accession).filter_by(agreement_id=agreement.id).one()
    assert accession.organisation_id == newcomer.id and accession.requested_on == helsinki_today()
    again = rep.get(url).text
    assert 'class="join-status"' in again and 'class="join-form"' not in again
    # asked once: the secretary sees it waiting for the steering group
    seen = sign_in(app.test_client(), admin).get(f"/agreements/{agreement.id}").text
    assert f'id="accession-{accession.id}"' in seen and "accession-decision-form" in seen
