"""Cost shares (R9; seed 000 §10): by population, a joint municipal authority as a third."""

from decimal import Decimal
from fractions import Fraction

import pytest

from portal.costs.domain import CostRule, Payer, cost_shares, weight


def test_a_joint_municipal_authority_counts_as_a_third_of_its_population():
    assert weight(Payer("1", 90_000, joint_authority=True)) == 30_000
    assert weight(Payer("1", 100_000, joint_authority=True)) == Fraction(100_000, 3)
    assert weight(Payer("1", 100_000)) == 100_000


@pytest.mark.parametrize(
    ("total", "payers", "shares"),
    [
        # an even split by population
        (
            "90000.00",
            [("A", 20_000, False), ("B", 40_000, False), ("C", 30_000, False)],
            {"A": "20000.00", "B": "40000.00", "C": "30000.00"},
        ),
        # a joint municipal authority of 90 000 inhabitants weighs as 30 000
        (
            "120000.00",
            [("A", 60_000, False), ("K", 90_000, True), ("B", 30_000, False)],
            {"A": "60000.00", "K": "30000.00", "B": "30000.00"},
        ),
        # one cent left over goes to the largest remainder (all equal: the smaller business ID)
        (
            "100.00",
            [("A", 1, False), ("B", 1, False), ("C", 1, False)],
            {"A": "33.34", "B": "33.33", "C": "33.33"},
        ),
        # two cents over three equal parties
        (
            "0.02",
            [("C", 5, False), ("B", 5, False), ("A", 5, False)],
            {"A": "0.01", "B": "0.01", "C": "0.00"},
        ),
        # remainders decide before weights: 7/3 = 2.333…, 14/3 … on 10.00 split 1:2
        ("10.00", [("A", 1, False), ("B", 2, False)], {"A": "3.33", "B": "6.67"}),
        # a party with no inhabitants pays nothing
        ("50.00", [("A", 0, False), ("B", 10, False)], {"A": "0.00", "B": "50.00"}),
    ],
)
def test_shares_follow_the_population_and_add_up_to_the_cent(total, payers, shares):
    found = cost_shares(Decimal(total), [Payer(b, p, j) for b, p, j in payers])
    assert found == {b: Decimal(s) for b, s in shares.items()}
    assert sum(found.values()) == Decimal(total)


def test_twenty_five_parties_share_a_quarter_million_exactly():
    payers = [Payer(f"{i:07d}-0", 1_000 + 7_919 * i, joint_authority=i % 5 == 0) for i in range(1, 26)]
    shares = cost_shares(Decimal("250000.00"), payers)
    assert sum(shares.values()) == Decimal("250000.00")
    whole = sum(weight(p) for p in payers)
    for payer in payers:  # each share within a cent of the exact one
        exact = Fraction(25_000_000) * weight(payer) / whole / 100
        assert abs(Fraction(shares[payer.business_id]) - exact) < Fraction(1, 100)


def test_own_costs_share_nothing():
    assert cost_shares(Decimal("0.00"), [Payer("A", 10), Payer("B", 20)], CostRule.own_costs) == {
        "A": Decimal("0.00"),
        "B": Decimal("0.00"),
    }
    with pytest.raises(ValueError):
        cost_shares(Decimal("10.00"), [Payer("A", 10)], CostRule.own_costs)


@pytest.mark.parametrize(
    ("total", "payers"),
    [
        ("10.005", [Payer("A", 1)]),  # not whole cents
        ("-1.00", [Payer("A", 1)]),  # negative
        ("10.00", []),  # nobody to pay
        ("10.00", [Payer("A", 0), Payer("B", 0)]),  # nothing to split by
        ("10.00", [Payer("A", 1), Payer("A", 2)]),  # a party twice
        ("10.00", [Payer("A", -5)]),  # a negative population
    ],
)
def test_impossible_splits_are_refused(total, payers):
    with pytest.raises(ValueError):
        cost_shares(Decimal(total), payers)
