"""The rows of a work queue (the outbox, the job table): their common columns, and claiming
them for one worker among several, keeping the claim while the worker lives, finishing them, or
failing them to be retried with backoff."""

import logging
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar, Self, cast

from sqlalchemy import CursorResult, Select, String, Text, and_, or_, select, update
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from portal.dbtypes import EnumString
from portal.queue.domain import after_failure
from portal.timeutil import utcnow

log = logging.getLogger(__name__)


def claim_due(session: Session, model, due, limit: int, **values) -> str:
    """Mark up to `limit` rows of `model` that match `due` as this worker's (a fresh claim token
    plus `values`) and commit the claim; returns the token. On PostgreSQL the candidates are
    picked with FOR UPDATE SKIP LOCKED, so workers on several machines take disjoint rows without
    waiting for each other; on SQLite the conditional UPDATE runs under the write lock."""
    token = secrets.token_hex(16)
    candidates = select(model.id).where(due).order_by(model.id).limit(limit)
    chosen: Select[Any] | list[int] = candidates
    if session.get_bind().dialect.name == "postgresql":
        chosen = list(session.scalars(candidates.with_for_update(skip_locked=True)))
    session.execute(
        update(model)
        .where(model.id.in_(chosen), due)
        .values(claim_token=token, **values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return token


def renew(session: Session, model, token: str, status) -> int:
    """Extend the lease of the rows still claimed with `token` (claimed_at = now); how many."""
    result = session.execute(
        update(model)
        .where(model.claim_token == token, model.status == status)
        .values(claimed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount


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


class QueueRow:
    """A model mixin: the columns every queue row has, and what a worker does with the rows.

    A row is `queued` until its `run_after`; a worker claims it (state `working`, a claim token
    and claimed_at: a lease that lease_kept renews), then finishes it (`finished`) or fails it:
    queued again after a backoff, or `failed` for good, shown to the administrator who may
    requeue it. Every change a worker makes is conditional on the row being "still ours" (its
    claim token, still `working`), so a worker whose lease ran out never overwrites the result of
    the worker that took the row over."""

    #: the model's states (queue.domain); `queued` and `failed` are common to every queue
    State: ClassVar[type[StrEnum]]
    #: the state of a claimed row, and of a finished one
    working: ClassVar[StrEnum]
    finished: ClassVar[StrEnum]
    #: the stored name of the column run_after
    due_column: ClassVar[str] = "run_after"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    #: set by the worker that claimed the row; with claimed_at, a lease that expires
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @declared_attr
    def status(cls) -> Mapped[StrEnum]:
        return mapped_column(EnumString(cls.State, 10), default=cls.State("queued"))

    @declared_attr
    def run_after(cls) -> Mapped[datetime]:
        """Not before: when the row was queued, or when its next attempt falls due."""
        return mapped_column(cls.due_column, default=utcnow)

    @classmethod
    def due(cls, now: datetime, lease_seconds: float):
        """Queued and due, or claimed by a worker whose lease ran out."""
        return or_(
            and_(cls.status == cls.State("queued"), cls.run_after <= now),
            and_(cls.status == cls.working, cls.claimed_at < now - timedelta(seconds=lease_seconds)),
        )

    @classmethod
    def claim(
        cls, session: Session, limit: int, lease_seconds: float, *, only_id: int | None = None, **values
    ) -> tuple[str, list[Self]]:
        """Claim up to `limit` due rows (or just `only_id`) for this worker and commit the claim;
        (the claim token, the rows claimed)."""
        now = utcnow()
        due = cls.due(now, lease_seconds)
        if only_id is not None:
            due = and_(due, cls.id == only_id)
        token = claim_due(session, cls, due, limit, status=cls.working, claimed_at=now, **values)
        return token, list(session.scalars(select(cls).where(cls.claim_token == token).order_by(cls.id)))

    @classmethod
    def lease_kept(cls, session: Session, token: str, lease_seconds: float):
        return lease_kept(session, cls, token, cls.working, lease_seconds)

    @classmethod
    def still_ours(cls, session: Session, row_id: int, token: str, **values) -> bool:
        """Set `values` on the row if this worker's claim still holds; whether it did."""
        result = session.execute(
            update(cls)
            .where(cls.id == row_id, cls.claim_token == token, cls.status == cls.working)
            .values({getattr(cls, name): value for name, value in values.items()})
            .execution_options(synchronize_session=False)
        )
        return cast(CursorResult[Any], result).rowcount == 1

    @classmethod
    def finish(cls, session: Session, row_id: int, token: str, **values) -> bool:
        return cls.still_ours(
            session, row_id, token, status=cls.finished, claim_token=None, last_error=None, **values
        )

    @classmethod
    def fail(
        cls,
        session: Session,
        row_id: int,
        token: str,
        error: Exception,
        *,
        failed_attempts: int,
        max_attempts: int,
        retry_seconds: float,
        **values,
    ) -> StrEnum | None:
        """After `failed_attempts` failed attempts: queued again after a backoff, or failed for
        good. The new state, or None when the claim no longer holds (another worker has the row)."""
        status, next_at = after_failure(failed_attempts, max_attempts, utcnow(), retry_seconds)
        state = cls.State(status)
        if cls.still_ours(
            session,
            row_id,
            token,
            status=state,
            run_after=next_at,
            claim_token=None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            **values,
        ):
            return state
        return None

    def requeue(self) -> bool:
        """The administrator's retry: a failed row back in the queue with a fresh count of
        attempts; False if the row has not failed."""
        if self.status is not self.State("failed"):
            return False
        self.status, self.attempts, self.run_after = self.State("queued"), 0, utcnow()
        return True
