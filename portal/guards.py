"""Checks every request passes before a view sees it: ids the databases can hold, text without
the characters they refuse, and state-changing browser requests from the portal's own origin.
Refusals are PortalErrors, so a translated message in HTML or JSON, and nothing changes."""

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from portal import safety
from portal.errors import PortalError

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class IdConverter(IntegerConverter):
    """<int:…> bounded to the largest id the database holds (safety.MAX_ID): a larger id is a
    404, never a database error (PostgreSQL: integer out of range; SQLite beyond 64 bits:
    Python int too large to convert)."""

    def __init__(self, map, fixed_digits=0, min=None, max=safety.MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
        if not fixed_digits and not signed:  # a larger id matches no rule: 404, not a 405
            self.regex = safety.at_most(max)


def _own_origins(app: Flask) -> list[str]:
    return [request.host_url, app.config.get("PORTAL_BASE_URL") or ""]


def check_origin(app: Flask) -> None:
    """CSRF in depth: the token proves the form came from the portal; the Origin (or Referer)
    proves the browser sent it from the portal's pages. The bearer-token API is not a browser's."""
    if request.method not in STATE_CHANGING or request.path.startswith("/api/"):
        return
    if safety.foreign_origin(
        request.headers.get("Origin"), request.headers.get("Referer"), _own_origins(app)
    ):
        raise PortalError("csrf", 400)


def check_text() -> None:
    """NUL and other control characters (and lone surrogates) are refused wherever text comes
    in: the path and the query arguments here, the body in check_body."""
    if safety.bad_character(request.path):
        raise PortalError("not_found", 404)
    _check_fields(request.args)


def check_body() -> None:
    """Form fields, file names and JSON strings. Called before a web view (Flask-WTF's CSRF
    check has parsed the form by then anyway) and by api_auth once the token is known, so an
    anonymous client makes the API parse nothing."""
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        return  # the view answers 413 where it reads the body, after its own checks
    _check_fields(form)
    for key, upload in files.items(multi=True):
        if safety.bad_character(key or "") or safety.bad_character(upload.filename or ""):
            raise PortalError("invalid_characters", 422, field=_shown(key))
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # nested deeper than the parser goes: not a body we take
            raise PortalError("bad_request", 400) from None
        bad = safety.first_bad_string(body)
        if bad is not None:
            raise PortalError("invalid_characters", 422, field=_shown(bad))


def _check_fields(fields) -> None:
    for key, values in fields.lists():
        if safety.bad_character(key or "") or any(safety.bad_character(v) for v in values):
            raise PortalError("invalid_characters", 422, field=_shown(key))


def _shown(name: str) -> str:
    """A field's name as the message may show it (it may itself hold the bad character)."""
    return "".join(c for c in name or "" if not safety.bad_character(c))[:60] or "?"


def init_app(app: Flask) -> None:
    """Call before the blueprints are registered (their rules take the converter)."""
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def guard():
        check_origin(app)
        check_text()
        if not request.path.startswith("/api/"):
            check_body()
