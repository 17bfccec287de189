"""The second factor's and sign tokens' rules (portal.auth.domain), without an app."""

from datetime import datetime, timedelta

from portal.auth.domain import (
    FRESH_FACTOR,
    MfaMode,
    Role,
    factor_fresh,
    mfa_required,
    token_covers,
    token_expired,
)

NOW = datetime(2026, 12, 2, 8, 0)


def test_required_mode_asks_administrators_and_representatives_only():
    assert mfa_required(MfaMode.required, {Role.administrator})
    assert mfa_required(MfaMode.required, {Role.representative})
    assert mfa_required(MfaMode.required, {Role.lawyer, Role.representative})  # roles held anywhere
    assert not any(
        mfa_required(MfaMode.required, {r}) for r in (Role.lawyer, Role.contact_person, Role.viewer)
    )
    assert not mfa_required(MfaMode.required, set())
    assert not mfa_required(MfaMode.optional, {Role.representative})
    assert not mfa_required(MfaMode.off, {Role.administrator})


def test_a_factor_is_fresh_for_a_few_minutes():
    assert factor_fresh(NOW - FRESH_FACTOR, NOW)
    assert not factor_fresh(NOW - FRESH_FACTOR - timedelta(seconds=1), NOW)
    assert not factor_fresh(None, NOW)
    assert not factor_fresh(NOW + timedelta(minutes=1), NOW)  # from the future: not trusted
    assert not factor_fresh(NOW - timedelta(seconds=1), NOW, window=timedelta(0))


def test_a_sign_token_covers_its_documents_or_its_agreement():
    assert token_covers(7, {70, 71}, 7, 71)
    assert not token_covers(7, {70, 71}, 7, 72)  # another document of the same agreement
    assert not token_covers(7, {70}, 8, 70)  # the same id in another agreement: never
    assert token_covers(7, set(), 7, 99)  # the demo's: every document of its agreement
    assert not token_covers(None, set(), 7, 70)  # unbound (made before binding): nothing


def test_a_token_expires_at_its_time():
    assert token_expired(NOW, NOW) and not token_expired(NOW + timedelta(seconds=1), NOW)
    assert not token_expired(None, NOW)
