from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.domain import Role, Scope
from portal.dbtypes import EnumString
from portal.extensions import Model
from portal.organisations.models import Organisation
from portal.timeutil import utcnow


class User(UserMixin, Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[Role] = mapped_column(EnumString(Role, 30))
    #: preferred language of the interface and of mail: fi, sv or en
    locale: Mapped[str] = mapped_column(String(5), default="fi")
    active: Mapped[bool] = mapped_column(default=True)
    #: changes at every sign-in and password change, so old session cookies stop working
    session_nonce: Mapped[str] = mapped_column(String(64), default="")

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def is_active(self) -> bool:
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class ApiToken(Model):
    """A personal access token; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    #: space-separated Scope values
    scopes: Mapped[str] = mapped_column(String(100))
    #: with the `sign` scope: the signer's passphrase, encrypted with a key derived from the token
    sign_key_wrapped: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def scope_set(self) -> set[Scope]:
        return {Scope(s) for s in self.scopes.split()}


class SigningCredential(Model):
    """A representative's certificate from the portal CA and its encrypted private key."""

    __tablename__ = "signing_credential"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    certificate_pem: Mapped[str] = mapped_column(Text)
    certificate_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    #: the certificate's serial number, lower-case hex: what CRLs and OCSP requests name
    certificate_serial: Mapped[str] = mapped_column(String(40), unique=True)
    #: PKCS#8, encrypted with a key derived from the user's password and the server's key
    private_key_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: set when revoked: the certificate stays, to validate what it already signed
    revoked_at: Mapped[datetime | None]
    #: an RFC 5280 reason name (cessation_of_operation, superseded, key_compromise, ...)
    revocation_reason: Mapped[str | None] = mapped_column(String(40))
