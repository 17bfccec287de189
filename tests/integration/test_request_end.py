"""A request that only read ends its transaction with COMMIT, one that wrote or failed with
ROLLBACK (portal.request_end): on PostgreSQL the driver forgets its prepared statements at every
ROLLBACK, so pages were planned afresh on every request."""

import threading

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Session

from portal.auth.domain import Role, Scope
from portal.auth.services import create_token
from portal.organisations.models import Organisation
from portal.request_end import commit_if_only_read

#: the requests run in a thread of their own, each in its own app context as when served, so
#: their data must be committed
pytestmark = pytest.mark.committing


def _in_own_context(app, requests):
    """Run `requests(client)` where no app context is pushed: each request pushes its own and
    tears it down, as a served request does (the test's own context would keep them open)."""
    answers = []
    worker = threading.Thread(target=lambda: answers.extend(requests(app.test_client())))
    worker.start()
    worker.join(120)
    return answers


def _session_ends():
    """The names of the sessions' transaction ends, in order, until the returned stop is called
    (the token's use is recorded on a connection of its own, not in a session)."""
    seen: list[str] = []
    listeners = {
        "after_commit": lambda _session: seen.append("commit"),
        "after_rollback": lambda _session: seen.append("rollback"),
    }
    for name, listener in listeners.items():
        event.listen(Session, name, listener)
    return seen, lambda: [event.remove(Session, name, listener) for name, listener in listeners.items()]


def _read_token(factory):
    user = factory.user(factory.org(), Role.viewer)
    _row, raw = create_token(factory.session, user, "reader", {Scope.read})
    factory.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_a_request_that_only_read_commits_and_keeps_its_statements_prepared(app, db, factory):
    factory.agreement(parties=3)
    headers = _read_token(factory)
    connections = []

    def checked_out(dbapi_connection, _record, _proxy):
        connections.append(dbapi_connection)

    event.listen(db.engine, "checkout", checked_out)
    seen, stop = _session_ends()
    try:
        statuses = _in_own_context(
            app, lambda c: [c.get("/api/v1/agreements", headers=headers).status_code for _ in range(8)]
        )
    finally:
        stop()
        event.remove(db.engine, "checkout", checked_out)
    assert statuses == [200] * 8
    # every request ends with a commit (the first may also commit the CA it created)
    assert "rollback" not in seen and seen.count("commit") >= 8, seen
    if db.engine.dialect.name == "postgresql":
        # psycopg prepares a statement at its fifth run on a connection: the list's are on the
        # server now, on a connection the requests used (the token's use is recorded on another)
        prepared = []
        for used in {id(c): c for c in connections}.values():
            prepared.append(used.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0])
            used.commit()  # back to idle, as the pool holds it
        assert max(prepared) > 0, prepared


def test_only_a_transaction_of_plain_selects_with_nothing_pending_is_committed(app, db, factory):
    org = factory.org()
    factory.session.commit()
    with Session(db.engine) as session:
        [read] = session.scalars(select(Organisation).limit(1)).all()
        assert commit_if_only_read(session) and not session.in_transaction()
        assert not commit_if_only_read(session)  # nothing to end
        # nothing changed: what was read is not expired (to be read again), and the session's
        # own setting is as it was for the commits its code makes
        assert "name" in read.__dict__ and session.expire_on_commit

        session.execute(text("SELECT 1"))  # raw SQL may call anything: a write
        assert not commit_if_only_read(session)
        session.rollback()

        session.execute(update(Organisation).where(Organisation.id == -1).values(name="x"))
        assert not commit_if_only_read(session)
        session.rollback()

        session.get(Organisation, org.id).name = "Changed"  # pending, not flushed
        assert not commit_if_only_read(session)
        session.rollback()

        session.scalars(select(Organisation).limit(1)).all()  # a fresh transaction starts clean
        assert commit_if_only_read(session)
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).name != "Changed"
