"""The portal's languages, in one place: Finnish (the default), Swedish, English; and the pure rules
for showing a name or a date in them (no Flask here: tests/unit/test_languages.py)."""

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from babel import dates as babel_dates

from portal.timeutil import HELSINKI

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"

#: the Babel locale each UI language writes its dates and times in: Finnish and Swedish as in
#: Finland; English as in Europe (day before month, 24-hour clock), never the US default of "en"
FORMAT_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


def format_locale(language: str) -> str:
    """The Babel locale a UI language formats dates in (an unknown one: Finnish)."""
    return FORMAT_LOCALES.get(language.split("_")[0], FORMAT_LOCALES[DEFAULT_LANGUAGE])


def format_day(value: date | datetime, language: str, form: str = "medium", zone: tzinfo = HELSINKI) -> str:
    """A calendar date in the language's own format; a datetime (naive ones are UTC, as stored)
    is first moved to the portal's time zone, so an evening in Helsinki stays that day."""
    if isinstance(value, datetime):
        value = _in_zone(value, zone).date()
    return babel_dates.format_date(value, form, locale=format_locale(language))


def format_moment(value: datetime, language: str, form: str = "medium", zone: tzinfo = HELSINKI) -> str:
    """A date and time in the language's own format, in the portal's time zone."""
    return babel_dates.format_datetime(_in_zone(value, zone), form, locale=format_locale(language))


def _in_zone(value: datetime, zone: tzinfo) -> datetime:
    aware = value.replace(tzinfo=ZoneInfo("UTC")) if value.tzinfo is None else value
    return aware.astimezone(zone)


def shown_name(language: str, variants: dict[str, str | None], own: str) -> tuple[str, str]:
    """Which of a name's registered language versions to show on a page in `language`, and the
    language it is in: the page's own where one is registered, else the name in its own
    language `own` (an organisation's official name is Finnish, an agreement's title is in the
    agreement's language)."""
    if variants.get(language):
        return str(variants[language]), language
    if variants.get(own):
        return str(variants[own]), own
    found = next((lang, text) for lang, text in variants.items() if text)
    return str(found[1]), found[0]
