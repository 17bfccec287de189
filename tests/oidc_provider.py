"""A real OpenID provider for the tests, on loopback in a thread: Authlib's own server side
(authlib.integrations.flask_oauth2.AuthorizationServer with the authorization code grant, PKCE
and authlib.oidc.core.grants.OpenIDCode), serving discovery, JWKS, authorize and token over HTTP.

Authlib's, because the portal's client is Authlib too (one library, no second dependency tree
as idpyoidc or pyop would bring) and its server needs no storage of its own: the provider keeps
its codes in memory. It has no login page: it vouches for whoever the test says is at the
browser (`provider.person`), as an identity service whose user is already signed in would."""

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify
from joserfc.jwk import RSAKey

from tests.server import serve

CLIENT_ID = "sopu-test"
CLIENT_SECRET = secrets.token_urlsafe(24)


@dataclass
class Person:
    sub: str
    email: str
    email_verified: bool = True
    name: str = "Testi Henkilö"


@dataclass
class Client(ClientMixin):
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in (scope or "").split() if s in ("openid", "email", "profile"))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri.startswith(("http://127.0.0.1:", "http://localhost/")) and redirect_uri.endswith(
            "/login/oidc/callback"
        )

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    person: Person
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


@dataclass
class Provider:
    base_url: str = ""
    person: Person | None = None
    codes: dict[str, Code] = field(default_factory=dict)
    #: what the token endpoint saw: PKCE verifiers, to show the flow used PKCE
    verifiers: list[str] = field(default_factory=list)
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "test-key"}))


def _app(provider: Provider) -> Flask:
    app = Flask("oidc-provider")
    client = Client()

    class CodeGrant(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        def save_authorization_code(self, code: str, request) -> None:
            data = request.payload.data
            provider.codes[code] = Code(
                code=code,
                client_id=client.client_id,
                redirect_uri=request.payload.redirect_uri,
                scope=request.scope,
                person=request.user,
                nonce=data.get("nonce"),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
            )

        def query_authorization_code(self, code: str, client_: Client) -> Code | None:
            found = provider.codes.get(code)
            return found if found and found.client_id == client_.client_id else None

        def delete_authorization_code(self, authorization_code: Code) -> None:
            provider.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code: Code) -> Person:
            provider.verifiers.append(self.request.payload.data.get("code_verifier") or "")
            return authorization_code.person

    class IdToken(OpenIDCode):
        def resolve_client_private_key(self, client_: Client) -> RSAKey:
            return provider.key

        def get_client_algorithm(self, client_: Client) -> str:
            return "RS256"

        def get_encode_header(self, client_: Client) -> dict:
            return {"alg": "RS256", "kid": "test-key"}

        def get_client_claims(self, client_: Client) -> dict:
            return {"iss": provider.base_url, "aud": [client_.client_id]}

        def exists_nonce(self, nonce: str, request) -> bool:
            return any(c.nonce == nonce for c in provider.codes.values())

        def generate_user_info(self, user: Person, scope: str) -> UserInfo:
            return UserInfo(
                sub=user.sub, name=user.name, email=user.email, email_verified=user.email_verified
            )

    server = AuthorizationServer(
        app,
        query_client=lambda cid: client if cid == CLIENT_ID else None,
        save_token=lambda token, request: None,
    )
    server.register_grant(CodeGrant, [CodeChallenge(required=True), IdToken(require_nonce=True)])

    @app.get("/.well-known/openid-configuration")
    def discovery():
        return jsonify(
            {
                "issuer": provider.base_url,
                "authorization_endpoint": f"{provider.base_url}/authorize",
                "token_endpoint": f"{provider.base_url}/token",
                "jwks_uri": f"{provider.base_url}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            }
        )

    @app.get("/jwks")
    def jwks():
        return jsonify({"keys": [provider.key.as_dict(private=False)]})

    @app.get("/authorize")
    def authorize():
        grant = server.get_consent_grant(end_user=provider.person)
        return server.create_authorization_response(grant=grant, grant_user=provider.person)

    @app.post("/token")
    def token():
        return server.create_token_response()

    return app


@contextmanager
def running_provider() -> Iterator[Provider]:
    provider = Provider()
    with serve(_app(provider)) as base_url:
        provider.base_url = base_url
        yield provider
