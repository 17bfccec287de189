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
    #: the person's own organisation, shown beside their name; it decides nothing (their parties
    #: are those of their memberships). None for a portal administrator who belongs to no party
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: `administrator`: runs the installation (portal.permissions.is_portal_admin). Any other
    #: value decides nothing: roles are memberships, each in one agreement for one party
    role: Mapped[Role] = mapped_column(EnumString(Role, 30))
    #: preferred language of the interface and of mail: fi, sv or en
    locale: Mapped[str] = mapped_column(String(5), default="fi")
    active: Mapped[bool] = mapped_column(default=True)
    #: changes at every sign-in and password change, so old session cookies stop working
    session_nonce: Mapped[str] = mapped_column(String(64), default="")

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    #: the active memberships, loaded once per request when a permission first asks
    # Membership imports this module: a TYPE_CHECKING import would still be a cycle for
    # tests/unit/test_import_cycles.py, so the name stays a string resolved by SQLAlchemy
    memberships: Mapped[list["Membership"]] = relationship(  # type: ignore[name-defined]  # noqa: F821
        primaryjoin="and_(User.id == Membership.user_id, Membership.ended_at.is_(None))",
        viewonly=True,
        lazy="select",
        order_by="Membership.id",
    )

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
    #: set for sign-scoped tokens (15 minutes; the demo's a day): a 401 token_expired after it
    expires_at: Mapped[datetime | None]
    #: with the `sign` scope: the agreement whose documents the token may sign
    sign_agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"))
    #: with the `sign` scope: space-separated ids of the documents it may sign; empty: every
    #: document of sign_agreement_id (only the demo's tokens)
    sign_document_ids: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def sign_document_set(self) -> set[int]:
        return {int(x) for x in (self.sign_document_ids or "").split()}

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
    #: PKCS#8, encrypted with a key derived from the server's key and key_salt; before key_salt
    #: (legacy rows, NULL), from the user's password and the server's key
    private_key_encrypted: Mapped[str] = mapped_column(Text)
    #: random, per credential: with the server's key it derives what unlocks the private key (the
    #: second factor or the password is the gate). NULL: still wrapped with the password
    key_salt: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: set when revoked: the certificate stays, to validate what it already signed
    revoked_at: Mapped[datetime | None]
    #: an RFC 5280 reason name (cessation_of_operation, superseded, key_compromise, ...)
    revocation_reason: Mapped[str | None] = mapped_column(String(40))


class TotpFactor(Model):
    """A person's authenticator app (TOTP, RFC 6238): one per person."""

    __tablename__ = "mfa_totp"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), unique=True)
    #: the base32 secret, AES-GCM under a key derived from the server's key
    secret_encrypted: Mapped[str] = mapped_column(Text)
    #: NULL until the first code was entered: an unconfirmed secret is no factor yet
    confirmed_at: Mapped[datetime | None]
    #: the 30-second time step of the last accepted code: each code is accepted once
    last_step: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecoveryCode(Model):
    """A single-use recovery code, shown once; only its keyed SHA-256 is stored."""

    __tablename__ = "mfa_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    code_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None]


class PasskeyCredential(Model):
    """A WebAuthn passkey (public key credential) registered by a person."""

    __tablename__ = "mfa_passkey"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: the credential id, base64url
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    #: the COSE public key, base64url
    public_key: Mapped[str] = mapped_column(Text)
    sign_count: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
