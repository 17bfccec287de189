"""Cost sharing (DOMAIN.md R9; seed 000 §10, seed 002 §6.2, seed 004 §4.4). Joint costs are split
by the population of the member municipalities, a joint municipal authority counting as its
population divided by three; where nothing is agreed each party bears its own costs. Shares are
in euros to the cent and add up exactly to the sum shared."""

import csv
import io
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


def cost_shares(
    total: Decimal, payers: Sequence[Payer], rule: CostRule = CostRule.by_population
) -> dict[str, Decimal]:
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


@dataclass(frozen=True)
class PopulationRow:
    business_id: str
    population: int
    source: str
    reference_date: str


class CsvRefused(ValueError):
    """A population file that cannot be read: `line` is the 1-based line number (0: the file)."""

    def __init__(self, line: int):
        super().__init__(f"line {line}")
        self.line = line


def parse_population_csv(text: str) -> list[PopulationRow]:
    """Populations imported as CSV: a header line, then business ID, population, source and
    reference date (YYYY-MM-DD, may be empty), separated by commas or semicolons (as Finnish
    spreadsheets save them). Spaces in the population ("239 321") are allowed."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        raise CsvRefused(0)
    dialect = ";" if lines[0].count(";") > lines[0].count(",") else ","
    rows = []
    for number, cells in enumerate(csv.reader(lines[1:], delimiter=dialect), start=2):
        cells = [c.strip() for c in cells] + ["", ""]
        digits = cells[1].replace(" ", "").replace("\u00a0", "")
        if not cells[0] or not digits.isdigit():
            raise CsvRefused(number)
        rows.append(PopulationRow(cells[0], int(digits), cells[2], cells[3]))
    return rows


def population_csv(rows: Sequence[tuple[str, str, int, bool, str, Decimal]]) -> str:
    """The export: business ID, name, population, joint authority, source, share."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["business_id", "name", "population", "joint_authority", "source", "share"])
    for business_id, name, population, joint, source, share in rows:
        writer.writerow([business_id, name, population, "yes" if joint else "no", source, f"{share:.2f}"])
    return out.getvalue()
