"""portal.permissions: one policy per action, over plain objects (no app, no database). Roles are
memberships: each in one agreement (A or B here) for one party."""

from types import SimpleNamespace as Obj

import pytest

from portal.auth.domain import Role
from portal.documents.domain import DocumentKind
from portal.errors import PortalError
from portal.permissions import (
    POLICIES,
    Action,
    allowed,
    is_portal_admin,
    represented_parties,
    require,
    require_visible,
)

TAMPERE, NOKIA, AKAA = 1, 2, 3
A, B = 10, 20


def user(role=None, org=TAMPERE, id=7, agreement=A, portal_admin=False, seats=()):
    """A user with `role` for `org` in agreement `agreement` (and any further (agreement, org,
    role) `seats`); a portal administrator when portal_admin."""
    held = [(agreement, org, role)] if role else []
    memberships = [Obj(agreement_id=a, organisation_id=o, role=r) for a, o, r in [*held, *seats]]
    return Obj(
        role=Role.administrator if portal_admin else Role.viewer,
        active=True,
        organisation_id=org,
        id=id,
        memberships=memberships,
    )


def agreement(id=A, parties=(TAMPERE, NOKIA)):
    return Obj(id=id, parties=[Obj(organisation_id=o) for o in parties])


def annex_agreement(signers=(TAMPERE, NOKIA), uploader=None):
    uploader = uploader or user(Role.lawyer, TAMPERE, id=99)
    return Obj(
        kind=DocumentKind.annex_agreement,
        agreement_id=A,
        parties=[Obj(organisation_id=o) for o in signers],
        versions=[Obj(uploaded_by=uploader)],
    )


def test_every_action_has_one_policy():
    assert set(POLICIES) == set(Action)


def test_require_refuses_with_a_403():
    require(user(portal_admin=True), Action.administer)
    with pytest.raises(PortalError) as refused:
        require(user(Role.lawyer), Action.administer, agreement())
    assert (refused.value.code, refused.value.status) == ("forbidden", 403)


def test_an_agreement_administrator_administers_that_agreement_only():
    secretary = user(Role.administrator, AKAA, agreement=A)
    assert allowed(secretary, Action.administer, agreement(A))
    assert not allowed(secretary, Action.administer, agreement(B))
    assert not allowed(secretary, Action.administer)  # the portal's own work
    assert allowed(user(portal_admin=True), Action.administer, agreement(B))
    assert is_portal_admin(user(portal_admin=True)) and not is_portal_admin(secretary)


def test_an_annex_agreement_is_handled_by_its_own_parties_lawyers():
    document = annex_agreement()
    assert allowed(user(Role.lawyer, NOKIA), Action.handle_document, document)
    assert allowed(user(Role.lawyer, NOKIA), Action.add_version, document)
    assert not allowed(user(Role.lawyer, AKAA), Action.handle_document, document)
    assert not allowed(user(Role.representative, NOKIA), Action.add_version, document)
    assert allowed(user(Role.administrator, AKAA), Action.handle_document, document)
    assert allowed(user(portal_admin=True), Action.handle_document, document)
    # the lawyer of Nokia in agreement B is nobody in A
    assert not allowed(user(Role.lawyer, NOKIA, agreement=B), Action.handle_document, document)


def test_the_uploaders_party_is_bound_by_their_lawyer_membership():
    akaa_lawyer = user(Role.lawyer, AKAA, id=5)
    document = annex_agreement(uploader=akaa_lawyer)
    assert allowed(user(Role.lawyer, AKAA), Action.handle_document, document)


def test_contacts_are_edited_by_their_own_person_while_active():
    own = Obj(user_id=7, active=True, agreement_id=A)
    assert allowed(user(Role.contact_person), Action.edit_own_contact, own)
    assert not allowed(user(Role.contact_person, id=8), Action.edit_own_contact, own)
    assert not allowed(
        user(Role.contact_person), Action.edit_own_contact, Obj(user_id=7, active=False, agreement_id=A)
    )
    assert allowed(user(portal_admin=True), Action.replace_contact, own)
    assert allowed(user(Role.administrator, AKAA), Action.replace_contact, own)
    assert not allowed(user(Role.administrator, AKAA, agreement=B), Action.replace_contact, own)
    assert not allowed(
        user(portal_admin=True), Action.replace_contact, Obj(user_id=7, active=False, agreement_id=A)
    )


def test_an_agreement_without_a_membership_is_not_found():
    seen = agreement(A, parties=(TAMPERE,))
    require_visible(user(Role.viewer, TAMPERE), seen)
    require_visible(user(portal_admin=True, org=AKAA), seen)
    for other in (user(Role.lawyer, TAMPERE, agreement=B), user(org=TAMPERE)):
        for target in (seen, None):
            with pytest.raises(PortalError) as refused:
                require_visible(other, target)
            assert refused.value.status == 404


def test_one_person_two_agreements_two_parties():
    person = user(Role.lawyer, TAMPERE, agreement=A, seats=[(B, NOKIA, Role.representative)])
    assert represented_parties(person, A) == set()
    assert represented_parties(person, B) == {NOKIA}
    assert allowed(person, Action.upload_document, agreement(A))
    assert not allowed(person, Action.upload_document, agreement(B))
    assert allowed(person, Action.create_sign_token)
    assert not allowed(user(Role.lawyer), Action.create_sign_token)
