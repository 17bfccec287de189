"""Configuration: the embedded default (SQLite and files under the data folder) or production
(PostgreSQL and shared storage), chosen by environment variables that start with PORTAL_."""

import os
import secrets
from pathlib import Path


def _data_dir() -> Path:
    return Path(os.environ.get("PORTAL_DATA_DIR", "data")).resolve()


def _persisted_secret(data_dir: Path, name: str) -> str:
    """A random secret kept in the data folder (mode 0600), for the embedded default only.

    Production sets PORTAL_SECRET_KEY and PORTAL_KEY_ENCRYPTION_KEY instead, so that every app
    process of a scale-out shares them."""
    path = data_dir / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def load_config() -> dict:
    data_dir = _data_dir()
    development = os.environ.get("PORTAL_ENV", "production") == "development"
    database_url = os.environ.get("PORTAL_DATABASE_URL") or f"sqlite:///{data_dir / 'portal.db'}"
    return {
        "PORTAL_DATA_DIR": str(data_dir),
        "PORTAL_DEVELOPMENT": development,
        "SECRET_KEY": os.environ.get("PORTAL_SECRET_KEY") or _persisted_secret(data_dir, "secret_key"),
        #: encrypts the CA's and the signers' private keys at rest
        "PORTAL_KEY_ENCRYPTION_KEY": os.environ.get("PORTAL_KEY_ENCRYPTION_KEY")
        or _persisted_secret(data_dir, "key_encryption_key"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "PORTAL_STORAGE_URL": os.environ.get("PORTAL_STORAGE_URL") or f"fs:{data_dir / 'blobs'}",
        #: the address mail links use; by default where `portal run` serves ($PORT or
        #: $FLASK_RUN_PORT, else 5000, on 127.0.0.1)
        "PORTAL_BASE_URL": os.environ.get("PORTAL_BASE_URL") or default_base_url(),
        "MAX_CONTENT_LENGTH": int(os.environ.get("PORTAL_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)),
        "PORTAL_MAX_PAGES": int(os.environ.get("PORTAL_MAX_PAGES", 2000)),
        #: a folder of PEM files: the roots an own certificate (signing outside the portal) must
        #: chain to; empty: signing with one's own certificate is off
        "PORTAL_EXTERNAL_TRUST_ROOTS": os.environ.get("PORTAL_EXTERNAL_TRUST_ROOTS", ""),
        #: where the sealed heads of the audit chain are kept as files, outside the database
        "PORTAL_AUDIT_SEAL_DIR": os.environ.get("PORTAL_AUDIT_SEAL_DIR") or str(data_dir / "audit-seals"),
        #: prepare each document from its PDF/A-2b conversion (Ghostscript) where that shows the
        #: same; "0" keeps every upload as it is
        "PORTAL_PDFA": os.environ.get("PORTAL_PDFA", "1") != "0",
        #: freeze what start-up made out of the garbage collector's sight (portal.app._settle_heap;
        #: never under tests, which make many apps in one process); "0" leaves the collector as is
        "PORTAL_SETTLE_HEAP": os.environ.get("PORTAL_SETTLE_HEAP", "1") != "0",
        #: an RFC 3161 time-stamping authority's URL for the signature and document timestamps;
        #: empty: the portal's own TSA (its CA issues the certificate), used in process
        "PORTAL_TSA_URL": os.environ.get("PORTAL_TSA_URL", ""),
        #: a PKCS#11 module (.so): the CA's, the seal's and the own TSA's keys are made and kept
        #: in its token (PORTAL_PKCS11_TOKEN_LABEL, PIN from PORTAL_PKCS11_PIN or _PIN_FILE);
        #: empty: those keys are wrapped with PORTAL_KEY_ENCRYPTION_KEY in the database
        "PORTAL_PKCS11_MODULE": os.environ.get("PORTAL_PKCS11_MODULE", ""),
        "PORTAL_PKCS11_TOKEN_LABEL": os.environ.get("PORTAL_PKCS11_TOKEN_LABEL", ""),
        "PORTAL_PKCS11_PIN": os.environ.get("PORTAL_PKCS11_PIN", ""),
        "PORTAL_PKCS11_PIN_FILE": os.environ.get("PORTAL_PKCS11_PIN_FILE", ""),
        #: the keys' labels in the token: <prefix>-ca, <prefix>-seal, <prefix>-tsa
        "PORTAL_PKCS11_KEY_PREFIX": os.environ.get("PORTAL_PKCS11_KEY_PREFIX", "sopu"),
        "SESSION_COOKIE_NAME": "sopu_session",
        "SESSION_COOKIE_SECURE": not development,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": not development,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "fi",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Helsinki",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        **ratelimit_config(),
        **sign_in_config(development),
        **mail_config(),
        **job_config(development),
    }


def ratelimit_config() -> dict:
    """Failed passwords are counted per account and per address in the rate limiter's storage.
    `memory://` counts in each process apart: with several app processes (gunicorn workers) set
    PORTAL_RATELIMIT_STORAGE_URL to Redis, or a guesser gets the limit once per process (the app
    warns at start-up when production runs without the setting)."""
    return {
        "RATELIMIT_STORAGE_URI": os.environ.get("PORTAL_RATELIMIT_STORAGE_URL") or "memory://",
        #: False when the storage was chosen by default, not by the operator
        "PORTAL_RATELIMIT_STORAGE_SET": bool(os.environ.get("PORTAL_RATELIMIT_STORAGE_URL")),
        #: separates the keys of several installations (or test runs) sharing one Redis
        "RATELIMIT_KEY_PREFIX": os.environ.get("PORTAL_RATELIMIT_KEY_PREFIX", "sopu"),
        "RATELIMIT_HEADERS_ENABLED": True,
        #: failed passwords (sign-in, signing, sign-scoped tokens) per account
        "PORTAL_LOGIN_RATE_LIMIT": os.environ.get("PORTAL_LOGIN_RATE_LIMIT", "10 per minute"),
        #: failed passwords per client address; empty: ten times the per-account limit
        "PORTAL_LOGIN_ADDRESS_RATE_LIMIT": os.environ.get("PORTAL_LOGIN_ADDRESS_RATE_LIMIT", ""),
        #: uploads to the public verification page (/verify) per client address
        "PORTAL_VERIFY_RATE_LIMIT": os.environ.get("PORTAL_VERIFY_RATE_LIMIT", "10 per minute"),
        #: how many reverse proxies in front set X-Forwarded-For/-Proto; 0: the headers are ignored
        "PORTAL_TRUSTED_PROXIES": _proxy_count(os.environ.get("PORTAL_TRUSTED_PROXIES") or "0"),
    }


def sign_in_config(development: bool) -> dict:
    """Single sign-on (OpenID Connect, discovery from the issuer) and the second factor."""
    return {
        #: required: administrators and representatives must enrol a second factor; optional; off
        "PORTAL_MFA": os.environ.get("PORTAL_MFA") or ("optional" if development else "required"),
        #: a second factor confirmed this recently confirms a signature or sign token without another
        "PORTAL_MFA_FRESH_SECONDS": int(os.environ.get("PORTAL_MFA_FRESH_SECONDS", 300)),
        #: off: only single sign-on (the login page shows just its button)
        "PORTAL_PASSWORD_LOGIN": os.environ.get("PORTAL_PASSWORD_LOGIN", "on").lower()
        not in ("off", "0", "false", "no"),
        "PORTAL_OIDC_ISSUER": os.environ.get("PORTAL_OIDC_ISSUER", ""),
        "PORTAL_OIDC_CLIENT_ID": os.environ.get("PORTAL_OIDC_CLIENT_ID", ""),
        "PORTAL_OIDC_CLIENT_SECRET": os.environ.get("PORTAL_OIDC_CLIENT_SECRET", ""),
        #: the sign-in button's label, e.g. the organisation's identity service
        "PORTAL_OIDC_NAME": os.environ.get("PORTAL_OIDC_NAME", ""),
    }


def _proxy_count(value: str) -> int:
    if not value.strip().isdigit():
        raise ValueError(
            f"PORTAL_TRUSTED_PROXIES is the number of reverse proxies in front of the "
            f"portal (0, 1, 2...), not {value!r}"
        )
    return int(value)


def job_config(development: bool) -> dict:
    """Background jobs (compatibility checks). Production runs `portal worker`; development runs
    each job in a thread of the web process, so that `portal run` alone is enough."""
    return {
        #: "" (the worker drains the queue), "thread" or "sync" (in the request: tests)
        "PORTAL_JOBS_INLINE": os.environ.get("PORTAL_JOBS_INLINE", "thread" if development else ""),
        "PORTAL_JOB_MAX_ATTEMPTS": int(os.environ.get("PORTAL_JOB_MAX_ATTEMPTS", 3)),
        "PORTAL_JOB_RETRY_SECONDS": float(os.environ.get("PORTAL_JOB_RETRY_SECONDS", 30)),
        #: a running job whose worker died is taken over after this long (a live worker renews it)
        "PORTAL_JOB_LEASE_SECONDS": float(os.environ.get("PORTAL_JOB_LEASE_SECONDS", 60)),
    }


def default_base_url() -> str:
    port = os.environ.get("PORT") or os.environ.get("FLASK_RUN_PORT") or "5000"
    return f"http://127.0.0.1:{port}"


def mail_config() -> dict:
    """Without PORTAL_SMTP_HOST the worker writes each mail as a .eml file under <data>/mail/."""
    return {
        "PORTAL_SMTP_HOST": os.environ.get("PORTAL_SMTP_HOST", ""),
        "PORTAL_SMTP_PORT": int(os.environ.get("PORTAL_SMTP_PORT", 587)),
        "PORTAL_SMTP_USER": os.environ.get("PORTAL_SMTP_USER", ""),
        "PORTAL_SMTP_PASSWORD": os.environ.get("PORTAL_SMTP_PASSWORD", ""),
        "PORTAL_SMTP_STARTTLS": os.environ.get("PORTAL_SMTP_STARTTLS", "true").lower()
        in ("1", "true", "yes"),
        "PORTAL_SMTP_FROM": os.environ.get("PORTAL_SMTP_FROM", "Sopu <sopu@localhost>"),
        #: the first retry waits this long, each further one twice as long as the one before
        "PORTAL_MAIL_RETRY_BASE_SECONDS": float(os.environ.get("PORTAL_MAIL_RETRY_BASE_SECONDS", 60)),
        #: after this many failed attempts a mail is `failed` and shown on /admin/outbox
        "PORTAL_MAIL_MAX_ATTEMPTS": int(os.environ.get("PORTAL_MAIL_MAX_ATTEMPTS", 8)),
        #: a claimed mail whose worker died is taken over after this long (a live worker renews it)
        "PORTAL_MAIL_CLAIM_LEASE_SECONDS": float(os.environ.get("PORTAL_MAIL_CLAIM_LEASE_SECONDS", 60)),
        "PORTAL_WORKER_INTERVAL_SECONDS": float(os.environ.get("PORTAL_WORKER_INTERVAL_SECONDS", 5)),
        #: /admin/health warns when mail has waited this long and nothing was delivered meanwhile
        "PORTAL_HEALTH_STALE_MINUTES": float(os.environ.get("PORTAL_HEALTH_STALE_MINUTES", 30)),
        #: a daily digest goes out at or after this hour, Finnish time
        "PORTAL_DIGEST_HOUR": int(os.environ.get("PORTAL_DIGEST_HOUR", 7)),
        #: a party that has not signed is reminded this many days after opening, and again each interval
        "PORTAL_REMINDER_DAYS": float(os.environ.get("PORTAL_REMINDER_DAYS", 7)),
        #: at most this many reminders per document and party
        "PORTAL_REMINDER_MAX": int(os.environ.get("PORTAL_REMINDER_MAX", 3)),
        #: an invitation's link can be used for this many days
        "PORTAL_INVITATION_DAYS": float(os.environ.get("PORTAL_INVITATION_DAYS", 7)),
    }


#: signing is serialised by SQLite's write lock: waiting writers queue for up to a minute
SQLITE_BUSY_TIMEOUT_SECONDS = 60


def engine_options(database_url: str) -> dict:
    if database_url.startswith("sqlite"):
        return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}}
    return {"pool_pre_ping": True}
