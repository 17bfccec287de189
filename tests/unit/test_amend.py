"""Issue 12, item 3: the agreement as amended. What an amendment's text states (notice period,
fixed end, dispute forum, goals), and the consolidation of the main agreement with it."""

from datetime import date

import pytest

from portal.checks import Goal, MainAgreement
from portal.checks.amend import AmendedTerms, Change, amend, amendment_terms

MAIN = MainAgreement(
    parties=(),
    goals=(Goal(1, "Hyvinvointi"),),
    notice_months=12,
    valid_until=None,
    dispute_forum="courts",
)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "MUUTOS\nSopimuksen irtisanomisaika on 18 kuukautta.",
            "fi",
            AmendedTerms(notice_months=18),
        ),
        ("MUUTOS\nSopimus on voimassa 31.12.2030 asti.", "fi", AmendedTerms(valid_until=date(2030, 12, 31))),
        # silent on disputes: the forum is not touched (the main agreement's reading would say courts)
        ("MUUTOS\nYhteistyösopimuksen voimassaoloa jatketaan.", "fi", AmendedTerms()),
        (
            "MUUTOS\nSopimuksesta johtuvat erimielisyydet ratkaistaan välimiesmenettelyssä.",
            "fi",
            AmendedTerms(dispute_forum="arbitration"),
        ),
        (
            "MUUTOS\nTavoite 2: Ikääntyneiden kotona asuminen.\nTavoite 1: Hyvinvointi ja terveys",
            "fi",
            AmendedTerms(goals={2: "Ikääntyneiden kotona asuminen", 1: "Hyvinvointi ja terveys"}),
        ),
        ("ÄNDRING\nMål 3: Äldre som bor hemma", "sv", AmendedTerms(goals={3: "Äldre som bor hemma"})),
        # a goal named in running text is a reference, not a heading
        ("MUUTOS\nTämä muutos toteuttaa tavoitetta 1.", "fi", AmendedTerms()),
    ],
)
def test_what_an_amendment_states(text, language, expected):
    assert amendment_terms([text], language) == expected


@pytest.mark.parametrize(
    ("terms", "changes"),
    [
        (AmendedTerms(), ()),
        # a term restated unchanged is no change
        (AmendedTerms(notice_months=12, dispute_forum="courts"), ()),
        (AmendedTerms(notice_months=18), (Change("notice_months", 12, 18),)),
        (
            AmendedTerms(valid_until=date(2030, 12, 31), dispute_forum="arbitration"),
            (
                Change("valid_until", None, date(2030, 12, 31)),
                Change("dispute_forum", "courts", "arbitration"),
            ),
        ),
        (
            AmendedTerms(goals={2: "Kotona asuminen", 1: "Hyvinvointi ja terveys"}),
            (
                Change("goal", "Hyvinvointi", "Hyvinvointi ja terveys", 1),
                Change("goal", None, "Kotona asuminen", 2),
            ),
        ),
    ],
)
def test_the_agreement_as_amended(terms, changes):
    amended, found = amend(MAIN, terms)
    assert found == changes
    for change in changes:
        if change.term == "goal":
            assert Goal(change.number, change.after) in amended.goals
        else:
            assert getattr(amended, change.term) == change.after
    if not changes:
        assert amended == MAIN


def test_amendments_apply_in_order():
    first, _ = amend(MAIN, AmendedTerms(notice_months=18, goals={2: "Kotona asuminen"}))
    second, changes = amend(first, AmendedTerms(notice_months=24))
    assert second.notice_months == 24 and changes == (Change("notice_months", 18, 24),)
    assert second.goals == (Goal(1, "Hyvinvointi"), Goal(2, "Kotona asuminen"))
