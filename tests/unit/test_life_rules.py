"""Issue 12: the pure rules added beside the lifecycle, steering and cost rules (decisions,
the end of the agreement for everyone, deputies' seats, the population CSV)."""

from datetime import date
from decimal import Decimal

import pytest

from portal.costs.domain import CsvRefused, parse_population_csv, population_csv
from portal.documents.domain import DecisionType, counts_as_approval, decision_date_refusal
from portal.lifecycle.domain import agreement_ends_on, party_ended
from portal.steering.domain import deadline_missed, has_quorum, seats_taken


@pytest.mark.parametrize(
    ("decided", "today", "refusal"),
    [
        (date(2023, 8, 21), date(2023, 8, 21), None),  # 001: "Päätös tarkastetaan heti"
        (date(2023, 8, 20), date(2023, 8, 21), None),
        (date(2023, 8, 22), date(2023, 8, 21), "decision_in_future"),
    ],
)
def test_a_decision_is_never_dated_in_the_future(decided, today, refusal):
    assert decision_date_refusal(decided, today) == refusal


@pytest.mark.parametrize(
    ("kind", "voided", "superseded", "on_version", "counts"),
    [
        (DecisionType.approve, False, False, True, True),
        (DecisionType.take_note, False, False, True, False),  # 003: "toteaa … tiedoksi"
        (DecisionType.approve, True, False, True, False),
        (DecisionType.approve, False, True, True, False),
        (DecisionType.approve, False, False, False, False),  # on an older version
    ],
)
def test_which_decisions_count(kind, voided, superseded, on_version, counts):
    assert counts_as_approval(kind, voided, superseded, on_version) is counts


@pytest.mark.parametrize(
    ("parties", "ends", "expected"),
    [
        (3, [], None),
        (3, [date(2027, 3, 15)], None),  # two remain
        (3, [date(2027, 3, 15), date(2026, 12, 31)], date(2027, 3, 15)),  # the second one leaves
        (2, [date(2027, 3, 15)], date(2027, 3, 15)),
        (25, [date(2027, 1, 1)] * 24, date(2027, 1, 1)),  # Pirkanmaa down to one
        (25, [date(2027, 1, 1)] * 23, None),
    ],
)
def test_the_agreement_ends_for_everyone_below_two_parties(parties, ends, expected):
    assert agreement_ends_on(parties, ends) == expected


def test_a_party_is_bound_until_its_end_date():
    assert not party_ended(date(2027, 3, 14), date(2027, 3, 15))
    assert party_ended(date(2027, 3, 15), date(2027, 3, 15))
    assert not party_ended(date(2030, 1, 1), None)


def test_a_deputy_fills_the_seat_of_their_member():
    members, chair, vice = {1, 2, 3, 4}, 1, 2
    present = seats_taken({1, 12}, {12: 2})
    assert present == {1, 2} and has_quorum(members, present, chair, vice)
    assert not has_quorum(members, seats_taken({3, 4}, {12: 2}), chair, vice)
    assert not has_quorum(members, seats_taken({1}, {}), chair, vice)


def test_deadlines():
    assert not deadline_missed(date(2027, 3, 23), date(2027, 3, 23))
    assert deadline_missed(date(2027, 3, 23), date(2027, 3, 24))


def test_the_population_csv_reads_finnish_spreadsheets():
    rows = parse_population_csv(
        "Y-tunnus;asukasluku;lähde;ajankohta\n"
        "0204819-8;239 321;Tilastokeskus;2024-12-31\n\n"
        "1234567-1;35511;;\n"
    )
    assert [(r.business_id, r.population, r.source, r.reference_date) for r in rows] == [
        ("0204819-8", 239321, "Tilastokeskus", "2024-12-31"),
        ("1234567-1", 35511, "", ""),
    ]
    assert parse_population_csv("a,b\n1,2\n")[0].population == 2
    for bad, line in [("", 0), ("header only", 0), ("h;p\nX;many\n", 2)]:
        with pytest.raises(CsvRefused) as refused:
            parse_population_csv(bad)
        assert refused.value.line == line


def test_the_export_writes_shares_to_the_cent():
    text = population_csv([("0204819-8", "Tampere", 239321, False, "TK", Decimal("78509.1"))])
    assert text.splitlines() == [
        "business_id,name,population,joint_authority,source,share",
        "0204819-8,Tampere,239321,no,TK,78509.10",
    ]
