"""The rules of annexes (portal.annexes.domain) and what the checks read off a main agreement
(portal.checks.terms): plain values, no app, no database."""

from datetime import date

import pytest

from portal.annexes.domain import (
    FlagState,
    GateRefusal,
    carries_acknowledgement,
    changed_codes,
    may_handle,
    may_upload,
    signature_gate,
)
from portal.auth.domain import Role
from portal.checks import Severity, guess_language, main_terms
from portal.memberships.domain import standing
from tests.unit.checks.texts import FI_GOOD, SV_GOOD


def state(code="costs", severity=Severity.warning, message="m", params=None, acknowledged=False):
    return FlagState(code, severity, message, params or {}, acknowledged)


def seats(*pairs, portal_admin=False):
    return standing(portal_admin, pairs)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.lawyer, True),
        (Role.administrator, True),
        (Role.representative, False),
        (Role.contact_person, False),
        (Role.viewer, False),
    ],
)
def test_lawyers_and_the_secretary_upload(role, allowed):
    assert may_upload(seats((1, role))) is allowed
    assert may_upload(seats(portal_admin=True)) and not may_upload(seats())


def test_an_amendment_always_needs_approvals_and_an_annex_never():
    from portal.annexes.domain import requires_approval

    assert requires_approval("amendment", False) and not requires_approval("annex", True)
    assert requires_approval("annex_agreement", True) and not requires_approval("annex_agreement", False)


def test_who_handles_a_document():
    tampere, nokia, akaa = 1, 2, 3
    bound = {tampere, nokia}
    assert may_handle(seats((akaa, Role.administrator)), "annex_agreement", bound)
    assert may_handle(seats(portal_admin=True), "annex_agreement", bound)
    assert may_handle(seats((nokia, Role.lawyer)), "annex_agreement", bound)
    assert not may_handle(seats((akaa, Role.lawyer)), "annex_agreement", bound)
    assert may_handle(seats((akaa, Role.lawyer)), "amendment", bound)
    assert may_handle(seats((akaa, Role.lawyer)), "annex", set())
    assert not may_handle(seats((tampere, Role.representative)), "annex_agreement", bound)
    assert not may_handle(seats((tampere, Role.contact_person)), "annex", bound)
    # a lawyer of Akaa who also represents Nokia judges as Akaa's lawyer only
    assert not may_handle(seats((akaa, Role.lawyer), (nokia, Role.representative)), "annex_agreement", bound)


def test_the_gate_before_signature():
    ok = state(severity=Severity.ok)
    assert signature_gate("main", None, []) is None
    assert signature_gate("annex", "done", [ok]) is GateRefusal.not_signed_kind
    assert signature_gate("annex_agreement", "pending", [ok]) is GateRefusal.checks_pending
    assert signature_gate("annex_agreement", "checking", [ok]) is GateRefusal.checks_pending
    assert signature_gate("amendment", "failed", [ok]) is GateRefusal.checks_failed
    assert signature_gate("amendment", "done", [ok, state()]) is GateRefusal.flags_unacknowledged
    blocked = [state(acknowledged=True), state(severity=Severity.blocker)]
    assert signature_gate("amendment", "done", blocked) is GateRefusal.flags_blocker
    assert (
        signature_gate(
            "annex_agreement", "done", [ok, state(acknowledged=True), state(severity=Severity.info)]
        )
        is None
    )


def test_changed_codes_compare_what_each_check_said():
    before = [state("costs", Severity.ok), state("validity", Severity.ok, "v")]
    after = [state("costs", Severity.ok), state("validity", Severity.warning, "short", {"months": 6})]
    assert changed_codes(None, after) == set()
    assert changed_codes(before, after) == {"validity"}
    assert changed_codes(before, before) == set()
    assert changed_codes(before, before[:1]) == {"validity"}  # a check that went silent changed too


def test_an_acknowledgement_carries_over_only_to_the_very_same_warning():
    old = state(params={"n": 1}, acknowledged=True)
    assert carries_acknowledgement(old, state(params={"n": 1}))
    assert not carries_acknowledgement(old, state(params={"n": 2}))
    assert not carries_acknowledgement(old, state(severity=Severity.blocker, params={"n": 1}))
    assert not carries_acknowledgement(state(params={"n": 1}), state(params={"n": 1}))


def test_the_language_of_a_text():
    assert guess_language([FI_GOOD]) == "fi"
    assert guess_language([SV_GOOD]) == "sv"
    assert guess_language([""]) == "fi"


@pytest.mark.parametrize(
    ("language", "text", "notice", "until", "forum"),
    [
        (
            "fi",
            "Sopimus on voimassa toistaiseksi. Irtisanomisaika on kaksitoista kuukautta.",
            12,
            None,
            "courts",
        ),
        (
            "fi",
            "Sopimuksen irtisanomisaika on 6 kuukautta. Sopimus on voimassa 31.12.2030 saakka. "
            "Riidat ratkaistaan välimiesmenettelyssä.",
            6,
            date(2030, 12, 31),
            "arbitration",
        ),
        (
            "sv",
            "Uppsägningstiden är tolv månader. Avtalet gäller till och med 31.12.2029.",
            12,
            date(2029, 12, 31),
            "courts",
        ),
        ("sv", "Inget om tider här.", None, None, "courts"),
    ],
)
def test_the_terms_of_a_main_agreement(language, text, notice, until, forum):
    terms = main_terms([text], language)
    assert (terms.notice_months, terms.valid_until, terms.dispute_forum) == (notice, until, forum)


def test_the_demo_agreement_terms():
    from pathlib import Path

    import portal.demo

    text = (Path(portal.demo.__file__).with_name("pirkanmaa.txt")).read_text(encoding="utf-8")
    terms = main_terms([text], "fi")
    assert terms.notice_months == 12 and terms.valid_until is None
