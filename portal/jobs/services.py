"""Queue, claim and run background jobs.

A job is committed with the change that causes it. `portal worker` claims due jobs the way it
claims mail (a conditional UPDATE with a claim token; FOR UPDATE SKIP LOCKED on PostgreSQL, so
several workers take disjoint jobs), runs each handler and commits after each. A job that raises
is retried with backoff up to PORTAL_JOB_MAX_ATTEMPTS, then `failed`: shown with its error on
/admin/jobs, where the administrator can retry it. A worker that died leaves a `running` job
whose lease (PORTAL_JOB_LEASE_SECONDS, a minute) expires, and another worker takes it over:
nothing stays stuck. A live worker renews the lease of its claimed jobs while it runs them.

PORTAL_JOBS_INLINE runs a job right after the request that queued it committed: "sync" in the
request itself (tests), "thread" in a thread of the same process (development)."""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from portal.audit.services import record
from portal.jobs.models import Job, JobStatus
from portal.mail.domain import after_failure
from portal.queue import claim_due, lease_kept
from portal.timeutil import utcnow

log = logging.getLogger(__name__)


Handler = tuple[Callable[[Session, Job], None], Callable[[Session, Job, bool], None]]


def _handlers() -> dict[str, Handler]:
    """kind -> (run it, tell what it was for that an attempt failed: final or to be retried)."""
    from portal.annexes.checking import check_job_failed, run_check_job
    from portal.appctx import document_context

    return {"check_version": (lambda session, job: run_check_job(session, document_context(), job),
                              check_job_failed)}


@dataclass
class Drained:
    done: int = 0
    retried: int = 0
    failed: int = 0


def enqueue(session: Session, kind: str, payload: dict, agreement_id: int | None = None,
            subject: str | None = None) -> Job:
    job = Job(kind=kind, payload=payload, agreement_id=agreement_id, subject=subject,
              status=JobStatus.queued, run_after=utcnow())
    session.add(job)
    session.flush()
    session.info.setdefault("queued_jobs", []).append(job.id)
    return job


def start_queued(session: Session) -> None:
    """After the commit: start what this session queued (see start())."""
    start(session.info.pop("queued_jobs", []))


def set_progress(session: Session, job: Job, percent: int) -> None:
    """Commit the progress at once, so that the page following the job sees it. Handlers call
    it only where they have nothing else uncommitted."""
    session.execute(update(Job).where(Job.id == job.id).values(progress=percent)
                    .execution_options(synchronize_session=False))
    session.commit()


def _due(now, lease_seconds: float):
    return or_(and_(Job.status == JobStatus.queued, Job.run_after <= now),
               and_(Job.status == JobStatus.running,
                    Job.claimed_at < now - timedelta(seconds=lease_seconds)))


def claim(session: Session, limit: int, lease_seconds: float, job_id: int | None = None) -> list[Job]:
    """Claim up to `limit` due jobs (or just `job_id`) for this worker and commit the claim."""
    now = utcnow()
    due = _due(now, lease_seconds)
    if job_id is not None:
        due = and_(due, Job.id == job_id)
    token = claim_due(session, Job, due, limit, status=JobStatus.running, claimed_at=now,
                      attempts=Job.attempts + 1)
    return list(session.scalars(select(Job).where(Job.claim_token == token).order_by(Job.id)))


def run_due(session: Session, config, limit: int = 10, job_id: int | None = None) -> Drained:
    """One pass: claim what is due and run it, committing after each job."""
    drained = Drained()
    lease = float(config.get("PORTAL_JOB_LEASE_SECONDS", 60))
    claimed = claim(session, limit, lease, job_id)
    if not claimed:
        return drained
    # renewed while this worker runs the batch: a long check keeps its jobs, a killed worker's
    # jobs are taken over one lease later
    with lease_kept(session, Job, claimed[0].claim_token, JobStatus.running, lease):
        for job in claimed:
            _run(session, job, config, drained)
    return drained


def _run(session: Session, job: Job, config, drained: Drained) -> None:
    job_id, token, attempts = job.id, job.claim_token, job.attempts
    try:
        _handlers()[job.kind][0](session, job)
    except Exception as error:  # noqa: BLE001 - any failure is recorded on the job and retried
        session.rollback()
        log.warning("job %s (%s) failed: %s", job_id, job.kind, type(error).__name__)
        status, next_at = after_failure(attempts, int(config.get("PORTAL_JOB_MAX_ATTEMPTS", 3)),
                                        utcnow(), float(config.get("PORTAL_JOB_RETRY_SECONDS", 30)))
        if _still_ours(session, job_id, token, status=JobStatus(
                "failed" if status == "failed" else "queued"), run_after=next_at,
                claim_token=None, last_error=f"{type(error).__name__}: {error}"[:2000]):
            _handlers()[job.kind][1](session, job, status == "failed")
            if status == "failed":
                record(session, "job_failed", agreement_id=job.agreement_id, job_id=job_id,
                       job_kind=job.kind, attempts=attempts)
                drained.failed += 1
            else:
                drained.retried += 1
        session.commit()
        return
    if _still_ours(session, job_id, token, status=JobStatus.done, progress=100, claim_token=None,
                   finished_at=utcnow(), last_error=None):
        drained.done += 1
        session.commit()
    else:  # the lease ran out and another worker took the job over: its result stands
        session.rollback()


def _still_ours(session: Session, job_id: int, token: str, **values) -> bool:
    result = session.execute(update(Job).where(Job.id == job_id, Job.claim_token == token,
                                               Job.status == JobStatus.running).values(**values)
                             .execution_options(synchronize_session=False))
    return result.rowcount == 1


def start(job_ids: list[int]) -> None:
    """Run just-committed jobs in-process when PORTAL_JOBS_INLINE says so; else the worker will."""
    mode = current_app.config.get("PORTAL_JOBS_INLINE", "")
    if not job_ids or mode not in ("sync", "thread"):
        return
    from portal.extensions import db

    if mode == "sync":
        for job_id in job_ids:
            run_due(db.session, current_app.config, job_id=job_id)
        return
    app = current_app._get_current_object()

    def run() -> None:
        with app.app_context():
            for job_id in job_ids:
                run_due(db.session, app.config, job_id=job_id)
            db.session.remove()

    threading.Thread(target=run, name=f"jobs-{job_ids[0]}", daemon=True).start()


def latest_job(session: Session, subject: str) -> Job | None:
    return session.scalar(select(Job).where(Job.subject == subject).order_by(Job.id.desc()).limit(1))


def jobs_needing_attention(session: Session) -> list[Job]:
    """Failed jobs, and queued or running ones, newest first: what /admin/jobs shows."""
    return list(session.scalars(select(Job).where(Job.status != JobStatus.done)
                                .order_by(Job.id.desc()).limit(200)))


def retry(session: Session, job_id: int, actor_id: int) -> Job | None:
    """Put a failed job back in the queue with a fresh count of attempts."""
    job = session.get(Job, job_id)
    if job is None or job.status is not JobStatus.failed:
        return None
    job.status, job.attempts, job.run_after, job.progress = JobStatus.queued, 0, utcnow(), 0
    _handlers()[job.kind][1](session, job, False)
    session.flush()
    session.info.setdefault("queued_jobs", []).append(job.id)
    record(session, "job_retried", actor_id=actor_id, agreement_id=job.agreement_id,
           job_id=job.id, job_kind=job.kind)
    return job
