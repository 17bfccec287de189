"""Migration 5d0c4e8a7f21 turns each existing user's global role into memberships: one in every
agreement their organisation is a party of; the portal's administrators get none (they see all)."""

from datetime import datetime

import sqlalchemy as sa
from flask_migrate import upgrade

from portal import create_app


def _filler(column: sa.Column):
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 1, 1)
    if isinstance(kind, sa.Date):
        return datetime(2026, 1, 1).date()
    if isinstance(kind, sa.JSON):
        return {}
    return "x"


def _insert(conn, table: sa.Table, **values) -> int:
    row = {
        c.name: _filler(c)
        for c in table.columns
        if not c.nullable and not c.primary_key and c.server_default is None
    }
    return conn.execute(table.insert().values(**(row | values))).inserted_primary_key[0]


def test_existing_roles_become_memberships(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "PORTAL_STORAGE_URL": f"fs:{tmp_path / 'blobs'}"}
    )
    with app.app_context():
        upgrade(revision="7a3e5c91d2b4")  # the schema before memberships
        engine = sa.create_engine(url)
        meta = sa.MetaData()
        meta.reflect(engine)
        t = meta.tables
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            tampere = _insert(conn, t["organisation"], business_id="0211675-2")
            nokia = _insert(conn, t["organisation"], business_id="0150412-0")
            akaa = _insert(conn, t["organisation"], business_id="3100000-3")
            a = _insert(conn, t["agreement"], main_document_id=None)
            b = _insert(conn, t["agreement"], main_document_id=None)
            for agreement, org, position in ((a, tampere, 1), (a, nokia, 2), (b, tampere, 1)):
                _insert(
                    conn, t["agreement_party"], agreement_id=agreement, organisation_id=org, position=position
                )
            users = {}
            for name, org, role in (
                ("lawyer", tampere, "lawyer"),
                ("rep", nokia, "representative"),
                ("admin", tampere, "administrator"),
                ("akaa", akaa, "viewer"),
            ):
                users[name] = _insert(conn, t["user_account"], username=name, organisation_id=org, role=role)
        upgrade()
        with engine.connect() as conn:
            rows = set(
                conn.execute(
                    sa.text("SELECT user_id, agreement_id, organisation_id, role, ended_at FROM membership")
                )
            )
        engine.dispose()
    assert rows == {
        (users["lawyer"], a, tampere, "lawyer", None),
        (users["lawyer"], b, tampere, "lawyer", None),
        (users["rep"], a, nokia, "representative", None),
    }
