"""How a request's transaction ends: COMMIT when it only read, ROLLBACK otherwise.

Both end a transaction that wrote nothing the same way, but on PostgreSQL the driver (psycopg)
forgets every statement it has prepared on the connection at each ROLLBACK, and every request
used to end with one (Flask-SQLAlchemy closes the session). So no statement was ever prepared,
and PostgreSQL parsed and planned each page's queries again on every request (the home page's
standings query: 1.80 ms unprepared, 1.07 ms prepared).

A transaction counts as read-only while every statement it ran was a SELECT built by SQLAlchemy
(raw SQL text, an INSERT, UPDATE or DELETE marks it written) and the session holds no pending
change. A request that raised, or whose transaction wrote, is rolled back exactly as before: a
view still commits what it means to keep, and this never commits a write for it."""

import logging

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.sql import CompoundSelect, Select

from portal.extensions import db

log = logging.getLogger(__name__)

#: the flag, in the connection's info: set by any statement that is not a plain SELECT
_WROTE = "sopu_transaction_wrote"


def is_plain_read(statement: object) -> bool:
    """A SELECT built by SQLAlchemy: a SELECT calling a side-effecting function would be raw SQL
    text here (the portal's only one, pg_notify, is), and raw text counts as a write."""
    return isinstance(statement, (Select, CompoundSelect))


def init_app(app: Flask) -> None:
    with app.app_context():
        _watch_writes(db.engine)

    # registered after db.init_app, so Flask runs it before Flask-SQLAlchemy removes the session
    @app.teardown_appcontext
    def end_transaction(exc: BaseException | None) -> None:
        if exc is None and db.session.registry.has():
            try:
                commit_if_only_read(db.session())
            except SQLAlchemyError as failed:  # the answer has gone out: the session's close rolls back
                # the class only: SQLAlchemy's message may carry a statement's parameters
                log.warning("a read-only transaction did not commit: %s", type(failed).__name__)


def commit_if_only_read(session: Session) -> bool:
    """COMMIT the session's transaction when it only read; True when it did. Otherwise leave it
    to the session's close, which rolls it back."""
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return False
    connection = session.connection()
    if connection.info.get(_WROTE, True):
        return False
    # nothing it loaded changed, so nothing needs reading again: expiring every object (a page
    # loads hundreds, and the session closes with the request) would be work for nothing
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire
    return True


def _watch_writes(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _fresh(connection: Connection) -> None:
        connection.info[_WROTE] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _note(connection, _cursor, _statement, _parameters, context, _executemany) -> None:
        compiled = getattr(context, "compiled", None)
        if compiled is None or not is_plain_read(compiled.statement):
            connection.info[_WROTE] = True
