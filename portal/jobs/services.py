"""Queue, claim and run background jobs.

A job is committed with the change that causes it. `portal worker` claims due jobs the way it
claims mail (queue.QueueRow: a conditional UPDATE with a claim token; FOR UPDATE SKIP LOCKED on
PostgreSQL, so several workers take disjoint jobs), runs each handler and commits after each. A
job that raises is retried with backoff up to PORTAL_JOB_MAX_ATTEMPTS, then `failed`: shown with
its error on /admin/jobs, where the administrator can retry it. A worker that died leaves a
`running` job whose lease (PORTAL_JOB_LEASE_SECONDS, a minute) expires, and another worker takes
it over: nothing stays stuck. A live worker renews the lease of its claimed jobs while it runs them.

Features register the handler of each kind of job at app setup (register()), as RQ and Celery
tasks register: this module knows no feature. jobs.inline runs a job right after the request that
queued it committed, in development and tests."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.audit.services import record
from portal.jobs.models import Job, JobStatus
from portal.queue import wake
from portal.timeutil import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handler:
    #: does the job; raises to have it retried
    run: Callable[[Session, Job], None]
    #: told that an attempt failed: for good (True) or to be retried (False), or that the
    #: administrator requeued a failed job (False)
    failed: Callable[[Session, Job, bool], None]


#: kind -> handler, filled by register() at app setup
HANDLERS: dict[str, Handler] = {}


def register(
    kind: str, *, run: Callable[[Session, Job], None], failed: Callable[[Session, Job, bool], None]
) -> None:
    """Make `kind` runnable. Registering the same handler again (a second app in one process) is
    harmless; another handler under a taken name is a mistake."""
    handler = Handler(run, failed)
    if HANDLERS.setdefault(kind, handler) != handler:
        raise ValueError(f"another handler is registered for job kind {kind!r}")


@dataclass
class Drained:
    done: int = 0
    retried: int = 0
    failed: int = 0


def enqueue(
    session: Session, kind: str, payload: dict, agreement_id: int | None = None, subject: str | None = None
) -> Job:
    job = Job(
        kind=kind,
        payload=payload,
        agreement_id=agreement_id,
        subject=subject,
        status=JobStatus.queued,
        run_after=utcnow(),
    )
    session.add(job)
    session.flush()
    wake.notify(session)
    session.info.setdefault("queued_jobs", []).append(job.id)
    return job


def set_progress(session: Session, job: Job, percent: int) -> None:
    """Commit the progress at once, so that the page following the job sees it. Handlers call
    it only where they have nothing else uncommitted."""
    session.execute(
        update(Job)
        .where(Job.id == job.id)
        .values(progress=percent)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def claim(session: Session, limit: int, lease_seconds: float, job_id: int | None = None) -> list[Job]:
    """Claim up to `limit` due jobs (or just `job_id`) for this worker and commit the claim."""
    _, jobs = Job.claim(session, limit, lease_seconds, only_id=job_id, attempts=Job.attempts + 1)
    return jobs


def run_due(session: Session, config, limit: int = 10, job_id: int | None = None) -> Drained:
    """One pass: claim what is due and run it, committing after each job."""
    drained = Drained()
    lease = float(config.get("PORTAL_JOB_LEASE_SECONDS", 60))
    claimed = claim(session, limit, lease, job_id)
    if not claimed:
        return drained
    # renewed while this worker runs the batch: a long check keeps its jobs, a killed worker's
    # jobs are taken over one lease later
    token = claimed[0].claim_token
    assert token is not None, "claimed jobs carry their claim token"
    with Job.lease_kept(session, token, lease):
        for job in claimed:
            _run(session, job, token, config, drained)
    return drained


def _run(session: Session, job: Job, token: str, config, drained: Drained) -> None:
    job_id, attempts, kind = job.id, job.attempts, job.kind
    try:
        HANDLERS[kind].run(session, job)
    except Exception as error:  # noqa: BLE001 - any failure is recorded on the job and retried
        session.rollback()
        log.warning("job %s (%s) failed: %s", job_id, kind, type(error).__name__)
        state = Job.fail(
            session,
            job_id,
            token,
            error,
            failed_attempts=attempts,
            max_attempts=int(config.get("PORTAL_JOB_MAX_ATTEMPTS", 3)),
            retry_seconds=float(config.get("PORTAL_JOB_RETRY_SECONDS", 30)),
        )
        if state is not None and kind in HANDLERS:
            HANDLERS[kind].failed(session, job, state is JobStatus.failed)
        if state is JobStatus.failed:
            record(
                session,
                "job_failed",
                agreement_id=job.agreement_id,
                job_id=job_id,
                job_kind=kind,
                attempts=attempts,
            )
            drained.failed += 1
        elif state is not None:
            drained.retried += 1
        session.commit()
        return
    if Job.finish(session, job_id, token, progress=100, finished_at=utcnow()):
        drained.done += 1
        session.commit()
    else:  # the lease ran out and another worker took the job over: its result stands
        session.rollback()


def latest_job(session: Session, subject: str) -> Job | None:
    return session.scalar(select(Job).where(Job.subject == subject).order_by(Job.id.desc()).limit(1))


def jobs_needing_attention(session: Session) -> list[Job]:
    """Failed jobs, and queued or running ones, newest first: what /admin/jobs shows."""
    return list(
        session.scalars(select(Job).where(Job.status != JobStatus.done).order_by(Job.id.desc()).limit(200))
    )


def retry(session: Session, job_id: int, actor_id: int) -> Job | None:
    """Put a failed job back in the queue with a fresh count of attempts."""
    job = session.get(Job, job_id)
    if job is None or not job.requeue():
        return None
    job.progress = 0
    HANDLERS[job.kind].failed(session, job, False)
    session.flush()
    session.info.setdefault("queued_jobs", []).append(job.id)
    record(
        session,
        "job_retried",
        actor_id=actor_id,
        agreement_id=job.agreement_id,
        job_id=job.id,
        job_kind=job.kind,
    )
    return job
