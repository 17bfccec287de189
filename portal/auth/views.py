from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from portal.appctx import document_context
from portal.audit.services import record
from portal.auth.domain import Role, Scope, safe_next
from portal.auth.forms import LoginForm, RevokeForm, TokenForm
from portal.auth.models import ApiToken
from portal.auth.services import (
    authenticate,
    check_password,
    create_token,
    load_user,
    renew_session_nonce,
)
from portal.auth.throttle import password_attempt
from portal.authority.services import sign_key_wrapper
from portal.errors import PortalError
from portal.extensions import db, login_manager
from portal.i18n import LANGUAGES
from portal.messages import message
from portal.timeutil import utcnow

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = None


@login_manager.user_loader
def _load_user(user_id: str):
    return load_user(db.session(), user_id)


def _safe_next(target: str | None) -> str:
    return safe_next(target) or url_for("agreements.index")


@bp.get("/login")
def login():
    return render_template("auth/login.html", form=LoginForm())


@bp.post("/login")
def login_post():
    form = LoginForm()
    if form.validate_on_submit():
        attempt = password_attempt(form.username.data)
        if not attempt.allowed:
            form.form_errors.append(message("rate_limited"))
            return render_template("auth/login.html", form=form), 429, attempt.headers
        user = authenticate(db.session, form.username.data, form.password.data)
        if user is not None:
            attempt.succeeded()
            lang = session.get("lang")
            session.clear()  # a fresh session at sign-in: nothing carries over but the language
            if lang:
                session["lang"] = lang
            renew_session_nonce(user)
            login_user(user)
            record(db.session, "sign_in", actor_id=user.id)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        form.form_errors.append(message("login_failed"))
    return render_template("auth/login.html", form=form), 422


@bp.post("/logout")
@login_required
def logout():
    renew_session_nonce(current_user)
    record(db.session, "sign_out", actor_id=current_user.id)
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language():
    lang = request.form.get("lang")
    if lang not in LANGUAGES:
        abort(400)
    session["lang"] = lang
    return redirect(_safe_next(request.form.get("next")))


@bp.get("/tokens")
@login_required
def tokens():
    return _render_tokens(TokenForm())


def _render_tokens(form, new_token: str | None = None, status: int = 200):
    rows = db.session.scalars(select(ApiToken).where(ApiToken.user_id == current_user.id)
                              .order_by(ApiToken.id)).all()
    return render_template("auth/tokens.html", form=form, tokens=rows, new_token=new_token,
                           revoke_form=RevokeForm()), status


@bp.post("/tokens")
@login_required
def tokens_post():
    form = TokenForm()
    if not form.validate_on_submit():
        return _render_tokens(form, status=422)
    scopes = {Scope.read} | ({Scope.write} if form.write.data else set())
    wrap = None
    if form.sign.data:
        if current_user.role is not Role.representative:
            raise PortalError("sign_not_a_representative", 403)
        attempt = password_attempt(current_user.username)
        if not attempt.allowed:
            form.password.errors.append(message("rate_limited"))
            return *_render_tokens(form, status=429), attempt.headers
        if not check_password(current_user, form.password.data or ""):
            form.password.errors.append(message("wrong_password_token"))
            return _render_tokens(form, status=422)
        attempt.succeeded()
        scopes.add(Scope.sign)
        ctx = document_context()
        wrap = sign_key_wrapper(db.session, ctx.key_encryption_key, current_user,
                                form.password.data, ctx.pki_pointers)
    row, token = create_token(db.session, current_user, form.name.data, scopes, wrap)
    record(db.session, "token_created", actor_id=current_user.id, token_id=row.id,
           scopes=row.scopes)
    db.session.commit()
    return _render_tokens(TokenForm(formdata=None), new_token=token)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def token_revoke(token_id: int):
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    if RevokeForm().validate_on_submit() and row.revoked_at is None:
        row.revoked_at = utcnow()
        record(db.session(), "token_revoked", actor_id=current_user.id, token_id=row.id)
        db.session.commit()
        flash(_("The token was revoked."), "success")
    return redirect(url_for("auth.tokens"))
