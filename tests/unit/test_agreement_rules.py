import pytest

from portal.agreements.domain import (
    SignRefusal,
    Status,
    final_file_refusal,
    ready_to_enter_into_force,
    sign_refusal,
)
from portal.auth.domain import Role
from portal.memberships.domain import may_administer, may_see, signing_party, standing
from portal.organisations.domain import business_id_check_digit, valid_business_id

PARTIES = {1, 2, 3}


def refusal(**overrides):
    facts = dict(status=Status.signing, represented_org_ids={1}, party_org_ids=PARTIES, signed_org_ids=set())
    return sign_refusal(**(facts | overrides))


def test_a_representative_signs_their_own_party_once_while_open():
    assert refusal() is None
    assert refusal(signed_org_ids={1}) is SignRefusal.already_signed
    assert refusal(represented_org_ids={9}) is SignRefusal.not_a_party
    assert refusal(represented_org_ids=set()) is SignRefusal.not_a_representative
    # one person representing two parties signs for the one that has not signed yet
    assert refusal(represented_org_ids={1, 2}, signed_org_ids={1}) is None
    assert refusal(represented_org_ids={1, 2}, signed_org_ids={1, 2}) is SignRefusal.already_signed
    assert refusal(status=Status.draft) is SignRefusal.not_open
    assert refusal(status=Status.in_force) is SignRefusal.not_open


def test_in_force_needs_every_approval_and_every_signature():
    assert ready_to_enter_into_force(PARTIES, PARTIES, PARTIES)
    assert not ready_to_enter_into_force(PARTIES, {1, 2}, PARTIES)
    assert not ready_to_enter_into_force(PARTIES, PARTIES, {1, 3})
    assert not ready_to_enter_into_force(set(), set(), set())
    # an approval by a non-party does not stand in for a missing one
    assert not ready_to_enter_into_force(PARTIES, {1, 2, 9}, PARTIES)


def test_roles_are_per_agreement_and_party():
    assert may_see(standing(True, []))
    assert may_see(standing(False, [(1, Role.viewer)]))
    assert not may_see(standing(False, []))
    assert not may_administer(standing(False, [(1, Role.lawyer)]))
    assert may_administer(standing(False, [(1, Role.administrator)]))
    assert signing_party({1, 2}, PARTIES, {1}) == 2
    assert signing_party({1}, PARTIES, {1}) is None
    assert signing_party({9}, PARTIES, set()) is None


@pytest.mark.parametrize("value", ["0211675-2", "0150412-0", "3100000-3"])
def test_valid_business_ids(value):
    digits, check = value.split("-")
    assert business_id_check_digit(digits) == int(check)
    assert valid_business_id(value)


@pytest.mark.parametrize("value", ["0211675-3", "211675-2", "02116752", "0211675-", "", "abcdefg-1"])
def test_invalid_business_ids(value):
    assert not valid_business_id(value)


def test_the_final_file_must_be_the_verified_last_signature():
    a, b, c = "a" * 64, "b" * 64, "c" * 64
    assert final_file_refusal(b, b, [(a, True), (b, True)]) is None
    assert final_file_refusal(b, c, [(a, True), (b, True)]) == "stored_file_mismatch"
    assert final_file_refusal(b, None, [(a, True), (b, True)]) == "stored_file_mismatch"
    assert final_file_refusal(b, b, [(a, False), (b, True)]) == "unverified_signature"
    assert final_file_refusal(b, b, []) == "unverified_signature"
    assert final_file_refusal(a, a, [(a, True), (b, True)]) == "not_the_last_signature"
