"""Fixtures shared by every test: the app on SQLite and, when TEST_DATABASE_URL is set, on
PostgreSQL too; factories for organisations, users and agreements."""

import os
import shutil
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal.i18n_build import compile_catalogs
from tests.api_contract import check_every_response

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def pytest_sessionstart(session):
    compile_catalogs()


def _postgres_database() -> str:
    """A fresh database on the server named by TEST_DATABASE_URL, for this test run."""
    url = make_url(os.environ["TEST_DATABASE_URL"]).set(drivername="postgresql+psycopg")
    name = f"sopu_test_{uuid.uuid4().hex[:8]}"
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


@pytest.fixture(scope="session", params=BACKENDS)
def app(request, tmp_path_factory):
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    data_dir = tmp_path_factory.mktemp(f"data-{request.param}")
    database_url = (_postgres_database() if request.param == "postgresql"
                    else f"sqlite:///{data_dir / 'portal.db'}")
    os.environ["PORTAL_DATA_DIR"] = str(data_dir)
    from portal.config import engine_options

    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "PORTAL_STORAGE_URL": f"fs:{data_dir / 'blobs'}",
        "WTF_CSRF_ENABLED": False,
        "PORTAL_LOGIN_RATE_LIMIT": "10000 per minute",
        "PORTAL_JOBS_INLINE": "sync",
        #: tests that need PORTAL_MFA=required set it themselves (tests/integration/test_mfa.py)
        "PORTAL_MFA": "optional",
    })
    app.config["BACKEND"] = request.param
    check_every_response(app)  # every /api/v1 answer of every test, against the OpenAPI document
    with app.app_context():
        upgrade()
        from portal.authority.services import ensure_authority

        ensure_authority(db.session, app.config["PORTAL_KEY_ENCRYPTION_KEY"])
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if request.param == "postgresql":
        _drop_postgres_database(database_url)


#: tables kept between tests: the CA is created once per run
KEEP = {"alembic_version", "authority_key"}


@pytest.fixture
def db(app):
    """The database, emptied after the test (real commits, so threads and processes can share it)."""
    from portal.extensions import db as _db

    ctx = app.app_context()
    ctx.push()
    yield _db
    _db.session.remove()
    tables = [t for t in reversed(_db.metadata.sorted_tables) if t.name not in KEEP]
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " CASCADE"))
        else:  # agreement and document refer to each other: no order satisfies the keys
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for table in tables:
                conn.execute(table.delete())
        conn.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :h)"), {"h": "0" * 64})
    shutil.rmtree(app.config["PORTAL_AUDIT_SEAL_DIR"], ignore_errors=True)  # the seals' files too
    if _db.engine.dialect.name == "sqlite":
        with _db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    ctx.pop()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def factory(db, app):
    from tests.factories import Factory

    return Factory(db.session, app)


@pytest.fixture
def login(client):
    def do_login(user, password="pw"):
        response = client.post("/login", data={"username": user.username, "password": password})
        assert response.status_code == 302, response.text
        return client

    return do_login
