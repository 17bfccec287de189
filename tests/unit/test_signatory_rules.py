from datetime import date

import pytest

from portal.signatories.domain import Basis, Mandate, mandate_problem, valid_on

TODAY = date(2026, 12, 2)
REGULATION = Mandate("kaupunginjohtaja", Basis.regulation, "45 §", date(2024, 1, 1))
DELEGATION = Mandate(
    "hyvinvointialuejohtaja",
    Basis.delegation,
    "230",
    date(2024, 1, 1),
    body="Aluehallitus",
    decided_on=date(2023, 8, 21),
)


@pytest.mark.parametrize(
    ("mandate", "problem"),
    [
        (REGULATION, None),
        (DELEGATION, None),
        (Mandate(" ", Basis.regulation, "45 §", date(2024, 1, 1)), "authority_title"),
        (Mandate("t", Basis.regulation, "", date(2024, 1, 1)), "authority_section"),
        (Mandate("t", Basis.delegation, "1", date(2024, 1, 1), body="Hallitus"), "authority_decision"),
        (
            Mandate("t", Basis.delegation, "1", date(2024, 1, 1), decided_on=date(2023, 1, 1)),
            "authority_decision",
        ),
        (
            Mandate("t", Basis.delegation, "1", date(2024, 1, 1), body="H", decided_on=date(2027, 1, 1)),
            "authority_decision_future",
        ),
        (
            Mandate("t", Basis.regulation, "1", date(2024, 1, 1), valid_to=date(2023, 1, 1)),
            "authority_period",
        ),
    ],
)
def test_mandate_problems(mandate, problem):
    assert mandate_problem(mandate, TODAY) == problem


@pytest.mark.parametrize(
    ("valid_to", "day", "valid"),
    [
        (None, date(2030, 1, 1), True),
        (date(2025, 1, 1), date(2025, 1, 1), True),
        (date(2025, 1, 1), date(2025, 1, 2), False),
        (None, date(2023, 12, 31), False),
    ],
)
def test_valid_on(valid_to, day, valid):
    assert valid_on(date(2024, 1, 1), valid_to, day) is valid
