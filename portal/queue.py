"""Claiming rows of a work queue (the outbox, the job table) for one worker among several, and
keeping the claim while the worker lives."""

import logging
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.timeutil import utcnow

log = logging.getLogger(__name__)


def claim_due(session: Session, model, due, limit: int, **values) -> str:
    """Mark up to `limit` rows of `model` that match `due` as this worker's (a fresh claim token
    plus `values`) and commit the claim; returns the token. On PostgreSQL the candidates are
    picked with FOR UPDATE SKIP LOCKED, so workers on several machines take disjoint rows without
    waiting for each other; on SQLite the conditional UPDATE runs under the write lock."""
    token = secrets.token_hex(16)
    candidates = select(model.id).where(due).order_by(model.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        candidates = list(session.scalars(candidates.with_for_update(skip_locked=True)))
    session.execute(update(model).where(model.id.in_(candidates), due)
                    .values(claim_token=token, **values)
                    .execution_options(synchronize_session=False))
    session.commit()
    return token


def renew(session: Session, model, token: str, status) -> int:
    """Extend the lease of the rows still claimed with `token` (claimed_at = now); how many."""
    result = session.execute(update(model).where(model.claim_token == token, model.status == status)
                             .values(claimed_at=utcnow())
                             .execution_options(synchronize_session=False))
    return result.rowcount


@contextmanager
def lease_kept(session: Session, model, token: str, status, lease_seconds: float) -> Iterator[None]:
    """While the block runs, a thread renews the claim every quarter of the lease, on a connection
    of its own (so a long SMTP exchange or a long check keeps its rows). The lease can then be
    short: when the worker is killed the renewals stop, and its rows are taken over after one
    lease instead of waiting out a guess at the longest possible run."""
    engine = session.get_bind()
    stop = threading.Event()
    every = max(lease_seconds / 4, 0.05)

    def beat() -> None:
        while not stop.wait(every):
            try:
                with Session(engine) as own:
                    renew(own, model, token, status)
                    own.commit()
            except Exception:  # the next beat tries again; the lease covers a few misses
                log.warning("renewing the lease of %s rows failed", model.__tablename__, exc_info=True)

    thread = threading.Thread(target=beat, name=f"lease-{model.__tablename__}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
