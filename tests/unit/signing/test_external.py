"""An own-certificate signature (signing.external): accepted when it signs the party's field and
nothing else, with a certificate of a trusted outside CA that names the representative; each kind
of bad upload refused with its own reason."""

from __future__ import annotations

import hashlib

import pytest

import signing
from signing.external import KnownFile, Refusal, check_external
from tests.owncert import own_ca, sign_with_own_tool
from tests.unit.signing.conftest import stamp

EMAIL = "maija.meikalainen@example.fi"


@pytest.fixture(scope="module")
def ca():
    return own_ca()


@pytest.fixture(scope="module")
def card(ca) -> bytes:
    return ca.person("Maija Meikäläinen", EMAIL)


def known(pdf: bytes) -> KnownFile:
    return KnownFile(len(pdf), hashlib.sha256(pdf).hexdigest())


def check(upload, current, parties, ca, *, earlier=(), emails=(EMAIL,), field="party-01", roots=None):
    business_id = parties[int(field[-2:]) - 1][1]
    return check_external(
        upload,
        current,
        list(earlier),
        signing.ExpectedSigner(field, business_id),
        emails,
        [ca.pem] if roots is None else roots,
    )


def test_an_own_certificate_signature_is_accepted(small_prepared, parties, ca, card):
    upload = sign_with_own_tool(small_prepared, "party-01", card)
    verdict = check(upload, small_prepared, parties, ca)
    assert verdict.refusal is None and verdict.ok, verdict
    assert verdict.emails == (EMAIL,)
    stored = verdict.as_dict()
    assert stored["ok"] is True and stored["external"] is True and stored["problems"] == []


def test_the_email_is_compared_without_case(small_prepared, parties, ca, card):
    upload = sign_with_own_tool(small_prepared, "party-01", card)
    assert check(upload, small_prepared, parties, ca, emails=[EMAIL.upper()]).ok


def test_another_field_filled_is_refused(small_prepared, parties, ca, card):
    upload = sign_with_own_tool(small_prepared, "party-02", card)
    assert check(upload, small_prepared, parties, ca).refusal is Refusal.field_not_signed


def test_bytes_changed_before_the_new_revision_are_refused(small_prepared, parties, ca, card):
    changed = bytearray(small_prepared)
    position = changed.index(b"stream", 200) + 20
    changed[position] ^= 0x01
    upload = sign_with_own_tool(bytes(changed), "party-01", card)
    assert check(upload, small_prepared, parties, ca).refusal is Refusal.not_extending


def test_an_untrusted_root_is_refused(small_prepared, parties, ca):
    stranger = own_ca("Some Other CA")
    upload = sign_with_own_tool(small_prepared, "party-01", stranger.person("Maija", EMAIL))
    assert check(upload, small_prepared, parties, ca).refusal is Refusal.untrusted


def test_another_persons_certificate_is_refused(small_prepared, parties, ca):
    upload = sign_with_own_tool(
        small_prepared, "party-01", ca.person("Matti Muukalainen", "matti@example.fi")
    )
    assert check(upload, small_prepared, parties, ca).refusal is Refusal.wrong_person
    no_email = sign_with_own_tool(small_prepared, "party-01", ca.person("Maija", None))
    assert check(no_email, small_prepared, parties, ca).refusal is Refusal.wrong_person


def test_a_stale_copy_is_refused(small_prepared, parties, signer_keys, ca, card):
    """Party 2 signed (in the portal) after party 1 downloaded the prepared file."""
    current = signing.sign(small_prepared, "party-02", signer_keys[1], stamp(parties[1][0]))
    upload = sign_with_own_tool(small_prepared, "party-01", card)
    verdict = check(upload, current, parties, ca, earlier=[known(small_prepared)])
    assert verdict.refusal is Refusal.stale


def test_two_new_revisions_are_refused(small_prepared, parties, signer_keys, ca, card):
    once = sign_with_own_tool(small_prepared, "party-01", card)
    twice = signing.sign(once, "party-02", signer_keys[1], stamp(parties[1][0]))
    assert check(twice, small_prepared, parties, ca).refusal is Refusal.not_one_revision


def test_the_unchanged_file_is_refused(small_prepared, parties, ca):
    assert check(small_prepared, small_prepared, parties, ca).refusal is Refusal.not_extending


def test_no_trust_roots_means_disabled(small_prepared, parties, ca, card):
    upload = sign_with_own_tool(small_prepared, "party-01", card)
    assert check(upload, small_prepared, parties, ca, roots=[]).refusal is Refusal.disabled


def test_a_portal_certificate_of_the_party_is_not_an_own_certificate(
    small_prepared, parties, signer_keys, authority, ca
):
    """A signature with the portal's key is signed in the portal; the outside roots never
    include the portal CA, so it is untrusted here."""
    upload = signing.sign(small_prepared, "party-01", signer_keys[0], stamp(parties[0][0]))
    assert check(upload, small_prepared, parties, ca).refusal is Refusal.untrusted
