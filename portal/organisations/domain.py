"""Rules about organisations (R1): their kinds, the Finnish business ID (Y-tunnus) and the
register's CSV file.

The business ID rule lives in signing.ca (certificates carry the ID); it is re-exported here."""

import csv
import io
from dataclasses import dataclass
from enum import StrEnum

from signing.ca import business_id_check_digit, valid_business_id

__all__ = [
    "CSV_COLUMNS",
    "CsvEncodingError",
    "CsvParse",
    "OrganisationKind",
    "OrganisationRow",
    "RowError",
    "business_id_check_digit",
    "name_in",
    "parse_csv",
    "valid_business_id",
]

NAME_MAX, STREET_MAX, POSTAL_CODE_MAX, CITY_MAX = 200, 200, 10, 100


class OrganisationKind(StrEnum):
    """The kinds of the register, as the API names them (R1)."""

    municipality = "municipality"  # a municipality or a city
    wellbeing_services_county = "wellbeing_services_county"
    regional_council = "regional_council"
    joint_municipal_authority = "joint_municipal_authority"
    other_public_body = "other_public_body"  # or a non-profit body
    company = "company"  # or an association
    # the names the code used before the register existed: aliases of the same values
    wellbeing_county = "wellbeing_services_county"
    city = "municipality"
    joint_authority = "joint_municipal_authority"
    other = "other_public_body"


@dataclass(frozen=True)
class OrganisationRow:
    """An organisation as the register, the API and the CSV file state it."""

    business_id: str
    name: str
    name_sv: str | None
    kind: OrganisationKind
    street_address: str = ""
    postal_code: str = ""
    city: str = ""


@dataclass(frozen=True)
class RowError:
    """Why a line of the CSV file was refused: `line` counts the header as line 1."""

    line: int
    code: str
    value: str = ""


@dataclass(frozen=True)
class CsvParse:
    rows: list[tuple[int, OrganisationRow]]
    errors: list[RowError]


class CsvEncodingError(ValueError):
    """The file is not UTF-8 text."""


#: the header of the register's CSV file, in this order when written; read in any order
CSV_COLUMNS = ("business_id", "name", "name_sv", "kind", "street_address", "postal_code", "city")
REQUIRED_COLUMNS = ("business_id", "name", "kind")
_LIMITS = {
    "name": NAME_MAX,
    "name_sv": NAME_MAX,
    "street_address": STREET_MAX,
    "postal_code": POSTAL_CODE_MAX,
    "city": CITY_MAX,
}


def name_in(language: str, name: str, name_sv: str | None) -> str:
    """An organisation's name in a language: the Swedish one in Swedish where registered
    (a bilingual city, 001: Porvoo / Borgå), else the Finnish one."""
    return name_sv if language == "sv" and name_sv else name


def row_problem(fields: dict[str, str]) -> tuple[str, str] | None:
    """(code, value) of the first thing wrong with one organisation's stripped fields, or None."""
    business_id = fields.get("business_id", "")
    if not valid_business_id(business_id):
        return "invalid_business_id", business_id
    if not fields.get("name"):
        return "missing_name", ""
    if fields.get("kind", "") not in {k.value for k in OrganisationKind}:
        return "invalid_kind", fields.get("kind", "")
    for column, limit in _LIMITS.items():
        if len(fields.get(column, "")) > limit:
            return "too_long", column
    return None


def to_row(fields: dict[str, str]) -> OrganisationRow:
    """An OrganisationRow of fields row_problem() found nothing wrong with."""
    return OrganisationRow(
        business_id=fields["business_id"],
        name=fields["name"],
        name_sv=fields.get("name_sv") or None,
        kind=OrganisationKind(fields["kind"]),
        street_address=fields.get("street_address", ""),
        postal_code=fields.get("postal_code", ""),
        city=fields.get("city", ""),
    )


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte order mark
    except UnicodeDecodeError:
        raise CsvEncodingError from None


def _delimiter(header: str) -> str:
    """Excel in Finland writes `;`, most other tools `,`: whichever the header has more of."""
    return ";" if header.count(";") > header.count(",") else ","


def parse_csv(data: bytes) -> CsvParse:
    """The rows of an organisations CSV file and every line's problem: a header naming
    CSV_COLUMNS (business_id, name and kind required), then one organisation a line. A business
    ID twice in the file is refused on its second line. Empty lines are skipped."""
    text = _decode(data)
    if "\x00" in text:
        raise CsvEncodingError
    lines = text.splitlines()
    header_line = lines[0] if lines else ""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return CsvParse([], [RowError(1, "missing_column", ", ".join(missing))])
    rows: list[tuple[int, OrganisationRow]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            errors.append(RowError(line, "too_many_values"))
            continue
        fields = {
            column: value.strip()
            for column, value in zip(header, values, strict=False)
            if column in CSV_COLUMNS
        }
        problem = row_problem(fields)
        if problem is not None:
            errors.append(RowError(line, *problem))
        elif fields["business_id"] in seen:
            errors.append(RowError(line, "duplicate_in_file", fields["business_id"]))
        else:
            seen[fields["business_id"]] = line
            rows.append((line, to_row(fields)))
    return CsvParse(rows, errors)
