"""Fixtures shared by every test: the app on SQLite and, when TEST_DATABASE_URL is set, on
PostgreSQL too; factories for organisations, users and agreements.

The suite runs in parallel under pytest-xdist (`./dev.sh test` passes `-n auto --dist loadfile`):
each worker is a process of its own with its own PostgreSQL database (named after the worker),
data folder (PORTAL_DATA_DIR), tmp_path_factory folders (the SoftHSM2 token, the app's data) and
loopback ports (port 0). Nothing is written into the repository while tests run except by the
controller before the workers start (the .mo catalogs)."""

import os
import shutil
import tempfile
import uuid
from contextlib import contextmanager

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import scoped_session, sessionmaker

from portal.i18n_build import compile_catalogs
from tests.api_contract import check_every_response

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
#: this process's data folder and the PORTAL_DATA_DIR it replaced (pytest_configure)
_DATA_DIR = pytest.StashKey[tuple[str, str | None]]()


def worker_id(config) -> str:
    """This process's xdist worker ("gw0", "gw1", ...), or "main" when the run is not parallel."""
    workerinput = getattr(config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "main"


def pytest_configure(config):
    """A data folder of this process's own, before any test module is imported: code that reads
    the configuration outside the `app` fixture (load_config) creates its secrets there, not in
    the repository's data/ where parallel workers would race to create the same files."""
    folder = tempfile.mkdtemp(prefix=f"sopu-test-{worker_id(config)}-")
    config.stash[_DATA_DIR] = (folder, os.environ.get("PORTAL_DATA_DIR"))
    os.environ["PORTAL_DATA_DIR"] = folder


def pytest_unconfigure(config):
    folder, before = config.stash.get(_DATA_DIR, (None, None))
    if folder is None:
        return
    shutil.rmtree(folder, ignore_errors=True)
    if before is None:
        os.environ.pop("PORTAL_DATA_DIR", None)
    else:
        os.environ["PORTAL_DATA_DIR"] = before


def pytest_sessionstart(session):
    """The .mo catalogs, compiled once: by the controller (which starts the workers after this
    hook) or by the one process of a serial run, never by several workers writing the same files."""
    if not hasattr(session.config, "workerinput"):
        compile_catalogs()


def pytest_make_parametrize_id(config, val, argname):
    """Bytes longer than a short literal (a generated PDF or zip file) stand as their length in a
    test's id: every xdist worker must collect the same ids, and such bytes may carry the time
    they were made. pytest numbers ids that come out equal."""
    if isinstance(val, bytes) and len(val) > 16:
        return f"{argname}{len(val)}"
    return None


def _postgres_database() -> str:
    """A fresh database on the server named by TEST_DATABASE_URL, for this test run and this
    xdist worker (its name carries the worker's id: sopu_test_gw1_1a2b3c4d)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = make_url(os.environ["TEST_DATABASE_URL"]).set(drivername="postgresql+psycopg")
    name = f"sopu_test_{worker.lower()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(database_url: str) -> None:
    url = make_url(database_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _apps(tmp_path_factory):
    """apps(backend): the app on that backend with its data folder, made once per process and
    kept until the end of the session. Under pytest-xdist a worker runs file after file, each
    file on SQLite then on PostgreSQL: the `app` fixture below switches backend at every file, and
    without this cache it would migrate a fresh database each time."""
    made: dict[str, tuple] = {}

    def get(backend: str):
        if backend not in made:
            made[backend] = _make_app(backend, tmp_path_factory.mktemp(f"data-{backend}"))
        return made[backend][:2]

    yield get
    from portal.extensions import db

    for app, _, database_url in made.values():
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if app.config["BACKEND"] == "postgresql":
            _drop_postgres_database(database_url)


def _make_app(backend: str, data_dir):
    from flask_migrate import upgrade

    from portal import create_app
    from portal.config import engine_options
    from portal.extensions import db

    if backend == "postgresql":
        database_url = _postgres_database()
    else:
        database_url = f"sqlite:///{data_dir / 'portal.db'}"
    environment = pytest.MonkeyPatch()  # PORTAL_DATA_DIR while the app is made
    environment.setenv("PORTAL_DATA_DIR", str(data_dir))
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
            "PORTAL_STORAGE_URL": f"fs:{data_dir / 'blobs'}",
            "WTF_CSRF_ENABLED": False,
            "PORTAL_LOGIN_RATE_LIMIT": "10000 per minute",
            "PORTAL_VERIFY_RATE_LIMIT": "10000 per minute",
            "PORTAL_JOBS_INLINE": "sync",
            #: tests that need PORTAL_MFA=required set it themselves (tests/integration/test_mfa.py)
            "PORTAL_MFA": "optional",
        }
    )
    app.config["BACKEND"] = backend
    app.test_client_class = OwnUserClient
    check_every_response(app)  # every /api/v1 answer of every test, against the OpenAPI document
    with app.app_context():
        upgrade()
        from portal.authority.services import ensure_authority

        ensure_authority(db.session, app.config["PORTAL_KEY_ENCRYPTION_KEY"])
        db.session.commit()
    environment.undo()
    return app, data_dir, database_url


@pytest.fixture(scope="session", params=BACKENDS)
def app(request, _apps):
    """The app on each backend in turn (every test that takes it runs on both)."""
    app, data_dir = _apps(request.param)
    environment = pytest.MonkeyPatch()  # PORTAL_DATA_DIR for the tests of this backend, restored after
    environment.setenv("PORTAL_DATA_DIR", str(data_dir))
    yield app
    environment.undo()


class OwnUserClient(FlaskClient):
    """A test client whose every request loads its own signed-in user: a test's app context
    outlives its requests, and Flask-Login keeps the user it loaded in that context's g, so
    without this a second client would act as the first one's user."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
        return super().open(*args, **kwargs)


#: tables kept between tests: the CA is created once per run
KEEP = {"alembic_version", "authority_key"}


@pytest.fixture
def db(app, request):
    """The database for one test, in the app's context.

    A test runs inside a transaction on one connection that is rolled back at its end: the
    session joins it with join_transaction_mode="create_savepoint", so the app's own commits
    and rollbacks only release or roll back a savepoint (SQLAlchemy's "Joining a Session into
    an External Transaction"). A test marked `committing` (threads, live servers, processes or
    other connections that must see its data) commits for real, and the tables are emptied after it."""
    from portal.extensions import db as _db

    ctx = app.app_context()
    ctx.push()
    if request.node.get_closest_marker("committing"):
        yield _db
        _db.session.remove()
        _empty_tables(_db)
    else:
        with _rolled_back(_db):
            yield _db
    shutil.rmtree(app.config["PORTAL_AUDIT_SEAL_DIR"], ignore_errors=True)  # the seals' files too
    ctx.pop()


@contextmanager
def _rolled_back(db):
    from flask_sqlalchemy.session import _app_ctx_id

    connection = db.engine.connect()
    # pysqlite begins its own transactions lazily, so the first SAVEPOINT would open (and its
    # release commit) the outer transaction: SQLAlchemy's documented fix, on this connection only
    pysqlite = connection.dialect.name == "sqlite"
    if pysqlite:
        connection.connection.driver_connection.isolation_level = None
    transaction = connection.begin()
    if pysqlite:
        connection.exec_driver_sql("BEGIN")
    app_session = db.session
    db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint"), scopefunc=_app_ctx_id
    )
    try:
        yield
    finally:
        db.session.remove()
        db.session = app_session
        transaction.rollback()
        if pysqlite:
            connection.connection.driver_connection.isolation_level = ""
        connection.close()


def _empty_tables(db) -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " CASCADE"))
        else:  # agreement and document refer to each other: no order satisfies the keys
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for table in tables:
                conn.execute(table.delete())
        conn.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :h)"), {"h": "0" * 64})
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def factory(db, app):
    from tests.factories import Factory

    return Factory(db.session, app)


@pytest.fixture
def config_override(app, monkeypatch):
    """config_override(KEY=value, ...): the app's configuration changed for this test only. A
    rate limit set here starts from no hits: the limiter's storage is one per process, shared by
    the process's apps (SQLite's and PostgreSQL's) and by every test before this one."""

    def override(**values):
        for key, value in values.items():
            monkeypatch.setitem(app.config, key, value)
        if any(key.endswith("_RATE_LIMIT") for key in values):
            from portal.extensions import limiter

            limiter.reset()

    return override


@pytest.fixture
def csrf_on(config_override):
    """The real CSRF check, which the other tests leave off."""
    config_override(WTF_CSRF_ENABLED=True)


@pytest.fixture
def token(app, db):
    """token(user, *scopes): the Authorization header of a new API token of the user (read if no
    scope is named; a sign-scoped one carries the user's signing key, password "pw")."""
    from tests.factories import bearer

    return lambda user, *scopes: bearer(app, db.session, user, *scopes)


@pytest.fixture
def login(app, client):
    """login(user) signs the user in on the test's client and returns it; login(user, fresh=True)
    on a client of its own (several users side by side)."""
    from tests.factories import sign_in

    def do_login(user, password="pw", *, fresh=False):
        return sign_in(app.test_client() if fresh else client, user, password)

    return do_login
