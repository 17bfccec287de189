"""Turn refusals and HTTP errors into a translated message: JSON under /api, HTML elsewhere
(a fragment for htmx, retargeted to the page's message region)."""

import logging

from flask import Flask, jsonify, make_response, render_template
from flask_wtf.csrf import CSRFError
from htmx_flask import request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from portal.errors import PortalError, RecordedRefusal
from portal.extensions import db
from portal.messages import message

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "bad_request",
    413: "too_large",
    429: "rate_limited",
}


def error_response(code: str, status: int, **params):
    text = message(code, **params)
    if request.path.startswith("/api/"):
        return jsonify(error=code, message=text), status
    if request.htmx:
        retarget = {"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"}
        return render_template("_message.html", message=text, level="error"), status, retarget
    return render_template("error.html", message=text, status=status), status


def init_app(app: Flask) -> None:
    @app.errorhandler(PortalError)
    def portal_error(error: PortalError):
        if isinstance(error, RecordedRefusal):
            db.session.commit()  # keep the audit event of the refusal
        else:
            db.session.rollback()
        return error_response(error.code, error.status, **error.params)

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return error_response("csrf", 400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = make_response(
            error_response(HTTP_CODES.get(error.code or 400, "bad_request"), error.code or 400)
        )
        if isinstance(error, MethodNotAllowed) and error.valid_methods:  # RFC 9110: say which
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response("server_error", 500)
