"""Recording a token's last use never serialises requests (issue 14: reads never lock)."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import text

from portal.auth.domain import Role, Scope
from portal.auth.models import ApiToken
from portal.auth.services import create_token, record_token_use
from portal.timeutil import utcnow

#: a token's use is written on a connection of its own
pytestmark = pytest.mark.committing

#: a safety net against a deadlocked test, not a measurement: the requests either finish while
#: the other transaction holds its lock, or they would wait for it forever
NEVER = 60


def _token(factory):
    user = factory.user(factory.org(), Role.viewer)
    row, raw = create_token(factory.session, user, "automation", {Scope.read})
    factory.session.commit()
    return row.id, {"Authorization": f"Bearer {raw}"}


def _hold_token_row(engine, token_id):
    """Another transaction that holds the token row (PostgreSQL) or the write lock (SQLite)."""
    conn = engine.connect()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    conn.execute(text("UPDATE api_token SET name = name WHERE id = :id"), {"id": token_id})
    return conn


def test_requests_with_one_token_do_not_wait_for_a_transaction_holding_it(app, db, factory):
    token_id, headers = _token(factory)
    holder = _hold_token_row(db.engine, token_id)
    answers = []

    def two_requests():
        client = app.test_client()
        answers.extend(client.get("/api/v1/agreements", headers=headers).status_code for _ in range(2))

    try:
        worker = threading.Thread(target=two_requests)
        worker.start()
        worker.join(NEVER)
        finished_while_held = not worker.is_alive()
    finally:
        holder.rollback()
        holder.close()
        worker.join()
    assert finished_while_held and answers == [200, 200]


def test_a_tokens_use_is_recorded_at_most_once_a_minute(app, db, factory, client):
    token_id, headers = _token(factory)
    assert client.get("/api/v1/agreements", headers=headers).status_code == 200
    db.session.expire_all()
    first = db.session.get(ApiToken, token_id).last_used_at
    assert first is not None
    assert not record_token_use(db.engine, token_id, first + timedelta(seconds=59))
    assert record_token_use(db.engine, token_id, first + timedelta(seconds=60))
    db.session.expire_all()
    assert db.session.get(ApiToken, token_id).last_used_at == first + timedelta(seconds=60)


def test_a_held_token_row_leaves_the_use_unrecorded_rather_than_waiting(db, factory):
    token_id, _headers = _token(factory)
    holder = _hold_token_row(db.engine, token_id)
    try:
        assert record_token_use(db.engine, token_id, utcnow()) is False
    finally:
        holder.rollback()
        holder.close()
    assert record_token_use(db.engine, token_id, utcnow()) is True


def test_a_process_asks_the_database_about_a_tokens_use_once_a_minute(app, db, factory):
    """Within a minute of a use it recorded or saw recorded, a process sends no statement for
    the next use of the token (note_token_use's memory); after it, it asks again."""
    from sqlalchemy import event

    from portal.auth.services import note_token_use, token_digest

    token_id, headers = _token(factory)
    digest = token_digest(headers["Authorization"].split()[1])
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        now = utcnow()
        assert note_token_use(db.engine, digest, now)
        written = len(statements)
        assert not note_token_use(db.engine, digest, now + timedelta(seconds=59))
        assert len(statements) == written  # none
        assert note_token_use(db.engine, digest, now + timedelta(seconds=60))
        assert len(statements) > written
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    db.session.expire_all()
    assert db.session.get(ApiToken, token_id).last_used_at == now + timedelta(seconds=60)
