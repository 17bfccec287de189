"""Walk every /api/v1 route with every role's bearer token and check who gets in, object by
object: the token user's own agreement, another agreement, an annex agreement of another party,
and the main agreement's versions (which only the secretary replaces). The services are the
authority; the API only calls them, so a refusal here is the service's."""

import io

import pytest

from portal.agreements.services import create_agreement
from portal.annexes import services as annexes
from portal.appctx import document_context
from portal.auth.domain import Role, Scope
from portal.contacts.services import add_contact
from portal.documents import services as documents
from portal.documents.models import DocumentVersion
from portal.jobs.inline import start_queued
from tests.factories import AGREEMENT_TEXT, bearer, sample_pdf
from tests.integration.test_access import ADMIN, ANON, CONTACT, LAWYER, OTHER_REP, REP, VIEWER, WHO

PDF = "pdf"  # a multipart body with a valid PDF as `file`
COSTS = AGREEMENT_TEXT + "\nKustannukset jaetaan asukasluvun mukaan."

#: "endpoint" or "endpoint@object" → (method, body, expected status for each of WHO). Objects:
#: own (default): the agreement of REP, LAWYER (party 1), CONTACT and VIEWER (party 2), and its
#: main document; annex: an annex agreement of parties 1 and 2 by LAWYER; their_annex: an annex
#: agreement of party 2 alone, by party 2's lawyer; other: an agreement whose only party is
#: OTHER_REP's. Rows run in this order for one user, so what changes state comes last.
EXPECTED = {
    "api.openapi": ("GET", None, [200] * 7),
    "api.agreements": ("GET", None, [401, 200, 200, 200, 200, 200, 200]),
    "api.agreement": ("GET", None, [401, 200, 200, 404, 200, 200, 200]),
    "api.agreement@other": ("GET", None, [401, 200, 404, 200, 404, 404, 404]),
    "api.agreement_contacts": ("GET", None, [401, 200, 200, 404, 200, 200, 200]),
    "api.agreement_contacts@other": ("GET", None, [401, 200, 404, 200, 404, 404, 404]),
    "api.document": ("GET", None, [401, 200, 200, 404, 200, 200, 200]),
    "api.document@other": ("GET", None, [401, 200, 404, 200, 404, 404, 404]),
    "api.document@their_annex": ("GET", None, [401, 200, 200, 404, 200, 200, 200]),
    "api.document_pdf": ("GET", None, [401, 200, 200, 404, 200, 200, 200]),
    "api.document_pdf@other": ("GET", None, [401, 200, 404, 200, 404, 404, 404]),
    "api.my_contact": ("GET", None, [401, 404, 404, 404, 404, 200, 404]),
    "api.my_contact_update": ("PUT", {"phone": "abc"}, [401, 404, 404, 404, 404, 422, 404]),
    "api.agreement_create": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.agreement_approval": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.agreement_approval@other": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.document_approval": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.document_approval@annex": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    # the sign scope is given to representatives only (it needs their password)
    "api.document_sign": ("POST", {"place": "Akaa"}, [401, 403, 409, 404, 403, 403, 403]),
    "api.document_sign@other": ("POST", {"place": "Akaa"}, [401, 403, 404, 409, 403, 403, 403]),
    "api.document_external_signature": ("POST", PDF, [401, 403, 409, 404, 403, 403, 403]),
    "api.document_external_signature@other": ("POST", PDF, [401, 403, 404, 409, 403, 403, 403]),
    "api.document_upload": ("POST", {"kind": "annex"}, [401, 422, 403, 404, 422, 403, 403]),
    "api.document_upload@other": ("POST", {"kind": "annex"}, [401, 422, 404, 403, 404, 404, 404]),
    "api.flag_acknowledge@annex": ("POST", {"justification": "lyhyt"}, [401, 422, 403, 404, 422, 403, 403]),
    "api.flag_acknowledge@their_annex": (
        "POST",
        {"justification": "lyhyt"},
        [401, 422, 403, 404, 403, 403, 403],
    ),
    "api.document_open@annex": ("POST", None, [401, 409, 403, 403, 403, 403, 403]),
    # a new version: of the main agreement only by the secretary (issue 7, item 3), of an annex
    # agreement by the secretary and a lawyer of a party it binds
    "api.document_new_version": ("POST", PDF, [401, 201, 403, 404, 403, 403, 403]),
    "api.document_new_version@other": ("POST", PDF, [401, 201, 404, 403, 404, 404, 404]),
    "api.document_new_version@annex": ("POST", PDF, [401, 201, 403, 404, 201, 403, 403]),
    "api.document_new_version@their_annex": ("POST", PDF, [401, 201, 403, 404, 403, 403, 403]),
    "api.agreement_document": ("PUT", PDF, [401, 201, 403, 403, 403, 403, 403]),
    "api.agreement_document@other": ("PUT", PDF, [401, 201, 403, 403, 403, 403, 403]),
    "api.agreement_open": ("POST", None, [401, 200, 403, 403, 403, 403, 403]),
    "api.agreement_invitation": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.agreement_invitation@other": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.document_open": ("POST", None, [401, 409, 403, 403, 403, 403, 403]),  # opened above
    "api.organisation_list": ("GET", None, [401, 200, 403, 403, 403, 403, 403]),
    "api.organisation_create": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.organisation_update": ("PATCH", {"kind": "city"}, [401, 422, 403, 403, 403, 403, 403]),
    # issue 12: the agreement's life after entry into force (the secretary records; all read)
    "api.terminations": ("GET", None, [401, 200, 200, 404, 200, 200, 200]),
    "api.terminations@other": ("GET", None, [401, 200, 404, 200, 404, 404, 404]),
    "api.termination_create": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.termination_create@other": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.costs_list": ("GET", None, [401, 200, 200, 404, 200, 200, 200]),
    "api.costs_list@other": ("GET", None, [401, 200, 404, 200, 404, 404, 404]),
    "api.costs_create": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.costs_create@other": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.meetings": ("GET", None, [401, 200, 200, 404, 200, 200, 200]),
    "api.meetings@other": ("GET", None, [401, 200, 404, 200, 404, 404, 404]),
    "api.meeting_create": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.meeting_create@other": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.accessions_list": ("GET", None, [401, 200, 200, 404, 200, 200, 200]),
    "api.accessions_list@other": ("GET", None, [401, 200, 404, 200, 404, 404, 404]),
    "api.accession_create": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.accession_create@other": ("POST", {}, [401, 422, 403, 403, 403, 403, 403]),
    "api.accession_decision": ("POST", {}, [401, 404, 403, 403, 403, 403, 403]),  # no such
    "api.approval_correction": ("POST", {}, [401, 404, 403, 403, 403, 403, 403]),  # no such
}


@pytest.fixture
def world(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    outsider_org = factory.org()
    users = {
        ADMIN: admin,
        REP: reps[0],
        OTHER_REP: factory.user(outsider_org, Role.representative),
        LAWYER: factory.user(orgs[0], Role.lawyer),
        CONTACT: factory.user(orgs[1], Role.contact_person),
        VIEWER: factory.user(orgs[1], Role.viewer),
    }
    add_contact(
        factory.session,
        agreement.id,
        orgs[1].id,
        name="Yhteys",
        email="yhteys@example.invalid",
        user_id=users[CONTACT].id,
    )
    other = create_agreement(factory.session, admin, title="Toinen", business_ids=[outsider_org.business_id])
    factory.members_by_organisation(other)
    ctx = document_context()
    documents.add_version(factory.session, ctx, other.main_document, sample_pdf(), "t.pdf", admin)
    annex = annexes.upload(
        factory.session,
        ctx,
        agreement,
        users[LAWYER],
        kind="annex_agreement",
        title="Liitesopimus",
        data=sample_pdf(COSTS),
        filename="liite.pdf",
        business_ids=[orgs[0].business_id, orgs[1].business_id],
    )
    their_lawyer = factory.user(orgs[1], Role.lawyer)
    theirs = annexes.upload(
        factory.session,
        ctx,
        agreement,
        their_lawyer,
        kind="annex_agreement",
        title="Toisen liitesopimus",
        data=sample_pdf(COSTS),
        filename="l.pdf",
        business_ids=[orgs[1].business_id],
    )
    factory.session.commit()
    start_queued(factory.session)
    warning = next(f for f in annexes.current_flags(factory.session, annex) if f.severity == "warning")
    objects = {
        "own": {"agreement_id": agreement.id, "document_id": agreement.main_document_id},
        "other": {"agreement_id": other.id, "document_id": other.main_document_id},
        "annex": {"agreement_id": agreement.id, "document_id": annex.document_id},
        "their_annex": {"agreement_id": agreement.id, "document_id": theirs.document_id},
    }
    for values in objects.values():
        values["code"] = warning.code
        values["business_id"] = orgs[1].business_id
        values["accession_id"] = values["approval_id"] = 999999
    headers = {ANON: {}}
    for who, user in users.items():
        scopes = [Scope.read, Scope.write] + (
            [Scope.sign] if user.role is Role.representative else []
        )  # the factory's user.role: their membership
        headers[who] = bearer(app, factory.session, user, *scopes)
    return headers, objects


def url_for_rule(rule, values: dict) -> str:
    url = rule.rule
    for name in rule.arguments:
        url = url.replace(f"<int:{name}>", str(values[name])).replace(f"<{name}>", str(values[name]))
    return url


def test_every_api_route_is_in_the_table(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.rule.startswith("/api/")}
    assert endpoints == {key.split("@")[0] for key in EXPECTED}


def test_every_api_route_and_method_is_walked(app):
    """A second method added to a path (say DELETE /documents/{id}) needs its own row too."""
    walked = {(key.split("@")[0], method) for key, (method, _, _) in EXPECTED.items()}
    routes = {
        (r.endpoint, m)
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/")
        for m in r.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == walked


@pytest.mark.parametrize("who", WHO)
def test_who_gets_in_through_the_api(app, world, factory, who):
    headers, objects = world
    client = app.test_client()
    failures = []
    for key, (method, body, expected) in EXPECTED.items():
        endpoint, _, name = key.partition("@")
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        url = url_for_rule(rule, objects[name or "own"])
        if body == PDF:
            kwargs = {"data": {"file": (io.BytesIO(sample_pdf(COSTS)), "uusi.pdf")}}
        elif isinstance(body, dict) and method in ("POST", "PUT") and "kind" in body:
            kwargs = {"data": body}
        else:
            kwargs = {"json": body} if body is not None else {}
        before = factory.session.query(DocumentVersion).count()
        response = client.open(url, method=method, headers=headers[who], **kwargs)
        response.get_data()
        response.close()  # a PDF is streamed
        want = expected[WHO.index(who)]
        if response.status_code != want:
            failures.append(
                f"{key}: {method} {url}: {response.status_code} "
                f"{(response.json or {}).get('error')}, expected {want}"
            )
        if response.status_code >= 400 and factory.session.query(DocumentVersion).count() != before:
            failures.append(f"{key}: refused, but a version was stored")
        factory.session.rollback()
    assert failures == []
