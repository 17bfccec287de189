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
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select

from portal.agreements.domain import Status
from portal.appctx import document_context
from portal.audit.services import record
from portal.auth.domain import Scope, safe_next
from portal.auth.forms import LoginForm, RevokeForm, TokenForm
from portal.auth.models import ApiToken
from portal.auth.oidc import oidc_button_label, password_login_on
from portal.auth.services import (
    SignBinding,
    authenticate,
    create_token,
    load_user,
    renew_session_nonce,
)
from portal.auth.stepup import confirm, sign_confirmation, start_sign_in
from portal.auth.throttle import password_attempt
from portal.authority.services import sign_key_wrapper
from portal.documents.models import Document, DocumentParty
from portal.errors import PortalError
from portal.extensions import db, login_manager
from portal.i18n import LANGUAGES
from portal.messages import message
from portal.organisations.models import Organisation
from portal.permissions import Action, allowed, represented_parties
from portal.timeutil import utcnow

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = None


@login_manager.user_loader
def _load_user(user_id: str):
    return load_user(db.session(), user_id)


def _safe_next(target: str | None) -> str:
    return safe_next(target) or url_for("agreements.index")


def _render_login(form: LoginForm, status: int = 200, headers: dict | None = None):
    return (
        render_template(
            "auth/login.html", form=form, oidc_name=oidc_button_label(), password_login=password_login_on()
        ),
        status,
        headers or {},
    )


@bp.get("/login")
def login():
    return _render_login(LoginForm())


@bp.post("/login")
def login_post():
    form = LoginForm()
    if not password_login_on():
        raise PortalError("password_login_off", 403)
    if form.validate_on_submit():
        attempt = password_attempt(form.username.data)
        if not attempt.allowed:
            form.form_errors.append(message("rate_limited"))
            return _render_login(form, 429, attempt.headers)
        user = authenticate(db.session, form.username.data, form.password.data)
        if user is not None:
            attempt.succeeded()
            target = start_sign_in(user, request.args.get("next"), "password")
            db.session.commit()
            return redirect(target)
        form.form_errors.append(message("login_failed"))
    return _render_login(form, 422)


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


def _token_form(formdata: bool = True) -> TokenForm:
    form = TokenForm() if formdata else TokenForm(formdata=None)
    form.documents.choices = [(d.id, d.title) for d in signable_documents(current_user)]
    return form


def signable_documents(user) -> list[Document]:
    """Documents open for signature to which the person's party is a party."""
    return list(
        db.session.scalars(
            select(Document)
            .join(DocumentParty, DocumentParty.document_id == Document.id)
            .where(DocumentParty.organisation_id == user.organisation_id, Document.status == Status.signing)
            .order_by(Document.agreement_id, Document.id)
        )
    )


@bp.get("/tokens")
@login_required
def tokens():
    return _render_tokens(_token_form())


def _render_tokens(form, new_token: str | None = None, status: int = 200, headers=None):
    rows = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id)
    ).all()
    return (
        render_template(
            "auth/tokens.html",
            form=form,
            tokens=rows,
            new_token=new_token,
            revoke_form=RevokeForm(),
            second_factor=sign_confirmation(current_user),
        ),
        status,
        headers or {},
    )


@bp.post("/tokens")
@login_required
def tokens_post():
    form = _token_form()
    if not form.validate_on_submit():
        return _render_tokens(form, status=422)
    scopes = {Scope.read} | ({Scope.write} if form.write.data else set())
    wrap = binding = None
    if form.sign.data:
        if not allowed(current_user, Action.create_sign_token):
            raise PortalError("sign_not_a_representative", 403)
        binding = _binding(form)
        if binding is None:
            return _render_tokens(form, status=422)
        gate = confirm(current_user, form.password, form.code, "wrong_password_token", form.passkey)
        if not gate.ok:
            db.session.commit()
            return _render_tokens(form, status=gate.status, headers=gate.headers)
        scopes.add(Scope.sign)
        ctx = document_context()
        # the certificate names the party the person represents in the token's agreement
        party_id = min(represented_parties(current_user, binding.agreement_id), default=None)
        party = db.session.get(Organisation, party_id) if party_id is not None else None
        wrap = sign_key_wrapper(
            db.session(),
            ctx.key_encryption_key,
            current_user,
            gate.password,
            utcnow(),
            ctx.pki_pointers,
            party,
        )
    row, token = create_token(db.session, current_user, form.name.data, scopes, wrap, binding)
    record(
        db.session,
        "token_created",
        actor_id=current_user.id,
        token_id=row.id,
        scopes=row.scopes,
        documents=row.sign_document_ids,
    )
    db.session.commit()
    return _render_tokens(_token_form(formdata=False), new_token=token)


def _binding(form: TokenForm) -> SignBinding | None:
    """The chosen documents, all of one agreement: a sign-scoped token is made for them only."""
    chosen = [d for d in signable_documents(current_user) if d.id in set(form.documents.data or [])]
    if not chosen or len({d.agreement_id for d in chosen}) != 1:
        form.documents.errors = [*form.documents.errors, message("token_documents_needed")]
        return None
    return SignBinding.for_documents(chosen[0].agreement_id, {d.id for d in chosen}, utcnow())


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
