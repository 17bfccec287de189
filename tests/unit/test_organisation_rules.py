"""The register's rules: business IDs, kinds and the CSV file (no app, no database)."""

import pytest

from portal.organisations.domain import (
    CsvEncodingError,
    OrganisationKind,
    RowError,
    business_id_check_digit,
    parse_csv,
    row_problem,
    valid_business_id,
)

HEADER = "business_id,name,name_sv,kind,street_address,postal_code,city\n"
TAMPERE = "0211675-2,Tampereen kaupunki,Tammerfors stad,municipality,Aleksis Kiven katu 14,33210,Tampere\n"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("0211675-2", True),
        ("0150412-0", True),
        ("3100000-3", True),
        ("0211675-3", False),  # a wrong check digit
        ("0211675-", False),
        ("211675-2", False),
        ("02116752", False),
        (" 0211675-2", False),
        ("0211675–2", False),  # an en dash is not the hyphen
        ("abcdefg-1", False),
        ("", False),
    ],
)
def test_business_ids(value, valid):
    assert valid_business_id(value) is valid


@pytest.mark.parametrize(
    ("digits", "check"),
    [
        ("0211675", 2),
        ("0150412", 0),
        ("0000006", None),  # remainder 1: no valid check digit
    ],
)
def test_check_digits(digits, check):
    assert business_id_check_digit(digits) == check


def test_the_kinds_are_the_apis_and_the_old_names_are_aliases():
    assert [k.value for k in OrganisationKind] == [
        "municipality",
        "wellbeing_services_county",
        "regional_council",
        "joint_municipal_authority",
        "other_public_body",
        "company",
    ]
    assert OrganisationKind.city is OrganisationKind.municipality
    assert OrganisationKind.wellbeing_county is OrganisationKind.wellbeing_services_county


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"business_id": "0211675-2", "name": "T", "kind": "municipality"}, None),
        (
            {"business_id": "0211675-3", "name": "T", "kind": "municipality"},
            ("invalid_business_id", "0211675-3"),
        ),
        ({"business_id": "0211675-2", "name": "", "kind": "municipality"}, ("missing_name", "")),
        ({"business_id": "0211675-2", "name": "T", "kind": "city"}, ("invalid_kind", "city")),
        ({"business_id": "0211675-2", "name": "T" * 201, "kind": "company"}, ("too_long", "name")),
        (
            {"business_id": "0211675-2", "name": "T", "kind": "company", "postal_code": "1" * 11},
            ("too_long", "postal_code"),
        ),
    ],
)
def test_row_problems(fields, problem):
    assert row_problem(fields) == problem


@pytest.mark.parametrize(
    "data",
    [
        (HEADER + TAMPERE).encode(),
        ("\ufeff" + HEADER + TAMPERE).encode(),  # Excel's CSV UTF-8 starts with a byte order mark
        (HEADER + TAMPERE).replace(",", ";").encode(),  # Excel in Finland separates with ;
        (HEADER + TAMPERE).replace("\n", "\r\n").encode(),
        (HEADER + "\n" + TAMPERE + "\n").encode(),  # empty lines are skipped
    ],
)
def test_the_same_file_in_every_form_excel_writes(data):
    parsed = parse_csv(data)
    assert parsed.errors == []
    [(line, row)] = parsed.rows
    assert row.business_id == "0211675-2" and row.name_sv == "Tammerfors stad"
    assert row.kind is OrganisationKind.municipality
    assert (row.street_address, row.postal_code, row.city) == ("Aleksis Kiven katu 14", "33210", "Tampere")


def test_columns_in_any_order_and_the_optional_ones_left_out():
    parsed = parse_csv(b"kind;name;business_id\ncompany;Oy Ab;0150412-0\n")
    [(line, row)] = parsed.rows
    assert (line, row.name, row.name_sv, row.city) == (2, "Oy Ab", None, "")


def test_a_quoted_value_may_hold_the_separator():
    parsed = parse_csv(b'business_id;name;kind\n0150412-0;"Oy Ab; Helsinki";company\n')
    assert parsed.rows[0][1].name == "Oy Ab; Helsinki"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ("0211675-3,T,,municipality,,,\n", [RowError(2, "invalid_business_id", "0211675-3")]),
        (TAMPERE + TAMPERE, [RowError(3, "duplicate_in_file", "0211675-2")]),
        (TAMPERE + "0150412-0,,,company,,,\n", [RowError(3, "missing_name")]),
        ("0150412-0,X,,kunta,,,\n" + TAMPERE, [RowError(2, "invalid_kind", "kunta")]),
        ("0150412-0,X,,company,,,,extra\n", [RowError(2, "too_many_values")]),
        (
            "0211675-3,T,,municipality,,,\n\n0150412-0,,,company,,,\n",
            [RowError(2, "invalid_business_id", "0211675-3"), RowError(4, "missing_name")],
        ),
    ],
)
def test_every_faulty_line_is_named_by_its_number(body, errors):
    assert parse_csv((HEADER + body).encode()).errors == errors


def test_a_header_without_the_required_columns():
    assert parse_csv(b"y-tunnus;nimi\n0211675-2;T\n").errors == [
        RowError(1, "missing_column", "business_id, name, kind")
    ]


def test_a_line_numbers_count_a_quoted_line_break():
    parsed = parse_csv(b'business_id,name,kind\n0150412-0,"Oy\nAb",company\n0211675-3,T,company\n')
    assert parsed.errors == [RowError(4, "invalid_business_id", "0211675-3")]


@pytest.mark.parametrize(
    "data",
    [
        (HEADER + TAMPERE).encode("latin-1") + "Åbo".encode("latin-1"),
        (HEADER + TAMPERE).encode("utf-16"),
        b"\x00\x01\x02",
    ],
)
def test_not_utf8(data):
    with pytest.raises(CsvEncodingError):
        parse_csv(data)
