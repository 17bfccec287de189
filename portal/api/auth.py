"""Bearer-token authentication for the API: personal access tokens only, never the session."""

from functools import wraps

from cryptography.exceptions import InvalidTag
from flask import current_app, g, request
from sqlalchemy import select

from portal.auth.domain import Scope, token_covers, token_expired
from portal.auth.models import ApiToken
from portal.auth.services import note_token_use, token_digest
from portal.authority.services import unwrap_for_token
from portal.documents.models import Document
from portal.errors import PortalError
from portal.extensions import db
from portal.guards import check_body
from portal.permissions import Action, allowed
from portal.timeutil import utcnow


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def api_auth(scope: Scope):
    """Require a valid, unrevoked token of an active user with `scope` (401 / 403 scope_missing);
    sets g.api_user, g.api_token and g.raw_token. The session cookie is never looked at.

    The ApiToken row itself is read, not only its user: signing needs the row's wrapped key."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            raw = _bearer_token()
            if raw:  # first, before this request's session takes a connection of its own
                note_token_use(db.engine, token_digest(raw), utcnow())
            row = raw and db.session.scalar(
                select(ApiToken).where(ApiToken.token_sha256 == token_digest(raw))
            )
            if not row or row.revoked_at is not None or not row.user.is_active:
                raise PortalError("unauthorized", 401)
            if token_expired(row.expires_at, utcnow()):
                raise PortalError("token_expired", 401)
            if scope not in row.scope_set:
                raise PortalError("scope_missing", 403)
            g.api_user, g.api_token, g.raw_token = row.user, row, raw
            check_body()
            return view(*args, **kwargs)

        return wrapper

    return decorator


def sign_passphrase(document: Document) -> bytes:
    """What unlocks the representative's signing key, unwrapped from the sign-scoped token, when
    the token was made for this document (else 403 token_not_for_document)."""
    if not allowed(g.api_user, Action.create_sign_token) or not g.api_token.sign_key_wrapped:
        raise PortalError("sign_not_a_representative", 403)
    token = g.api_token
    if not token_covers(token.sign_agreement_id, token.sign_document_set, document.agreement_id, document.id):
        raise PortalError("token_not_for_document", 403)
    try:
        return unwrap_for_token(
            current_app.config["PORTAL_KEY_ENCRYPTION_KEY"], g.raw_token, g.api_token.sign_key_wrapped
        )
    except InvalidTag:  # the server's key changed since the token was made: a new token is needed
        raise PortalError("unauthorized", 401) from None
