"""Names and dates in each UI language (portal.languages: no Flask, no database)."""

from datetime import date, datetime

import pytest

from portal.languages import format_day, format_locale, format_moment, shown_name

EVENING = datetime(2026, 12, 2, 22, 30)  # naive UTC, as stored: 3 December 00.30 in Helsinki
SUMMER = datetime(2027, 6, 15, 9, 5)  # 12.05 in Helsinki (summer time)


@pytest.mark.parametrize(
    ("language", "value", "form", "expected"),
    [
        ("fi", date(2026, 12, 2), "short", "2.12.2026"),
        ("sv", date(2026, 12, 2), "short", "2026-12-02"),
        ("en", date(2026, 12, 2), "short", "02/12/2026"),  # day first, never 12/2/26
        ("fi", date(2026, 12, 2), "long", "2. joulukuuta 2026"),
        ("sv", date(2026, 12, 2), "long", "2 december 2026"),
        ("en", date(2026, 12, 2), "long", "2 December 2026"),
        ("en", date(2026, 12, 2), "medium", "2 Dec 2026"),
        ("fi", EVENING, "short", "3.12.2026"),  # a datetime's day is Helsinki's
        ("xx", date(2026, 12, 2), "short", "2.12.2026"),  # an unknown language: Finnish
    ],
)
def test_a_date_in_each_language(language, value, form, expected):
    assert format_day(value, language, form) == expected


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("fi", EVENING, "3.12.2026 0.30"),
        ("sv", EVENING, "2026-12-03 00:30"),
        ("en", EVENING, "03/12/2026, 00:30"),  # 24-hour clock, no AM/PM
        ("en", SUMMER, "15/06/2027, 12:05"),
    ],
)
def test_a_moment_in_each_language(language, value, expected):
    assert format_moment(value, language, "short") == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "fi_FI"), ("sv", "sv_FI"), ("en", "en_GB"), ("en_US", "en_GB"), ("de", "fi_FI")],
)
def test_format_locales(language, expected):
    assert format_locale(language) == expected


@pytest.mark.parametrize(
    ("language", "variants", "own", "expected"),
    [
        ("sv", {"fi": "Vaasan kaupunki", "sv": "Vasa stad"}, "fi", ("Vasa stad", "sv")),
        ("fi", {"fi": "Vaasan kaupunki", "sv": "Vasa stad"}, "fi", ("Vaasan kaupunki", "fi")),
        ("en", {"fi": "Vaasan kaupunki", "sv": "Vasa stad"}, "fi", ("Vaasan kaupunki", "fi")),
        ("sv", {"fi": "Tampereen kaupunki", "sv": None}, "fi", ("Tampereen kaupunki", "fi")),
        ("sv", {"fi": "Tampereen kaupunki", "sv": ""}, "fi", ("Tampereen kaupunki", "fi")),
        # an agreement written in Swedish, shown in Finnish: its own title, in Swedish
        ("fi", {"sv": "Samarbetsavtal", "fi": None}, "sv", ("Samarbetsavtal", "sv")),
        # its own language missing: whichever version there is
        ("en", {"fi": None, "sv": "Samarbetsavtal"}, "fi", ("Samarbetsavtal", "sv")),
    ],
)
def test_which_name_is_shown(language, variants, own, expected):
    assert shown_name(language, variants, own) == expected
