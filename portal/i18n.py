from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache, lru_cache
from types import SimpleNamespace
from typing import Any

import flask_babel
from babel import Locale, support
from flask import Flask, g, request, session
from flask_babel import get_locale, get_timezone, get_translations, refresh
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from portal.languages import LANGUAGES, format_day, format_moment, shown_name
from portal.messages import (
    CHECK_STATUS_TITLES,
    DECISION_TYPE_TITLES,
    DOCUMENT_KIND_TITLES,
    JOB_STATUS_TITLES,
    KIND_TITLES,
    ROLE_TITLES,
    SEVERITY_TITLES,
    STATUS_TITLES,
)

LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}


def select_locale() -> str:
    """The language chosen in this session, else the user's own, else Accept-Language, else fi."""
    if request.path.startswith("/api/"):  # the API knows no session: the caller's header decides
        return request.accept_languages.best_match(LANGUAGES) or "fi"
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LANGUAGES:
        return current_user.locale
    return request.accept_languages.best_match(LANGUAGES) or "fi"


def flag_message(flag) -> str:
    """A stored compatibility flag in the reader's language (its msgid is English)."""
    from flask_babel import gettext

    try:
        return gettext(flag.message_id) % flag.params if flag.params else gettext(flag.message_id)
    except (KeyError, TypeError, ValueError):  # a catalog that lost a placeholder: say it in English
        return flag.message_id % flag.params


def _babel_space() -> SimpleNamespace | None:
    """Where Flask-Babel keeps this app context's locale (force_locale included), or None."""
    try:
        return g._get_current_object().__dict__.get("_flask_babel")
    except RuntimeError:  # outside an app context
        return None


def current_locale() -> Locale | None:
    """Flask-Babel's get_locale, read in one look-up once it is settled for this context: a page
    asks for it hundreds of times (every string, date and party name), and get_locale walks a
    chain of context proxies each time."""
    locale = getattr(_babel_space(), "babel_locale", None)
    return locale if locale is not None else get_locale()


def page_language() -> str:
    """The language the current page (or mail, under force_locale) is written in."""
    locale = current_locale()
    return locale.language if locale is not None else "fi"


def _catalogs() -> Callable[[], support.NullTranslations]:
    """The catalog of the current locale, as Flask-Babel loaded it, kept by locale for one app
    and remembered beside the context's locale: a template's `_()` finds it in one look-up
    instead of Flask-Babel's chain of context look-ups on every string."""
    found: dict[Locale, support.NullTranslations] = {}

    def catalog() -> support.NullTranslations:
        space = _babel_space()
        locale = getattr(space, "babel_locale", None)
        remembered = getattr(space, "sopu_catalog", None)
        if remembered is not None and remembered[0] is locale:  # the same locale object: not forced since
            return remembered[1]
        locale = get_locale()
        if locale is None:
            return get_translations()
        translations = found.get(locale)
        if translations is None:
            translations = found[locale] = get_translations()
        space = _babel_space()
        if space is not None:
            space.sopu_catalog = (locale, translations)
        return translations

    return catalog


@cache
def _wtforms_catalog(locale: Locale) -> support.NullTranslations:
    from wtforms.i18n import messages_path

    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class WtformsCatalog:
    """WTForms' own messages in the page's language. Flask-WTF reads WTForms' catalog from disk
    on every request that builds a form; this one reads it once a language a process (Flask-WTF
    takes it from request.wtforms_translations)."""

    def ugettext(self, string: str) -> str:
        locale = current_locale()
        return string if locale is None else _wtforms_catalog(locale).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        locale = current_locale()
        if locale is None:
            return singular if n == 1 else plural
        return _wtforms_catalog(locale).ungettext(singular, plural, n)


WTFORMS_CATALOG = WtformsCatalog()


def _per_request() -> None:
    refresh()  # Flask-Babel caches the locale on the app context, which a test's outer context outlives
    request.wtforms_translations = WTFORMS_CATALOG  # type: ignore[attr-defined]


def format_date(value: date | datetime, form: str = "medium") -> str:
    """A date in the page's language's own format (Finnish 2.12.2026, Swedish 2026-12-02,
    English 2 Dec 2026: never the US month-first order)."""
    return format_day(value, page_language(), form, get_timezone())


def format_datetime(value: datetime, form: str = "medium") -> str:
    """A date and time in the page's language's own format, in the portal's time zone."""
    return format_moment(value, page_language(), form, get_timezone())


def in_language(text: str | None, language: str | None, page: str | None = None) -> Markup:
    """Text marked with its language (WCAG 3.1.2) when that is not the page's (`page`, when the
    caller has it already: a list asks for hundreds of labels)."""
    if not text:
        return Markup("")
    if not language or language == (page or page_language()):
        return escape(text)
    return Markup('<span lang="{}">{}</span>').format(language, text)


def _party(organisation, page: str) -> tuple[str, str]:  # noqa: ANN001 (an Organisation, or anything with its names)
    return _party_names(organisation.name, getattr(organisation, "name_sv", None), page)


def _party_names(name: str, name_sv: str | None, page: str) -> tuple[str, str]:
    """The organisation's name to show on a page in `page` and its language (the official,
    Finnish name unless a Swedish one is registered for a Swedish page)."""
    return shown_name(page, {"fi": name, "sv": name_sv}, "fi")


def party_name(organisation) -> str:  # noqa: ANN001
    """An organisation's name in the reader's language: the Swedish one in the Swedish UI where
    one is registered, else the (Finnish) name. Plain text: for <title>, attributes and mail."""
    return _party(organisation, page_language())[0]


def party_label(organisation) -> Markup:  # noqa: ANN001
    """The name of party_name, marked lang="fi" where it is not in the page's language."""
    return _label_of(organisation.name, getattr(organisation, "name_sv", None), page_language())


def party_labels(organisations) -> Markup:  # noqa: ANN001 (Organisations, or anything with their names)
    """The labels of party_label joined with commas: a list names several parties a row."""
    page = page_language()
    return Markup(", ").join(_label_of(o.name, getattr(o, "name_sv", None), page) for o in organisations)


@lru_cache(maxsize=4096)
def _label_of(name: str, name_sv: str | None, page: str) -> Markup:
    """party_label of an organisation with these names on a page in `page`: a list names the
    same parties row after row, and the label depends on nothing else (Markup is immutable)."""
    return in_language(*_party_names(name, name_sv, page), page)


def _agreement(agreement, page: str) -> tuple[str, str]:  # noqa: ANN001 (an Agreement)
    own = agreement.language or "fi"
    variants = {"sv": getattr(agreement, "title_sv", None), own: agreement.title}  # own wins
    return shown_name(page, variants, own)


def agreement_name(agreement) -> str:  # noqa: ANN001
    """An agreement's title in the reader's language where it has one (Swedish), else its own."""
    return _agreement(agreement, page_language())[0]


def agreement_label(agreement) -> Markup:  # noqa: ANN001
    """The title of agreement_name, marked with its language where it is not the page's."""
    page = page_language()
    return in_language(*_agreement(agreement, page), page)


def _template_gettext(catalog: Callable[[], support.NullTranslations]) -> Callable[..., str]:
    """A template's `_()`: jinja2.ext.i18n's newstyle gettext (translated, marked safe under
    autoescape, then %-formatted with escaped variables), without its template context: that
    one asks for the context, and inside a loop Jinja copies the whole context for each call
    (a list's rows call `_()` several times each)."""

    @pass_eval_context
    def gettext(eval_context: EvalContext, string: str, **variables: object) -> str:
        translated = catalog().ugettext(string)
        if not eval_context.autoescape:
            return translated % variables
        # the catalog is ours, as in jinja2.ext.i18n (S704); numbers need no escaping, and
        # Markup's % wraps and escapes each variable apart (a list formats a few a row)
        if all(type(value) is int for value in variables.values()):
            return Markup(translated % variables)  # noqa: S704
        return Markup(translated) % variables  # noqa: S704

    return gettext


def _table_titles(catalog: Callable[[], support.NullTranslations]) -> Callable[..., Markup]:
    """A title of one of messages.py's tables (lazy_gettext or lazy_pgettext, no variables) in
    the page's language, from the page's catalog in one look-up: str() of Flask-Babel's lazy
    string walks its chain of context look-ups each time, and a list shows a title a row. Marked
    safe as the lazy string was (its __html__): the catalog is ours."""

    def title(table: Mapping[Any, LazyString], key: object) -> Markup:
        lazy = table[key]
        func, args = lazy._func, lazy._args
        if not lazy._kwargs and func is flask_babel.pgettext:
            return Markup(catalog().upgettext(*args))  # noqa: S704
        if not lazy._kwargs and func is flask_babel.gettext:
            return Markup(catalog().ugettext(*args))  # noqa: S704
        return Markup(str(lazy))  # noqa: S704

    return title


def init_app(app: Flask) -> None:
    app.add_template_filter(party_name, "party_name")
    app.add_template_filter(party_label, "party_label")
    # Flask-Babel's own filters format "en" as en_US (12/2/26, 2:05 PM): ours replace them
    app.add_template_filter(format_date, "dateformat")
    app.add_template_filter(format_datetime, "datetimeformat")

    app.before_request(_per_request)
    _catalog = _catalogs()
    # after Flask-Babel's own (babel.init_app); jinja2.ext.i18n adds the method at run time
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _catalog().ugettext(s),
        ngettext=lambda s, p, n: _catalog().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: _catalog().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals["_"] = _template_gettext(_catalog)
    title = _table_titles(_catalog)

    @app.context_processor
    def titles():
        return {
            "status_title": lambda s: title(STATUS_TITLES, s),
            "role_title": lambda r: title(ROLE_TITLES, r),
            "kind_title": lambda k: title(KIND_TITLES, k),
            "document_kind_title": lambda k: title(DOCUMENT_KIND_TITLES, k),
            "severity_title": lambda s: title(SEVERITY_TITLES, s),
            "check_status_title": lambda s: title(CHECK_STATUS_TITLES, s),
            "flag_message": flag_message,
            "party_name": party_name,
            "party_label": party_label,
            "party_labels": party_labels,
            "agreement_name": agreement_name,
            "agreement_label": agreement_label,
            "in_language": in_language,
            "job_status_title": lambda s: title(JOB_STATUS_TITLES, s),
            "decision_type_title": lambda t: title(DECISION_TYPE_TITLES, t),
            "languages": LANGUAGE_NAMES,
            "current_language": str(get_locale()),
        }
