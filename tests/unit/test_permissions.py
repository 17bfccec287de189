"""portal.permissions: one policy per action, over plain objects (no app, no database)."""

from types import SimpleNamespace as Obj

import pytest

from portal.auth.domain import Role
from portal.documents.domain import DocumentKind
from portal.errors import PortalError
from portal.permissions import POLICIES, Action, allowed, require, require_visible

TAMPERE, NOKIA, AKAA = 1, 2, 3


def user(role, org=TAMPERE, id=7):
    return Obj(role=role, organisation_id=org, id=id)


def annex_agreement(signers=(TAMPERE, NOKIA), uploader_org=TAMPERE):
    uploader = Obj(organisation_id=uploader_org)
    return Obj(kind=DocumentKind.annex_agreement, parties=[Obj(organisation_id=o) for o in signers],
               versions=[Obj(uploaded_by=uploader)])


def test_every_action_has_one_policy():
    assert set(POLICIES) == set(Action)


def test_require_refuses_with_a_403():
    require(user(Role.administrator), Action.administer)
    with pytest.raises(PortalError) as refused:
        require(user(Role.lawyer), Action.administer)
    assert (refused.value.code, refused.value.status) == ("forbidden", 403)


def test_an_annex_agreement_is_handled_by_its_own_parties_lawyers():
    document = annex_agreement()
    assert allowed(user(Role.lawyer, NOKIA), Action.handle_document, document)
    assert allowed(user(Role.lawyer, NOKIA), Action.add_version, document)
    assert not allowed(user(Role.lawyer, AKAA), Action.handle_document, document)
    assert not allowed(user(Role.representative, NOKIA), Action.add_version, document)
    assert allowed(user(Role.administrator, AKAA), Action.handle_document, document)


def test_contacts_are_edited_by_their_own_person_while_active():
    own = Obj(user_id=7, active=True)
    assert allowed(user(Role.contact_person), Action.edit_own_contact, own)
    assert not allowed(user(Role.contact_person, id=8), Action.edit_own_contact, own)
    assert not allowed(user(Role.contact_person), Action.edit_own_contact, Obj(user_id=7, active=False))
    assert allowed(user(Role.administrator), Action.replace_contact, own)
    assert not allowed(user(Role.administrator), Action.replace_contact, Obj(user_id=7, active=False))


def test_an_agreement_outside_ones_parties_is_not_found():
    agreement = Obj(parties=[Obj(organisation_id=TAMPERE)])
    require_visible(user(Role.viewer, TAMPERE), agreement)
    require_visible(user(Role.administrator, AKAA), agreement)
    for seen in (agreement, None):
        with pytest.raises(PortalError) as refused:
            require_visible(user(Role.representative, AKAA), seen)
        assert refused.value.status == 404
