"""Background jobs: a table in the database, drained by `portal worker` (or run in-process in
development and tests), so that a long check never holds up a request."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.queue.domain import JobStatus
from portal.queue.models import QueueRow

__all__ = ["Job", "JobStatus"]


class Job(QueueRow, Model):
    """A unit of background work, e.g. checking one document version."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_due", "status", "run_after"),)
    State, working, finished = JobStatus, JobStatus.running, JobStatus.done

    #: names the handler, as registered with jobs.services.register
    kind: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    #: what the job is about, e.g. "version:12": the page following it finds it by this
    subject: Mapped[str | None] = mapped_column(String(80), index=True)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)
    #: 0-100, for the page that follows the job
    progress: Mapped[int] = mapped_column(default=0)
    finished_at: Mapped[datetime | None]
