"""Walk every web route with every role and check who gets in (object-level authorisation)."""

from datetime import date

import pytest

from portal.annexes import services as annexes
from portal.appctx import document_context, links
from portal.auth.domain import Role
from portal.contacts.services import add_contact
from portal.documents import services as documents
from portal.invitations import services as invitations
from portal.invitations.domain import token_digest
from portal.jobs.inline import start_queued
from portal.steering import services as steering
from tests.factories import AGREEMENT_TEXT, sample_pdf, sign_in

ANON, ADMIN, REP, OTHER_REP, LAWYER, CONTACT, VIEWER = (
    "anonymous",
    "administrator",
    "representative",
    "outsider representative",
    "lawyer",
    "contact person",
    "viewer",
)
WHO = [ANON, ADMIN, REP, OTHER_REP, LAWYER, CONTACT, VIEWER]
LOGIN = 302  # redirected to the sign-in page

#: endpoint → (method, expected status for each of WHO)
EXPECTED = {
    "agreements.index": ("GET", [LOGIN, 200, 200, 200, 200, 200, 200]),
    "agreements.show": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    "agreements.my_contact": ("GET", [LOGIN, 302, 302, 302, 302, 302, 302]),  # own card, or home
    "agreements.upload": ("POST", [LOGIN, 409, 403, 404, 403, 403, 403]),
    "agreements.open_for_signature": ("POST", [LOGIN, 409, 403, 404, 403, 403, 403]),
    "signatories.authorities": ("GET", [LOGIN, 200, 403, 403, 403, 403, 403]),
    "signatories.record": ("POST", [LOGIN, 422, 403, 403, 403, 403, 403]),  # an empty form
    "agreements.new": ("GET", [LOGIN, 200, 403, 403, 403, 403, 403]),
    "agreements.create": ("POST", [LOGIN, 422, 403, 403, 403, 403, 403]),  # no title
    "agreements.party_choices": ("GET", [LOGIN, 200, 403, 403, 403, 403, 403]),
    "agreements.edit": ("GET", [LOGIN, 409, 403, 404, 403, 403, 403]),  # open: no longer a draft
    "agreements.update": ("POST", [LOGIN, 409, 403, 404, 403, 403, 403]),
    # documents.*: document_id is the main agreement's
    "documents.state": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    "documents.parties": ("GET", [LOGIN, 302, 302, 404, 302, 302, 302]),  # the main's: its parties section
    "documents.party_status": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    "documents.download": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    "documents.sign": ("POST", [LOGIN, 403, 422, 404, 403, 403, 403]),
    "documents.approval_form": ("GET", [LOGIN, 200, 403, 404, 403, 403, 403]),
    "documents.approval_post": ("POST", [LOGIN, 422, 403, 404, 403, 403, 403]),
    "documents.version_pdf": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    # approval_id: party 1's approval of the main agreement, with its minutes
    "documents.minutes_pdf": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    "documents.correction_form": ("GET", [LOGIN, 200, 403, 403, 403, 403, 403]),
    "documents.correction_post": ("POST", [LOGIN, 422, 403, 403, 403, 403, 403]),
    # lifecycle.*: the agreement is not in force yet (the form refuses with a message)
    "lifecycle.termination_post": ("POST", [LOGIN, 302, 403, 404, 403, 403, 403]),
    "lifecycle.notice_pdf": ("GET", [LOGIN, 404, 404, 404, 404, 404, 404]),  # none recorded
    "lifecycle.adopt_post": ("POST", [LOGIN, 404, 404, 404, 404, 404, 404]),  # none pending
    # joining.*: an empty form; accession_id: none recorded
    "joining.request_post": ("POST", [LOGIN, 422, 403, 404, 403, 403, 403]),
    "joining.decision_post": ("POST", [LOGIN, 404, 404, 404, 404, 404, 404]),
    # the agreement is not in force: nobody may ask to join it yet
    "joining.join_form": ("GET", [LOGIN, 404, 404, 404, 404, 404, 404]),
    "joining.join_post": ("POST", [LOGIN, 404, 404, 404, 404, 404, 404]),
    "costs.index": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    "costs.create": ("POST", [LOGIN, 422, 403, 404, 403, 403, 403]),  # no year, no sum
    "costs.export_csv": ("GET", [LOGIN, 404, 404, 404, 404, 404, 404]),  # no table that year
    "costs.export_pdf": ("GET", [LOGIN, 404, 404, 404, 404, 404, 404]),
    # steering.*: meeting_id is a meeting of the agreement, with its minutes
    "steering.index": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    "steering.minutes_pdf": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    "steering.add_member": ("POST", [LOGIN, 422, 403, 404, 403, 403, 403]),
    "steering.create_meeting": ("POST", [LOGIN, 422, 403, 404, 403, 403, 403]),
    "steering.attendance": ("POST", [LOGIN, 302, 403, 404, 403, 403, 403]),
    "steering.minutes_post": ("POST", [LOGIN, 302, 403, 404, 403, 403, 403]),  # no file: a message
    "documents.sign_external_post": ("POST", [LOGIN, 403, 422, 404, 403, 403, 403]),  # no file
    "documents.audit_report": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    "reading.read": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    "reading.signed": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    "reading.verification": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    # annexes.*: document_id is the annex agreement's (see world)
    "annexes.upload": ("POST", [LOGIN, 302, 403, 404, 302, 403, 403]),  # no file: back with a message
    "annexes.row": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    "annexes.show": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    "annexes.checks": ("GET", [LOGIN, 200, 200, 404, 200, 200, 200]),
    "annexes.new_version": ("POST", [LOGIN, 302, 403, 404, 302, 403, 403]),
    "annexes.acknowledge": ("POST", [LOGIN, 422, 403, 404, 422, 403, 403]),  # no justification
    "annexes.open_for_signature": ("POST", [LOGIN, 409, 403, 404, 403, 403, 403]),  # a warning stands
    "queues.job_list": ("GET", [LOGIN, 200, 403, 403, 403, 403, 403]),
    "queues.retry_job": ("POST", [LOGIN, 404, 403, 403, 403, 403, 403]),
    "contacts.row": ("GET", [LOGIN, 302, 302, 404, 302, 302, 302]),
    "contacts.edit": ("GET", [LOGIN, 403, 403, 404, 403, 200, 403]),
    "contacts.update": ("POST", [LOGIN, 403, 403, 404, 403, 422, 403]),
    "contacts.history": ("GET", [LOGIN, 200, 200, 200, 200, 200, 200]),
    "contacts.export": ("GET", [LOGIN, 200, 200, 200, 200, 200, 200]),
    "contacts.replace_form": ("GET", [LOGIN, 200, 403, 404, 403, 403, 403]),
    "contacts.replace": ("POST", [LOGIN, 422, 403, 404, 403, 403, 403]),  # no name, no address
    "contacts.erase_confirm": ("GET", [LOGIN, 200, 403, 403, 403, 403, 403]),
    "contacts.erase": ("POST", [LOGIN, 302, 403, 403, 403, 403, 403]),  # after erase_confirm: it erases
    "queues.outbox": ("GET", [LOGIN, 200, 403, 403, 403, 403, 403]),
    "queues.retry_mail": ("POST", [LOGIN, 404, 403, 403, 403, 403, 403]),
    "health.page": ("GET", [LOGIN, 200, 403, 403, 403, 403, 403]),
    # monitoring: the state for anyone, the figures for an administrator (test_health.py)
    "health.healthz": ("GET", [200] * 7),
    "notifications.index": ("GET", [LOGIN, 200, 200, 200, 200, 200, 200]),
    "notifications.badge": ("GET", [LOGIN, 200, 200, 200, 200, 200, 200]),
    "notifications.read": ("POST", [LOGIN, 404, 404, 404, 404, 404, 404]),
    "notifications.read_all": ("POST", [LOGIN, 302, 302, 302, 302, 302, 302]),
    "people.users": ("GET", [LOGIN, 200, 403, 403, 403, 403, 403]),
    "people.deactivate_confirm": ("GET", [LOGIN, 200, 403, 403, 403, 403, 403]),
    "people.deactivate": ("POST", [LOGIN, 302, 403, 403, 403, 403, 403]),
    "invitations.people": ("GET", [LOGIN, 200, 403, 404, 403, 403, 403]),
    "invitations.invite": ("POST", [LOGIN, 422, 403, 404, 403, 403, 403]),  # no address
    "invitations.end_membership": ("POST", [LOGIN, 302, 403, 404, 403, 403, 403]),
    "invitations.withdraw": ("POST", [LOGIN, 302, 403, 404, 403, 403, 403]),
    # the link's page is public: its secret is the key; nobody has an account at its address.
    # The administrator withdrew it just before (invitations.withdraw): 410 Gone
    "invitations.accept": ("GET", [200, 410, 200, 200, 200, 200, 200]),
    "invitations.sso": ("GET", [404] * 7),  # no single sign-on configured here (test_oidc.py)
    "invitations.accept_post": ("POST", [422, 410, 422, 422, 422, 422, 422]),  # no name, password
    # the second factor (test_mfa.py, e2e/test_passkeys.py): nobody here has one or is half-way
    "mfa.second_factor": ("GET", [302] * 7),  # no pending sign-in: back to /login
    "mfa.second_factor_post": ("POST", [302] * 7),
    "mfa.passkey_assertion": ("POST", [401] * 7),  # no ceremony under way
    "mfa.passkey_options": ("POST", [401, 200, 200, 200, 200, 200, 200]),
    "mfa.security": ("GET", [LOGIN, 200, 200, 200, 200, 200, 200]),
    "mfa.totp_begin": ("POST", [LOGIN, 302, 302, 302, 302, 302, 302]),
    "mfa.totp_confirm": ("POST", [LOGIN, 422, 422, 422, 422, 422, 422]),  # no code
    "mfa.confirm": ("POST", [LOGIN, 422, 422, 422, 422, 422, 422]),
    "mfa.totp_remove": ("POST", [LOGIN, 302, 302, 302, 302, 302, 302]),
    "mfa.recovery_codes": ("POST", [LOGIN, 302, 302, 302, 302, 302, 302]),  # no app: nothing
    "mfa.passkey_registration_options": ("POST", [LOGIN, 200, 200, 200, 200, 200, 200]),
    "mfa.passkey_register": ("POST", [LOGIN, 422, 422, 422, 422, 422, 422]),
    "mfa.passkey_remove": ("POST", [LOGIN, 404, 404, 404, 404, 404, 404]),
    # single sign-on is not configured here (test_oidc.py)
    "oidc.start": ("GET", [404] * 7),
    "oidc.callback": ("GET", [404] * 7),
    "organisations.index": ("GET", [LOGIN, 200, 403, 403, 403, 403, 403]),
    "organisations.new": ("GET", [LOGIN, 200, 403, 403, 403, 403, 403]),
    "organisations.create": ("POST", [LOGIN, 422, 403, 403, 403, 403, 403]),  # an empty form
    "organisations.edit": ("GET", [LOGIN, 200, 403, 403, 403, 403, 403]),
    "organisations.update": ("POST", [LOGIN, 422, 403, 403, 403, 403, 403]),
    "organisations.import_csv": ("POST", [LOGIN, 302, 403, 403, 403, 403, 403]),  # no file
    "profile.profile": ("GET", [LOGIN, 200, 200, 200, 200, 200, 200]),
    "profile.save_profile": ("POST", [LOGIN, 422, 422, 422, 422, 422, 422]),  # no language chosen
    "profile.save_mail": ("POST", [LOGIN, 422, 422, 422, 422, 422, 422]),  # no choice made
    "auth.tokens": ("GET", [LOGIN, 200, 200, 200, 200, 200, 200]),
    "auth.tokens_post": ("POST", [LOGIN, 422, 422, 422, 422, 422, 422]),
    "auth.token_revoke": ("POST", [LOGIN, 404, 404, 404, 404, 404, 404]),
    "auth.logout": ("POST", [LOGIN, 302, 302, 302, 302, 302, 302]),
    "auth.login": ("GET", [200] * 7),
    "auth.language": ("POST", [302] * 7),
    # public: anyone may verify a file (the walk sends none: a translated 422, nothing stored)
    "verification.form": ("GET", [200] * 7),
    "verification.check": ("POST", [422] * 7),
}
#: not walked here, and why
ELSEWHERE = {
    "auth.login_post": "test_security (rate limit, renewal)",
    "static": "public files",
    **{
        f"pki.{name}": "test_pki (the CA's public endpoints: no sign-in, nothing changes)"
        for name in ("ca_pem", "ca_crt", "crl", "ocsp_post", "ocsp_get")
    },
    "pki.tsa": "test_long_term (the portal's own TSA over HTTP: no sign-in, nothing changes)",
}


@pytest.fixture
def world(factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    outsider_org = factory.org()
    users = {
        ADMIN: admin,
        REP: reps[0],
        OTHER_REP: factory.user(outsider_org, Role.representative),
        LAWYER: factory.user(orgs[0], Role.lawyer),
        CONTACT: factory.user(orgs[1], Role.contact_person),
        VIEWER: factory.user(orgs[1], Role.viewer),
    }
    contact = add_contact(
        factory.session,
        agreement.id,
        orgs[1].id,
        name="Yhteys",
        email="yhteys@example.invalid",
        user_id=users[CONTACT].id,
    )
    version = annexes.upload(
        factory.session,
        document_context(),
        agreement,
        users[LAWYER],
        kind="annex_agreement",
        title="Liitesopimus",
        data=sample_pdf(AGREEMENT_TEXT + "\nKustannukset jaetaan asukasluvun mukaan."),
        filename="liite.pdf",
        business_ids=[orgs[0].business_id, orgs[1].business_id],
    )
    leaver = factory.user(orgs[1], Role.viewer)
    invited = invitations.invite(
        factory.session,
        invitations.Context(links()),
        admin,
        agreement,
        email="kutsuttu@example.invalid",
        role="lawyer",
        business_id=orgs[0].business_id,
    )
    token = "kutsu-" + "x" * 40
    invited.invitation.token_sha256 = token_digest(token)
    approval = documents.record_approval(
        factory.session,
        document_context(),
        agreement.main_document_id,
        orgs[0].id,
        admin,
        body="Kunnanvaltuusto",
        decided_on=date(2026, 11, 2),
        section="12",
        minutes=sample_pdf("Pöytäkirjanote"),
    )
    meeting = steering.create_meeting(
        factory.session, links(), agreement, admin, meets_on=date(2027, 2, 10), place="Tampere"
    )
    steering.upload_minutes(
        factory.session, document_context(), agreement, meeting, admin, sample_pdf("Pöytäkirja")
    )
    factory.session.commit()
    start_queued(factory.session)
    warning = next(f for f in annexes.current_flags(factory.session, version) if f.severity == "warning")
    args = {
        "agreement_id": agreement.id,
        "document_id": agreement.main_document_id,
        "organisation_id": orgs[1].id,
        "token_id": 999999,
        "contact_id": contact.id,
        "mail_id": 999999,
        "notification_id": 999999,
        "annex_id": version.document_id,
        "flag_id": warning.id,
        "version_id": version.id,
        "job_id": 999999,
        "user_id": leaver.id,
        "invitation_id": invited.invitation.id,
        "token": token,
        "passkey_id": 999999,
        "approval_id": approval.id,
        "termination_id": 999999,
        "adoption_id": 999999,
        "accession_id": 999999,
        "year": 2027,
        "meeting_id": meeting.id,
        "membership_id": leaver.memberships[0].id,
    }
    return users, args


def test_every_web_route_is_in_the_table(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if not r.rule.startswith("/api/")}
    assert endpoints == set(EXPECTED) | set(ELSEWHERE)


@pytest.mark.parametrize("who", WHO)
def test_who_gets_in(app, world, who):
    users, args = world
    client = app.test_client()
    if who != ANON:
        sign_in(client, users[who])
    failures = []
    for endpoint, (method, expected) in EXPECTED.items():
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        url = rule.rule
        values = args | ({"document_id": args["annex_id"]} if endpoint.startswith("annexes.") else {})
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", str(values[name])).replace(f"<{name}>", str(values[name]))
        response = client.open(url, method=method, data={"lang": "sv"})
        response.close()  # a streamed download's generator ends here, inside the request's context
        want = expected[WHO.index(who)]
        if response.status_code != want:
            failures.append(f"{method} {url}: {response.status_code}, expected {want}")
    assert failures == []
