"""Issue 12, item 4: an annex (liite) after the main agreement entered into force. A new annex or
a new version of one goes through the procedure the agreement sets: the steering group's
approval recorded as a decision of its meeting (the default, seed 002), or each party updating
its own part (seed 001). Until then it is pending, visibly, and the text in force is unchanged."""

from datetime import timedelta

from portal.agreements.domain import AnnexProcedure
from portal.annexes import services as annexes
from portal.annexes.models import AnnexAdoption
from portal.appctx import document_context, links
from portal.auth.domain import Role
from portal.steering import services as steering
from portal.timeutil import helsinki_today
from tests.factories import AGREEMENT_TEXT, sample_pdf, sign_in
from tests.integration.test_terminations import in_force  # noqa: F401 (a fixture)

ANNEX_V1 = AGREEMENT_TEXT.replace("YHTEISTYÖSOPIMUS", "LIITE 1 yhteistyösopimukseen: yhteyshenkilöt")
ANNEX_V2 = ANNEX_V1 + "\nLiitettä päivitetään tarpeen mukaan."


def _pending(session, document_id):
    session.expire_all()
    return session.query(AnnexAdoption).filter_by(document_id=document_id, status="pending").one()


def _new_version(factory, document, user, text):
    annexes.new_version(factory.session, document_context(), document, sample_pdf(text), "liite.pdf", user)
    factory.session.commit()


def test_the_steering_group_adopts_an_annex_and_until_then_the_text_in_force_is_unchanged(
    app,
    factory,
    in_force,  # noqa: F811
):
    agreement, orgs, reps, admin = in_force(parties=2)
    lawyer = factory.user(orgs[0], Role.lawyer)
    held = steering.create_meeting(
        factory.session,
        links(),
        agreement,
        admin,
        meets_on=helsinki_today() - timedelta(days=3),
        place="Pasila",
    )
    coming = steering.create_meeting(
        factory.session,
        links(),
        agreement,
        admin,
        meets_on=helsinki_today() + timedelta(days=30),
        place="Pasila",
    )
    factory.session.commit()
    annex = factory.annex(agreement, lawyer, ANNEX_V1, kind="annex", parties=(), title="Liite 1")
    pending = _pending(factory.session, annex.id)
    assert pending.procedure == "steering_group"
    reader = sign_in(app.test_client(), reps[1])
    # nothing of it is in force yet: no file to download as in force, pending on both pages
    assert reader.get(f"/documents/{annex.id}/pdf").status_code == 404
    page = reader.get(f"/agreements/{agreement.id}").text
    assert 'class="annexes-pending"' in page and "Liite 1" in page
    annex_page = reader.get(f"/documents/{annex.id}").text
    assert 'class="adoption-pending"' in annex_page and "adoption-form" not in annex_page
    # a representative does not record the steering group's decision
    assert reader.post(f"/adoptions/{pending.id}", data={"meeting_id": held.id}).status_code == 403
    secretary = sign_in(app.test_client(), admin)
    form = secretary.get(f"/documents/{annex.id}").text
    assert f'<option value="{held.id}">' in form and f'<option value="{coming.id}">' not in form
    # a meeting still to come cannot have decided: a translated refusal, nothing changes
    refused = secretary.post(f"/adoptions/{pending.id}", data={"meeting_id": coming.id, "decision": "§ 5"})
    assert refused.status_code == 422 and "Päätöstä ei voi päivätä tulevaisuuteen." in refused.text
    assert _pending(factory.session, annex.id).id == pending.id
    adopted = secretary.post(f"/adoptions/{pending.id}", data={"meeting_id": held.id, "decision": "§ 5"})
    assert adopted.status_code == 302, adopted.text
    assert reader.get(f"/documents/{annex.id}/pdf").data == sample_pdf(ANNEX_V1)
    # a new version: pending again, the version in force is still the first one
    _new_version(factory, annex, lawyer, ANNEX_V2)
    second = _pending(factory.session, annex.id)
    assert second.id != pending.id
    assert reader.get(f"/documents/{annex.id}/pdf").data == sample_pdf(ANNEX_V1)
    assert (
        secretary.post(f"/adoptions/{second.id}", data={"meeting_id": held.id, "decision": "§ 6"}).status_code
        == 302
    )
    assert reader.get(f"/documents/{annex.id}/pdf").data == sample_pdf(ANNEX_V2)
    history = reader.get(f"/documents/{annex.id}").text
    assert history.count('class="adoption--adopted"') == 2 and "§ 6" in history


def test_under_own_part_each_party_adopts_its_own_update(app, factory, in_force):  # noqa: F811
    agreement, orgs, reps, admin = in_force(parties=2)
    agreement.annex_procedure = AnnexProcedure.own_part
    lawyer = factory.user(orgs[0], Role.lawyer)
    factory.session.commit()
    annex = factory.annex(agreement, lawyer, ANNEX_V1, kind="annex", parties=(), title="Liite 2")
    pending = _pending(factory.session, annex.id)
    assert pending.procedure == "own_part" and pending.organisation_id == orgs[0].id
    other = sign_in(app.test_client(), reps[1])
    assert other.post(f"/adoptions/{pending.id}", data={"decision": "Päätös"}).status_code == 403
    own = sign_in(app.test_client(), reps[0])
    page = own.get(f"/documents/{annex.id}").text
    assert "adoption-form" in page and 'name="decided_on"' in page and 'name="meeting_id"' not in page
    missing = own.post(f"/adoptions/{pending.id}", data={"decision": "Perusturvajohtaja § 3"})
    assert missing.status_code == 422
    assert other.get(f"/documents/{annex.id}/pdf").status_code == 404
    done = own.post(
        f"/adoptions/{pending.id}",
        data={"decision": "Perusturvajohtaja § 3", "decided_on": helsinki_today().isoformat()},
    )
    assert done.status_code == 302, done.text
    assert other.get(f"/documents/{annex.id}/pdf").data == sample_pdf(ANNEX_V1)


def test_with_htmx_the_answer_is_the_adoption_section_with_the_error_on_its_field(app, factory, in_force):  # noqa: F811
    agreement, orgs, reps, admin = in_force(parties=2)
    agreement.annex_procedure = AnnexProcedure.own_part
    lawyer = factory.user(orgs[0], Role.lawyer)
    factory.session.commit()
    annex = factory.annex(agreement, lawyer, ANNEX_V1, kind="annex", parties=(), title="Liite 2")
    pending = _pending(factory.session, annex.id)
    own = sign_in(app.test_client(), reps[0])
    htmx = {"HX-Request": "true"}
    tomorrow = (helsinki_today() + timedelta(days=1)).isoformat()
    refused = own.post(
        f"/adoptions/{pending.id}", data={"decision": "Päätös § 3", "decided_on": tomorrow}, headers=htmx
    )
    assert refused.status_code == 422
    section = refused.text
    # the section alone, its date field in error with the refusal's text, the error summary
    # (focused by form-feedback.js) linking to it
    assert "<html" not in section and 'id="adoption"' in section
    assert 'id="decided_on-error"' in section and "Päätöstä ei voi päivätä tulevaisuuteen." in section
    assert 'aria-invalid="true"' in section and 'href="#decided_on"' in section
    assert _pending(factory.session, pending.document_id).id == pending.id  # nothing changed
    done = own.post(
        f"/adoptions/{pending.id}",
        data={"decision": "Päätös § 3", "decided_on": helsinki_today().isoformat()},
        headers=htmx,
    )
    assert done.status_code == 200 and 'id="adoption"' in done.text and "data-feedback" in done.text
    assert "adoption--adopted" in done.text and "adoption-form" not in done.text
