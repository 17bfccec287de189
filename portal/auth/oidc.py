"""Single sign-on with OpenID Connect: the authorization code flow with PKCE (S256), through
Authlib's Flask client, configured by PORTAL_OIDC_ISSUER, _CLIENT_ID and _CLIENT_SECRET (the
provider's endpoints and keys come from its discovery document). A person is matched by a
verified e-mail address to an active user; SSO never creates an account (people come from
invitations).

For the invitation flow: `start_sso(next_url, invitation=KEY)` sends the person to the provider
from the invitation's page; on their return, the function registered with
`on_invitation(app, accept)` is called as `accept(session, KEY, identity)` with the verified
identity, and returns the User to sign in (or None: refused)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from portal.auth.forms import LoginForm
from portal.auth.models import User
from portal.auth.stepup import start_sign_in
from portal.extensions import db
from portal.messages import message

bp = Blueprint("oidc", __name__)

_NEXT = "oidc_next"
_INVITATION = "oidc_invitation"
_CLIENT = "sopu"


@dataclass(frozen=True)
class Identity:
    """What the provider vouched for, from the ID token's claims."""

    issuer: str
    subject: str
    email: str
    email_verified: bool
    name: str


InvitationAcceptor = Callable[[Session, str, Identity], User | None]


def password_login_on() -> bool:
    return bool(current_app.config.get("PORTAL_PASSWORD_LOGIN", True))


def configured() -> bool:
    config = current_app.config
    return bool(config.get("PORTAL_OIDC_ISSUER") and config.get("PORTAL_OIDC_CLIENT_ID"))


def oidc_button_label() -> str | None:
    """The name the sign-in button gives the identity service, or None without SSO."""
    if not configured():
        return None
    return current_app.config.get("PORTAL_OIDC_NAME") or "OpenID Connect"


def init_app(app: Flask) -> None:
    app.extensions["sopu_oidc"] = OAuth(app)
    app.extensions.setdefault("sopu_oidc_invitation", None)


def on_invitation(app: Flask, accept: InvitationAcceptor) -> None:
    """Register what accepts an invitation with SSO (see the module's docstring)."""
    app.extensions["sopu_oidc_invitation"] = accept


def _client() -> Any:
    """Authlib's client for the configured provider, registered again when the settings change
    (tests start their provider after the app)."""
    config = current_app.config
    oauth: OAuth = current_app.extensions["sopu_oidc"]
    settings = (
        config["PORTAL_OIDC_ISSUER"].rstrip("/"),
        config["PORTAL_OIDC_CLIENT_ID"],
        config["PORTAL_OIDC_CLIENT_SECRET"],
    )
    if current_app.extensions.get("sopu_oidc_settings") != settings:
        oauth._clients.pop(_CLIENT, None)  # Authlib keeps the client it created: renew it
        oauth.register(
            _CLIENT,
            overwrite=True,
            client_id=settings[1],
            client_secret=settings[2],
            server_metadata_url=f"{settings[0]}/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
        )
        current_app.extensions["sopu_oidc_settings"] = settings
    return oauth.create_client(_CLIENT)


def start_sso(next_url: str | None, invitation: str | None = None) -> Response:
    """Send the browser to the provider (authorization request with state, nonce and PKCE)."""
    session[_NEXT] = next_url
    if invitation is not None:
        session[_INVITATION] = invitation
    else:
        session.pop(_INVITATION, None)
    return _client().authorize_redirect(url_for("oidc.callback", _external=True))


def match_user(session_: Session, identity: Identity) -> User | None:
    """The one active user with this e-mail address (case-insensitive), when it is verified."""
    if not identity.email_verified or not identity.email:
        return None
    users = session_.scalars(
        select(User).where(func.lower(User.email) == identity.email.strip().lower(), User.active.is_(True))
    ).all()
    return users[0] if len(users) == 1 else None


def _identity(token: dict) -> Identity:
    claims = token.get("userinfo") or {}
    return Identity(
        issuer=str(claims.get("iss", "")),
        subject=str(claims.get("sub", "")),
        email=str(claims.get("email") or ""),
        email_verified=claims.get("email_verified") is True,
        name=str(claims.get("name") or ""),
    )


def _refused(code: str, status: int = 403) -> ResponseReturnValue:
    return render_template(
        "auth/login.html",
        form=LoginForm(formdata=None),
        oidc_name=oidc_button_label(),
        password_login=password_login_on(),
        sso_error=message(code),
    ), status


@bp.get("/login/oidc")
def start() -> ResponseReturnValue:
    """A link, not a form: the Content-Security-Policy's form-action 'self' would stop a form's
    redirect to the provider. Starting the flow changes nothing but this session's state."""
    if not configured():
        return _refused("sso_not_configured", 404)
    return start_sso(request.args.get("next"))


@bp.get("/login/oidc/callback")
def callback() -> ResponseReturnValue:
    if not configured():
        return _refused("sso_not_configured", 404)
    try:
        token = _client().authorize_access_token()
    except (OAuthError, KeyError, ValueError):
        return _refused("sso_failed")
    identity = _identity(token)
    invitation, next_url = session.pop(_INVITATION, None), session.pop(_NEXT, None)
    if not identity.email_verified:
        return _refused("sso_email_unverified")
    accept = current_app.extensions.get("sopu_oidc_invitation")
    if invitation is not None and accept is not None:
        user = accept(db.session, invitation, identity)
    else:
        user = match_user(db.session(), identity)
    if user is None:
        return _refused("sso_unknown_email")
    target = start_sign_in(user, next_url, "oidc")
    db.session.commit()
    return redirect(target)
