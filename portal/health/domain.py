"""Rules of running health over plain values: the worker's state and whether delivery stalled."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class WorkerState(StrEnum):
    never_ran = "never_ran"
    #: a worker ran within the stale window
    running = "running"
    #: the last run is older than the stale window
    silent = "silent"


@dataclass(frozen=True)
class Snapshot:
    """What the health page shows, read at `now` (naive UTC)."""

    now: datetime
    last_run_at: datetime | None
    last_sent_at: datetime | None
    waiting_mails: int
    oldest_mail_at: datetime | None
    waiting_jobs: int
    oldest_job_at: datetime | None
    failed_mails: int
    failed_jobs: int
    stale_after: timedelta

    @property
    def worker(self) -> WorkerState:
        return worker_state(self.now, self.last_run_at, self.stale_after)

    @property
    def stalled(self) -> bool:
        return delivery_stalled(self.now, self.last_sent_at, self.oldest_mail_at, self.stale_after)

    @property
    def oldest_mail_age(self) -> timedelta | None:
        return None if self.oldest_mail_at is None else self.now - self.oldest_mail_at

    @property
    def oldest_job_age(self) -> timedelta | None:
        return None if self.oldest_job_at is None else self.now - self.oldest_job_at


def worker_state(now: datetime, last_run_at: datetime | None, stale_after: timedelta) -> WorkerState:
    if last_run_at is None:
        return WorkerState.never_ran
    return WorkerState.running if now - last_run_at < stale_after else WorkerState.silent


def delivery_stalled(
    now: datetime, last_sent_at: datetime | None, oldest_waiting_at: datetime | None, stale_after: timedelta
) -> bool:
    """Mail has waited `stale_after` or longer and nothing was delivered in that time: the
    worker is down or cannot reach the mail server. Mail that just arrived is no warning, nor
    a quiet outbox."""
    if oldest_waiting_at is None or now - oldest_waiting_at < stale_after:
        return False
    return last_sent_at is None or now - last_sent_at >= stale_after
