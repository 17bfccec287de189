from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.dbtypes import EnumString
from portal.extensions import db
from portal.timeutil import utcnow


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class Job(db.Model):
    """A unit of background work, e.g. checking one document version."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_due", "status", "run_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: names the handler (jobs.services.HANDLERS)
    kind: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    #: what the job is about, e.g. "version:12": the page following it finds it by this
    subject: Mapped[str | None] = mapped_column(String(80), index=True)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)
    status: Mapped[JobStatus] = mapped_column(EnumString(JobStatus, 10), default=JobStatus.queued)
    #: 0-100, for the page that follows the job
    progress: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    #: set by the worker that claimed the job; with claimed_at, a lease that expires
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
