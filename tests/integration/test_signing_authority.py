"""A representative's signing authority (issue 9, item 5): recorded by the administrator, shown
on the party's row, its title in the signature stamp; several persons may hold it for one party
and the first to sign completes the party's signature."""

import subprocess
from datetime import date

import pytest

from portal.appctx import document_context
from portal.auth.domain import Role
from portal.authority.services import signer_passphrase, unlock_signer
from portal.documents import services as documents
from portal.errors import PortalError
from portal.signatories import services as signatories
from portal.signatories.domain import Basis, Mandate
from portal.timeutil import utcnow
from tests.browser import PASSWORD, sign_for

TODAY = date(2026, 12, 2)


def test_recorded_shown_and_stamped(client, factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    login(admin)
    page = client.get(f"/agreements/{agreement.id}/authorities")
    assert page.status_code == 200 and reps[0].display_name in page.text
    saved = client.post(
        f"/agreements/{agreement.id}/authorities",
        data={
            "person": reps[0].id,
            "title": "kaupunginjohtaja",
            "basis": "delegation",
            "section": "230",
            "decision_body": "Kaupunginhallitus",
            "decided_on": "2023-08-21",
            "valid_from": "2024-01-01",
        },
    )
    assert saved.status_code == 302, saved.text
    shown = client.get(f"/agreements/{agreement.id}?tab=parties").text
    assert "kaupunginjohtaja (Kaupunginhallitus 21.8.2023 § 230)" in shown
    sign_for(factory.session, agreement, reps[:1])
    factory.session.expire_all()
    pdf = document_context().storage.read(agreement.main_document.current_sha256)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, timeout=60, check=True
    ).stdout.decode()
    assert f"{reps[0].display_name}, kaupunginjohtaja" in text


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ({"basis": "delegation", "decision_body": ""}, "toimielin"),
        (
            {"basis": "delegation", "decision_body": "Kaupunginhallitus", "decided_on": "2999-01-01"},
            "tulevaisuuteen",
        ),
        ({"valid_to": "2020-01-01"}, "päättyä"),
    ],
)
def test_a_faulty_authority_is_refused(client, factory, login, extra, said):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    login(admin)
    refused = client.post(
        f"/agreements/{agreement.id}/authorities",
        data={
            "person": reps[0].id,
            "title": "kunnanjohtaja",
            "basis": "regulation",
            "section": "45 §",
            "valid_from": "2024-01-01",
        }
        | extra,
    )
    assert refused.status_code == 422 and said in refused.text
    assert signatories.authorities_of(factory.session, agreement.id, [orgs[0].id], TODAY)[orgs[0].id] == []


def test_only_a_person_of_the_party(factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    mandate = Mandate("kunnanjohtaja", Basis.regulation, "45 §", date(2024, 1, 1))
    with pytest.raises(PortalError) as refused:
        signatories.record_authority(factory.session, admin, agreement, reps[1], orgs[0].id, mandate, TODAY)
    assert refused.value.code == "authority_not_of_party"


def test_several_may_hold_it_and_the_first_to_sign_completes_the_party(factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    deputy = factory.user(orgs[0], Role.representative)
    for person, title in ((reps[0], "kaupunginjohtaja"), (deputy, "apulaiskaupunginjohtaja")):
        signatories.record_authority(
            factory.session,
            admin,
            agreement,
            person,
            orgs[0].id,
            Mandate(title, Basis.regulation, "45 §", date(2024, 1, 1)),
            TODAY,
        )
    factory.session.commit()
    found = signatories.authorities_of(factory.session, agreement.id, [orgs[0].id], TODAY)
    assert [a.title for a in found[orgs[0].id]] == ["kaupunginjohtaja", "apulaiskaupunginjohtaja"]
    sign_for(factory.session, agreement, [deputy])
    ctx = document_context()
    with pytest.raises(PortalError) as refused:
        documents.sign(
            factory.session,
            ctx,
            agreement.main_document_id,
            reps[0],
            signer_passphrase(ctx.key_encryption_key, reps[0], PASSWORD),
            "Tampere",
        )
    assert refused.value.code == "sign_already_signed"
    factory.session.rollback()
    factory.session.expire_all()
    [signature] = agreement.main_document.signatures
    assert signature.signer_id == deputy.id


def test_the_title_for_this_agreement_comes_before_the_general_one(factory):
    agreement, orgs, reps, admin = factory.agreement(parties=1)
    general = Mandate("kunnanjohtaja", Basis.regulation, "45 §", date(2024, 1, 1))
    own = Mandate("vs. kunnanjohtaja", Basis.regulation, "46 §", date(2024, 1, 1))
    signatories.record_authority(factory.session, admin, agreement, reps[0], orgs[0].id, general, TODAY)
    signatories.record_authority(
        factory.session, admin, agreement, reps[0], orgs[0].id, own, TODAY, this_agreement_only=True
    )
    expired = Mandate(
        "kansliapäällikkö", Basis.regulation, "1 §", date(2020, 1, 1), valid_to=date(2021, 1, 1)
    )
    signatories.record_authority(factory.session, admin, agreement, reps[0], orgs[0].id, expired, TODAY)
    assert (
        signatories.title_for(factory.session, reps[0], orgs[0].id, agreement.id, TODAY)
        == "vs. kunnanjohtaja"
    )
    assert (
        signatories.title_for(factory.session, reps[0], orgs[0].id, agreement.id + 1, TODAY)
        == "kunnanjohtaja"
    )


def test_no_certificate_for_a_person_without_a_party(app, factory):
    """A person's own organisation is optional: with no party given and none of their own, no
    certificate can name a party, and the refusal is a 403, not an AttributeError (a 500)."""
    _agreement, orgs, _reps, _admin = factory.agreement(parties=1)
    person = factory.user(orgs[0], Role.representative, member=False)
    person.organisation_id = None
    factory.session.flush()
    factory.session.expire(person)
    with pytest.raises(PortalError) as refused:
        unlock_signer(factory.session, app.config["PORTAL_KEY_ENCRYPTION_KEY"], person, "pw", utcnow())
    assert (refused.value.code, refused.value.status) == ("sign_not_a_representative", 403)
