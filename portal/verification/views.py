"""/verify: no sign-in; the upload is rate-limited per address (PORTAL_VERIFY_RATE_LIMIT)."""

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from portal.appctx import document_context
from portal.errors import PortalError
from portal.extensions import db, limiter
from portal.messages import message
from portal.verification import services
from portal.verification.forms import VerifyForm
from signing.cli import report_dict

bp = Blueprint("verification", __name__, url_prefix="/verify")

#: signing.Problem codes, as the page says them
PROBLEM_TEXTS = {
    "unreadable": _l("The file or its signatures cannot be read."),
    "invalid_signature": _l("A signature is not valid, or its signer is not trusted."),
    "not_certified": _l("The document is not certified by the portal."),
    "wrong_signer": _l("A field is signed by someone other than its party."),
    "unexpected_signature": _l("There is a signature that belongs to no party."),
    "unexpected_field": _l("A signature field was added after the document was certified."),
    "unsigned_field": _l("A party has not signed yet."),
    "not_covering_whole_file": _l("Something was added to the file after the last signature."),
    "modified_after_signing": _l("The document was changed after it was signed."),
}


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _rate() -> str:
    return str(current_app.config["PORTAL_VERIFY_RATE_LIMIT"])


@bp.get("")
def form() -> str:
    return render_template("verification/verify.html", form=VerifyForm(), verdict=None)


@bp.post("")
@limiter.limit(_rate)
def check() -> Response | tuple[str, int] | str:
    form = VerifyForm()
    if not form.validate_on_submit():
        if _wants_json():
            return _json_error("pdf_empty")
        return render_template("verification/verify.html", form=form, verdict=None), 422
    try:
        verdict = services.verify_upload(db.session(), form.file.data.read(), document_context().limits)
    except PortalError as refused:
        if _wants_json():
            return _json_error(refused.code)
        form.file.errors = [message(refused.code)]
        return render_template("verification/verify.html", form=form, verdict=None), 422
    if _wants_json():
        return jsonify({**report_dict(verdict.report), "held_by_portal": verdict.held_by_portal})
    return render_template(
        "verification/verify.html",
        form=VerifyForm(formdata=None),
        verdict=verdict,
        problem_texts=PROBLEM_TEXTS,
    )


def _json_error(code: str) -> Response:
    response = jsonify({"error": code, "message": message(code)})
    response.status_code = 422
    return response
