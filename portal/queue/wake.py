"""Waking a worker the moment work is queued, instead of on its next timer pass.

On PostgreSQL, queueing a job or a mail also issues `NOTIFY` on one channel inside the same
transaction: PostgreSQL delivers it only when (and if) that transaction commits, so a worker is
never woken for a row it cannot see yet, and a rolled-back upload wakes nobody. Each worker keeps
one connection of its own that LISTENs on the channel and sleeps on it between passes; the timer
(PORTAL_WORKER_INTERVAL_SECONDS) stays as the fallback for what falls due later (retries with
backoff, reminders). SQLite has no notifications: there the worker sleeps out its interval."""

from __future__ import annotations

import time
from types import TracebackType

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

#: one channel for every queue: a woken worker runs a whole pass (jobs, then mail)
CHANNEL = "sopu_queue"


def notify(session: Session) -> None:
    """Wake the listening workers once this session's transaction commits (PostgreSQL only).
    PostgreSQL folds identical notifications of one transaction into one."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


class Waiter:
    """A worker's wait between passes: on PostgreSQL until a notification or the timeout,
    elsewhere the timeout. Use as a context manager so its connection is closed."""

    def __init__(self, url: URL) -> None:
        self._conn = None
        if url.get_backend_name() == "postgresql":
            import psycopg

            conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._conn = psycopg.connect(conninfo, autocommit=True)
            self._conn.execute(f"LISTEN {CHANNEL}")

    @property
    def listening(self) -> bool:
        return self._conn is not None

    def wait(self, timeout: float) -> bool:
        """Sleep until woken or `timeout` seconds have passed; True when woken. Notifications that
        arrived while the worker was busy wake it at once, so nothing queued meanwhile waits."""
        if self._conn is None:
            time.sleep(timeout)
            return False
        woken = False
        for _ in self._conn.notifies(timeout=timeout, stop_after=1):
            woken = True
        if woken:  # drain the rest: one pass serves every row queued so far
            for _ in self._conn.notifies(timeout=0):
                pass
        return woken

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Waiter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
