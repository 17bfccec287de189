"""Read the running health from the database; the worker's heartbeat. Services flush, never commit."""

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.health.domain import Snapshot
from portal.health.models import WorkerHeartbeat
from portal.jobs.models import Job, JobStatus
from portal.mail.models import MailStatus, OutboxMail
from portal.timeutil import utcnow

#: a worker not seen for this long is forgotten (its row would only say when it stopped)
FORGET_AFTER = timedelta(days=7)


def beat(session: Session, name: str, now: datetime | None = None) -> WorkerHeartbeat:
    """The worker `name` starts a pass now."""
    now = now or utcnow()
    row = session.get(WorkerHeartbeat, name)
    if row is None:
        row = WorkerHeartbeat(name=name, started_at=now, beat_at=now)
        session.add(row)
        session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < now - FORGET_AFTER))
    row.beat_at = now
    session.flush()
    return row


def snapshot(session: Session, stale_minutes: float, now: datetime | None = None) -> Snapshot:
    now = now or utcnow()
    waiting_mail = OutboxMail.status.in_([MailStatus.queued, MailStatus.sending])
    waiting_jobs = Job.status.in_([JobStatus.queued, JobStatus.running])
    mails, oldest_mail = session.execute(
        select(func.count(OutboxMail.id), func.min(OutboxMail.created_at)).where(waiting_mail)
    ).one()
    jobs, oldest_job = session.execute(
        select(func.count(Job.id), func.min(Job.created_at)).where(waiting_jobs)
    ).one()
    return Snapshot(
        now=now,
        last_run_at=session.scalar(select(func.max(WorkerHeartbeat.beat_at))),
        last_sent_at=session.scalar(select(func.max(OutboxMail.sent_at))),
        waiting_mails=mails,
        oldest_mail_at=oldest_mail,
        waiting_jobs=jobs,
        oldest_job_at=oldest_job,
        failed_mails=session.scalar(
            select(func.count(OutboxMail.id)).where(OutboxMail.status == MailStatus.failed)
        )
        or 0,
        failed_jobs=session.scalar(select(func.count(Job.id)).where(Job.status == JobStatus.failed)) or 0,
        stale_after=timedelta(minutes=stale_minutes),
    )
