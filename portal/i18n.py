from flask import Flask, request, session
from flask_babel import refresh
from flask_login import current_user

from portal.languages import LANGUAGES
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


def party_name(organisation) -> str:  # noqa: ANN001 (an Organisation, or anything with its names)
    """An organisation's name in the reader's language: the Swedish one in the Swedish UI where
    one is registered, else the (Finnish) name."""
    from flask_babel import get_locale

    from portal.organisations.domain import name_in

    return name_in(str(get_locale()), organisation.name, getattr(organisation, "name_sv", None))


def init_app(app: Flask) -> None:
    app.add_template_filter(party_name, "party_name")

    # Flask-Babel caches the locale on the app context, which a test's outer context outlives
    app.before_request(refresh)

    @app.context_processor
    def titles():
        from flask_babel import get_locale

        return {
            "status_title": lambda s: STATUS_TITLES[s],
            "role_title": lambda r: ROLE_TITLES[r],
            "kind_title": lambda k: KIND_TITLES[k],
            "document_kind_title": lambda k: DOCUMENT_KIND_TITLES[k],
            "severity_title": lambda s: SEVERITY_TITLES[s],
            "check_status_title": lambda s: CHECK_STATUS_TITLES[s],
            "flag_message": flag_message,
            "party_name": party_name,
            "job_status_title": lambda s: JOB_STATUS_TITLES[s],
            "decision_type_title": lambda t: DECISION_TYPE_TITLES[t],
            "languages": LANGUAGE_NAMES,
            "current_language": str(get_locale()),
        }
