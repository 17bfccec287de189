"""The second factor's pages: the sign-in's second step, the security page (enrolment of an
authenticator app, recovery codes and passkeys) and the passkey ceremonies' JSON endpoints."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.audit.services import record
from portal.auth import mfa, stepup
from portal.auth.domain import MfaMode, safe_next
from portal.auth.forms import CodeForm, PasskeyForm, RevokeForm
from portal.auth.models import User
from portal.auth.throttle import password_attempt
from portal.extensions import db
from portal.messages import message
from portal.timeutil import utcnow

bp = Blueprint("mfa", __name__)

#: what a person who must still enrol a factor may reach (PORTAL_MFA=required)
_ENROLMENT_OPEN = {"static", "auth.logout", "auth.language", "auth.login", "auth.login_post"}
_TOTP_SECRET = "mfa_totp_secret"  # noqa: S105 (a session key)
_CHALLENGE = stepup.CHALLENGE


@bp.before_app_request
def _require_enrolment() -> ResponseReturnValue | None:
    """Administrators and representatives enrol a second factor before anything else."""
    endpoint = request.endpoint or ""
    if (
        not current_user.is_authenticated
        or request.blueprint in ("mfa", "api", "pki")
        or endpoint in _ENROLMENT_OPEN
        or not stepup.enrolment_due(current_user)
    ):
        return None
    if request.method == "GET" and not request.headers.get("HX-Request"):
        return redirect(url_for("mfa.security"))
    abort(403)  # a form or an htmx region (the notification badge): not the security page in it


def _kek() -> str:
    from flask import current_app

    return current_app.config["PORTAL_KEY_ENCRYPTION_KEY"]


# -- the second step of signing in -----------------------------------------------------------


def _pending_or_login() -> User:
    user = stepup.pending_user(utcnow())
    if user is None:
        abort(redirect(url_for("auth.login")))
    return user


def _second_factor_page(
    form: CodeForm, user: User, status: int = 200, headers: dict | None = None
) -> ResponseReturnValue:
    return (
        render_template("auth/second_factor.html", form=form, factors=mfa.factors(db.session(), user)),
        status,
        headers or {},
    )


@bp.get("/login/second-factor")
def second_factor() -> ResponseReturnValue:
    return _second_factor_page(CodeForm(), _pending_or_login())


@bp.post("/login/second-factor")
def second_factor_post() -> ResponseReturnValue:
    user = _pending_or_login()
    form = CodeForm()
    if not form.validate_on_submit():
        return _second_factor_page(form, user, 422)
    attempt = password_attempt(user.username)
    if not attempt.allowed:
        form.code.errors = [*form.code.errors, message("rate_limited")]
        return _second_factor_page(form, user, 429, attempt.headers)
    if not mfa.verify_code(db.session(), _kek(), user, form.code.data or "", utcnow()):
        form.code.errors = [*form.code.errors, message("wrong_code")]
        return _second_factor_page(form, user, 422)
    attempt.succeeded()
    return _finish_sign_in(user)


def _finish_sign_in(user: User) -> ResponseReturnValue:
    next_url, method = stepup.pending_next(), session.get("mfa_method", "password")
    stepup.complete_sign_in(user, method, verified=True)
    db.session.commit()
    return redirect(safe_next(next_url) or url_for("agreements.index"))


# -- passkey assertion: the sign-in's second step, or a step-up when signed in ------------------


def _asserting_user() -> User | None:
    return current_user if current_user.is_authenticated else stepup.pending_user(utcnow())


@bp.post("/second-factor/passkey/options")
def passkey_options() -> ResponseReturnValue:
    user = _asserting_user()
    if user is None:
        return jsonify(error="unauthorized", message=message("unauthorized")), 401
    options, session[_CHALLENGE] = mfa.authentication_options(db.session(), user, stepup.relying_party())
    return options, 200, {"Content-Type": "application/json"}


@bp.post("/second-factor/passkey")
def passkey_assertion() -> ResponseReturnValue:
    user, challenge = _asserting_user(), session.pop(_CHALLENGE, None)
    if user is None or challenge is None:
        return jsonify(error="unauthorized", message=message("unauthorized")), 401
    attempt = password_attempt(user.username)
    if not attempt.allowed:
        return jsonify(error="rate_limited", message=message("rate_limited")), 429, attempt.headers
    credential = request.get_json(silent=True) or {}
    if not mfa.verify_passkey(db.session(), user, stepup.relying_party(), credential, challenge, utcnow()):
        db.session.commit()  # the failure counted; nothing else changed
        return jsonify(error="wrong_passkey", message=message("wrong_passkey")), 422
    attempt.succeeded()
    if current_user.is_authenticated:
        stepup.note_verified(utcnow())
        db.session.commit()
        return jsonify(ok=True)
    next_url, method = stepup.pending_next(), session.get("mfa_method", "password")
    stepup.complete_sign_in(user, method, verified=True)
    db.session.commit()
    return jsonify(ok=True, redirect=safe_next(next_url) or url_for("agreements.index"))


# -- the security page -----------------------------------------------------------------------


def _security_page(status: int = 200, **extra) -> ResponseReturnValue:
    if stepup.mode() is MfaMode.off:
        abort(404)
    return render_template(
        "auth/security.html",
        factors=mfa.factors(db.session(), current_user),
        fresh=stepup.verified_recently(utcnow()),
        required=stepup.enrolment_due(current_user),
        totp_secret=session.get(_TOTP_SECRET),
        code_form=extra.pop("code_form", CodeForm()),
        confirm_form=extra.pop("confirm_form", CodeForm()),
        passkey_form=PasskeyForm(),
        revoke_form=RevokeForm(),
        **extra,
    ), status


@bp.get("/security")
@login_required
def security() -> ResponseReturnValue:
    return _security_page()


@bp.post("/security/totp")
@login_required
def totp_begin() -> ResponseReturnValue:
    session[_TOTP_SECRET] = mfa.new_totp_secret()
    return redirect(url_for("mfa.security") + "#totp")


@bp.post("/security/totp/confirm")
@login_required
def totp_confirm() -> ResponseReturnValue:
    form, secret = CodeForm(), session.get(_TOTP_SECRET)
    if secret is None:
        return redirect(url_for("mfa.security"))
    codes = form.validate_on_submit() and mfa.confirm_totp(
        db.session(), _kek(), current_user, secret, form.code.data or "", utcnow()
    )
    if not codes:
        form.code.errors = [*form.code.errors, message("wrong_code")]
        return _security_page(422, code_form=form)
    session.pop(_TOTP_SECRET)
    stepup.note_verified(utcnow())
    record(db.session(), "second_factor_enrolled", actor_id=current_user.id, factor="totp")
    db.session.commit()
    return _security_page(recovery_codes=codes)


def _require_fresh() -> None:
    """Changing a factor asks for one first (the confirm form on the security page)."""
    if mfa.has_factor(db.session(), current_user) and not stepup.verified_recently(utcnow()):
        flash(message("second_factor_needed"), "error")
        abort(redirect(url_for("mfa.security")))


@bp.post("/security/confirm")
@login_required
def confirm() -> ResponseReturnValue:
    form = CodeForm()
    gate = (
        stepup.confirm(current_user, form.code, form.code, "wrong_code")
        if form.validate_on_submit()
        else stepup.Gate()
    )
    if gate.ok:
        db.session.commit()
        return redirect(url_for("mfa.security"))
    db.session.commit()
    return _security_page(gate.status, confirm_form=form)


@bp.post("/security/totp/remove")
@login_required
def totp_remove() -> ResponseReturnValue:
    if RevokeForm().validate_on_submit():
        _require_fresh()
        mfa.remove_totp(db.session(), current_user)
        record(db.session(), "second_factor_removed", actor_id=current_user.id, factor="totp")
        db.session.commit()
        flash(_("The authenticator app was removed."), "success")
    return redirect(url_for("mfa.security"))


@bp.post("/security/recovery-codes")
@login_required
def recovery_codes() -> ResponseReturnValue:
    if not RevokeForm().validate_on_submit() or not mfa.factors(db.session(), current_user).totp:
        return redirect(url_for("mfa.security"))
    _require_fresh()
    codes = mfa.new_recovery_codes(db.session(), _kek(), current_user)
    record(db.session(), "recovery_codes_renewed", actor_id=current_user.id)
    db.session.commit()
    return _security_page(recovery_codes=codes)


@bp.post("/security/passkeys/options")
@login_required
def passkey_registration_options() -> ResponseReturnValue:
    options, session[_CHALLENGE] = mfa.registration_options(
        db.session(), current_user, stepup.relying_party()
    )
    return options, 200, {"Content-Type": "application/json"}


@bp.post("/security/passkeys")
@login_required
def passkey_register() -> ResponseReturnValue:
    body, challenge = request.get_json(silent=True) or {}, session.pop(_CHALLENGE, None)
    if mfa.has_factor(db.session(), current_user) and not stepup.verified_recently(utcnow()):
        return jsonify(error="second_factor_needed", message=message("second_factor_needed")), 403
    name = str(body.get("name") or "")[:100].strip() or _("Passkey")
    row = challenge and mfa.register_passkey(
        db.session(),
        current_user,
        stepup.relying_party(),
        body.get("credential") or {},
        challenge,
        name,
        utcnow(),
    )
    if not row:
        return jsonify(error="passkey_not_verified", message=message("passkey_not_verified")), 422
    stepup.note_verified(utcnow())
    record(db.session(), "second_factor_enrolled", actor_id=current_user.id, factor="passkey")
    db.session.commit()
    return jsonify(ok=True, id=row.id)


@bp.post("/security/passkeys/<int:passkey_id>/remove")
@login_required
def passkey_remove(passkey_id: int) -> ResponseReturnValue:
    if RevokeForm().validate_on_submit():
        _require_fresh()
        if not mfa.remove_passkey(db.session(), current_user, passkey_id):
            abort(404)
        record(db.session(), "second_factor_removed", actor_id=current_user.id, factor="passkey")
        db.session.commit()
        flash(_("The passkey was removed."), "success")
    return redirect(url_for("mfa.security"))
