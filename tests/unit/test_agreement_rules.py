import pytest

from portal.agreements.domain import (
    SignRefusal,
    Status,
    final_file_refusal,
    ready_to_enter_into_force,
    sign_refusal,
)
from portal.auth.domain import Role, may_see_agreement
from portal.organisations.domain import business_id_check_digit, valid_business_id

PARTIES = {1, 2, 3}


def refusal(**overrides):
    facts = dict(status=Status.signing, is_representative=True, user_org_id=1,
                 party_org_ids=PARTIES, signed_org_ids=set())
    return sign_refusal(**(facts | overrides))


def test_a_representative_signs_their_own_party_once_while_open():
    assert refusal() is None
    assert refusal(signed_org_ids={1}) is SignRefusal.already_signed
    assert refusal(user_org_id=9) is SignRefusal.not_a_party
    assert refusal(is_representative=False) is SignRefusal.not_a_representative
    assert refusal(status=Status.draft) is SignRefusal.not_open
    assert refusal(status=Status.in_force) is SignRefusal.not_open


def test_in_force_needs_every_approval_and_every_signature():
    assert ready_to_enter_into_force(PARTIES, PARTIES, PARTIES)
    assert not ready_to_enter_into_force(PARTIES, {1, 2}, PARTIES)
    assert not ready_to_enter_into_force(PARTIES, PARTIES, {1, 3})
    assert not ready_to_enter_into_force(set(), set(), set())
    # an approval by a non-party does not stand in for a missing one
    assert not ready_to_enter_into_force(PARTIES, {1, 2, 9}, PARTIES)


def test_roles_are_per_party():
    assert may_see_agreement(Role.administrator, 9, PARTIES)
    assert may_see_agreement(Role.viewer, 1, PARTIES)
    assert not may_see_agreement(Role.representative, 9, PARTIES)


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
