"""Roles belong to a person in an agreement and a party (issue 9 item 4): a lawyer in agreement A
is nobody in agreement B, and one person may hold roles in two agreements for two parties."""

import io
import re

from portal.auth.domain import Role, Scope
from portal.documents.models import Signature
from tests.factories import bearer, sample_pdf


def test_a_lawyer_in_agreement_a_is_nobody_in_agreement_b(app, factory, login, db):
    a, orgs_a, _reps, admin = factory.agreement(parties=2)
    b, _orgs_b, _reps_b, _admin = factory.agreement(parties=2, admin=admin)
    lawyer = factory.user(orgs_a[0], Role.lawyer)
    client = login(lawyer)
    assert client.get(f"/agreements/{a.id}").status_code == 200
    for url in (
        f"/agreements/{b.id}",
        f"/documents/{b.main_document_id}/state",
        f"/documents/{b.main_document_id}/pdf",
        f"/agreements/{b.id}/people",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/agreements/{b.id}/documents").status_code == 404
    listed = client.get("/").text
    assert f'/agreements/{a.id}"' in listed and f'/agreements/{b.id}"' not in listed

    headers = bearer(app, db.session, lawyer, Scope.read, Scope.write)
    api = app.test_client()
    assert api.get(f"/api/v1/agreements/{a.id}", headers=headers).status_code == 200
    refused = api.get(f"/api/v1/agreements/{b.id}", headers=headers)
    assert refused.status_code == 404 and refused.json["error"] == "not_found"
    assert api.get(f"/api/v1/documents/{b.main_document_id}", headers=headers).status_code == 404
    upload = api.post(
        f"/api/v1/agreements/{b.id}/documents",
        headers=headers,
        data={"kind": "annex", "title": "Liite", "file": (io.BytesIO(sample_pdf()), "l.pdf")},
    )
    assert upload.status_code == 404
    assert [x["id"] for x in api.get("/api/v1/agreements", headers=headers).json["items"]] == [a.id]


def test_one_person_with_roles_in_two_agreements_for_two_parties(app, factory, login, db):
    a, orgs_a, _reps_a, admin = factory.agreement(parties=2)
    b, orgs_b, reps_b, _admin = factory.agreement(parties=2, admin=admin)
    person = factory.user(orgs_a[0], Role.lawyer)  # a lawyer of A's first party
    factory.member(person, b, orgs_b[1], Role.representative)  # and B's second party's signatory
    db.session.commit()
    client = login(person)

    page_a = client.get(f"/agreements/{a.id}").text
    assert "sign-form" not in page_a  # in A a lawyer: nothing to sign
    assert (
        client.post(
            f"/documents/{a.main_document_id}/sign", data={"read": "y", "place": "Akaa", "password": "pw"}
        ).status_code
        == 403
    )
    page_b = client.get(f"/agreements/{b.id}").text
    assert "sign-form" in page_b and orgs_b[1].name in page_b

    signed = client.post(
        f"/documents/{b.main_document_id}/sign", data={"read": "y", "place": "Nokia", "password": "pw"}
    )
    assert signed.status_code == 302
    signature = db.session.query(Signature).filter_by(document_id=b.main_document_id).one()
    assert (signature.organisation_id, signature.signer_id) == (orgs_b[1].id, person.id)

    # the upload right follows the role: an annex in A (lawyer), none in B (representative)
    headers = bearer(app, db.session, person, Scope.read, Scope.write)
    api = app.test_client()
    for agreement, status in ((a, 201), (b, 403)):
        response = api.post(
            f"/api/v1/agreements/{agreement.id}/documents",
            headers=headers,
            data={"kind": "annex", "title": "Liite", "file": (io.BytesIO(sample_pdf()), "l.pdf")},
        )
        assert response.status_code == status, response.text


def test_an_ended_membership_decides_nothing(factory, login, db):
    from portal.memberships.services import end_membership

    agreement, _orgs, reps, _admin = factory.agreement(parties=2)
    membership = reps[0].memberships[0]
    end_membership(db.session, membership)
    db.session.commit()
    assert login(reps[0]).get(f"/agreements/{agreement.id}").status_code == 404


def _membership_reads(db, client, urls: list[str], person_id: int) -> tuple[int, int]:
    """The statements that read the membership table, and the person's memberships loaded,
    while the client gets `urls`."""
    from sqlalchemy import event

    from portal.memberships.models import Membership

    statements: list[str] = []
    loaded: list[int] = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement)

    def count(target, _context, *_attrs):
        if target.user_id == person_id:
            loaded.append(target.id)

    event.listen(db.engine, "before_cursor_execute", note)
    event.listen(Membership, "load", count)  # read into a new object, or into an expired one:
    event.listen(Membership, "refresh", count)
    try:
        for url in urls:
            assert client.get(url).status_code == 200, url
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
        event.remove(Membership, "load", count)
        event.remove(Membership, "refresh", count)
    return sum(re.search(r"\b(FROM|JOIN) membership\b", s) is not None for s in statements), len(loaded)


def test_a_person_with_many_memberships_costs_a_request_what_one_with_one_does(app, factory, login, db):
    """The permissions ask about an agreement many times in a request: the person's roles and
    their memberships in that agreement are each read once, and never those in their other
    agreements (a secretary of a hundred agreements would otherwise load them all on every
    request)."""
    agreement, orgs, _reps, admin = factory.agreement(parties=3)
    person = factory.user(orgs[0], Role.representative)
    document_id = agreement.main_document_id
    db.session.commit()
    urls = [f"/agreements/{agreement.id}", f"/documents/{document_id}/state", "/", "/?q=a"]
    client = login(person)
    few = _membership_reads(db, client, urls, person.id)

    for _ in range(12):
        other, _o, _r, _a = factory.agreement(parties=2, admin=admin, opened=True)
        factory.member(person, other, other.parties[0].organisation, Role.lawyer)
        factory.member(person, other, other.parties[1].organisation, Role.viewer)
    db.session.commit()
    many = _membership_reads(
        db, client, [f"/agreements/{agreement.id}", f"/documents/{document_id}/state"], person.id
    )
    # the page: the roles held (its menu) and the memberships in this agreement; the state
    # fragment: those memberships (the roles only where a second factor is required)
    assert many == (3, 2), many
    assert _membership_reads(db, client, urls, person.id)[0] == few[0]


def test_an_administrator_ends_a_role_on_the_people_page(factory, login, db, app):
    agreement, orgs, _reps, admin = factory.agreement(parties=2)
    lawyer = factory.user(orgs[0], Role.lawyer)
    db.session.commit()
    membership = lawyer.memberships[0]
    page = login(admin).get(f"/agreements/{agreement.id}/people")
    assert f"/memberships/{membership.id}/end" in page.text
    assert login(admin).post(f"/memberships/{membership.id}/end").status_code == 302
    assert login(admin).post(f"/memberships/{membership.id}/end").status_code == 404  # ended
    lawyer_client = app.test_client()
    lawyer_client.post("/login", data={"username": lawyer.username, "password": "pw"})
    assert lawyer_client.get(f"/agreements/{agreement.id}").status_code == 404
