"""Cost sharing (DOMAIN.md R9; seed 000 §10, seed 002 §6.2, seed 004 §4.4). Joint costs are split
by the population of the member municipalities, a joint municipal authority counting as its
population divided by three; where nothing is agreed each party bears its own costs. Shares are
in euros to the cent and add up exactly to the sum shared."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

CENT = Decimal("0.01")
#: seed 000 §10: "kuntayhtymien osalta asukasmäärän suuruuteen perustuen jaettuna kolmella"
JOINT_AUTHORITY_DIVISOR = 3


class CostRule(StrEnum):
    by_population = "by_population"
    own_costs = "own_costs"


@dataclass(frozen=True)
class Payer:
    business_id: str
    population: int
    joint_authority: bool = False


def weight(payer: Payer) -> Fraction:
    """A party's weight in the split: its population, a joint municipal authority's divided by
    three (kept exact: no rounding before the shares are rounded)."""
    if payer.population < 0:
        raise ValueError(f"a population cannot be negative ({payer.business_id})")
    divisor = JOINT_AUTHORITY_DIVISOR if payer.joint_authority else 1
    return Fraction(payer.population, divisor)


def cost_shares(total: Decimal, payers: Sequence[Payer],
                rule: CostRule = CostRule.by_population) -> dict[str, Decimal]:
    """Each party's share of `total` (euros, to the cent), summing exactly to `total`.

    Rounding (stated, so that anyone can recompute it): every share is first rounded down to the
    cent; the cents left over go one each to the parties with the largest remainders, ties to the
    larger weight and then to the smaller business ID (the largest-remainder method). Under
    `own_costs` nothing is shared: every share is zero and `total` must be zero."""
    if total != total.quantize(CENT):
        raise ValueError("the sum to share must be in whole cents")
    if total < 0:
        raise ValueError("the sum to share cannot be negative")
    ids = [p.business_id for p in payers]
    if len(set(ids)) != len(ids):
        raise ValueError("a party appears twice")
    if rule is CostRule.own_costs:
        if total:
            raise ValueError("under own costs there is no joint sum to share")
        return {business_id: Decimal("0.00") for business_id in ids}
    weights = {p.business_id: weight(p) for p in payers}
    whole = sum(weights.values(), Fraction(0))
    if not payers or whole == 0:
        raise ValueError("the populations add up to zero: nothing to split by")
    cents = int(total / CENT)
    exact = {b: cents * w / whole for b, w in weights.items()}
    floors = {b: e.numerator // e.denominator for b, e in exact.items()}
    left = cents - sum(floors.values())
    order = sorted(ids, key=lambda b: (-(exact[b] - floors[b]), -weights[b], b))
    for business_id in order[:left]:
        floors[business_id] += 1
    return {b: Decimal(floors[b]).scaleb(-2) for b in ids}
