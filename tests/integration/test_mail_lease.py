"""A killed worker's mails and jobs are taken over after a short lease; a live worker renews its
lease and keeps its claim however long one mail or job takes; a mail sent again after a takeover
carries the same Message-ID, so mail clients fold the duplicate."""

import asyncio
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.jobs import services as jobs
from portal.jobs.models import Job, JobStatus
from portal.mail.delivery import build_message, claim, deliver_due, send
from portal.mail.models import MailStatus, OutboxMail
from portal.timeutil import utcnow
from tests.integration import test_mail
from tests.integration.test_mail import Inbox, change_phone, free_port

#: workers in threads and processes, each with a connection of its own
pytestmark = pytest.mark.committing

#: fixtures shared with test_mail: the contacts world and the SMTP settings
world, smtp = test_mail.world, test_mail.smtp

ROOT = Path(__file__).resolve().parents[2]


def test_a_killed_workers_mails_are_taken_over_after_a_minute_with_the_same_message_id(app, db, world, smtp):
    inbox = smtp()
    change_phone(db, world)
    lease = app.config["PORTAL_MAIL_CLAIM_LEASE_SECONDS"]
    assert lease <= 60
    # worker A claims both mails, the SMTP server takes the first, and A is killed before `sent`
    token, mails = claim(db.session, 50, lease)
    assert len(mails) == 2
    config = app.config
    send(
        build_message(
            mails[0],
            config["PORTAL_SMTP_FROM"],
            installation_key=config["PORTAL_KEY_ENCRYPTION_KEY"],
            base_url=config["PORTAL_BASE_URL"],
        ),
        config,
    )
    db.session.rollback()
    assert deliver_due(db.session, app.config).sent == 0  # within the lease nobody touches them
    db.session.execute(update(OutboxMail).values(claimed_at=utcnow() - timedelta(seconds=lease + 1)))
    db.session.commit()
    assert deliver_due(db.session, app.config).sent == 2  # one lease later, worker B sends them
    ids = [message["Message-ID"] for _, message in inbox.messages]
    assert len(ids) == 3 and ids[0] == ids[1] and ids[2] != ids[0]  # the duplicate folds
    assert all(i.endswith("@127.0.0.1>") for i in ids)
    db.session.expire_all()
    assert {m.status for m in db.session.scalars(select(OutboxMail))} == {MailStatus.sent}


class SlowInbox(Inbox):
    """Takes the first mail, then holds its answer until released: a slow SMTP server."""

    def __init__(self):
        super().__init__()
        self.holding, self.release = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        answer = await super().handle_DATA(server, session, envelope)
        if not self.holding.is_set():
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        return answer


@pytest.fixture
def slow_smtp(app, smtp, monkeypatch):
    """The SMTP settings of `smtp`, pointing at a slow server."""
    inbox = SlowInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    monkeypatch.setitem(app.config, "PORTAL_SMTP_PORT", controller.port)
    controller.start()
    yield inbox
    inbox.release.set()
    controller.stop()


def test_a_killed_worker_process_leaves_a_duplicate_with_the_same_message_id(
    app, db, world, slow_smtp, tmp_path
):
    """A real `portal worker` is killed after the SMTP server took its first mail and before it
    recorded it as sent; one lease later another worker sends both: the first twice, with one
    Message-ID."""
    inbox = slow_smtp
    change_phone(db, world)
    config = app.config
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "PORTAL_DATA_DIR": str(tmp_path),
        "PORTAL_STORAGE_URL": config["PORTAL_STORAGE_URL"],
        "PORTAL_SECRET_KEY": config["SECRET_KEY"],
        "PORTAL_KEY_ENCRYPTION_KEY": config["PORTAL_KEY_ENCRYPTION_KEY"],
        "PORTAL_BASE_URL": config["PORTAL_BASE_URL"],
        "PORTAL_SMTP_HOST": "127.0.0.1",
        "PORTAL_SMTP_PORT": str(config["PORTAL_SMTP_PORT"]),
        "PORTAL_SMTP_STARTTLS": "false",
        "PORTAL_SMTP_FROM": config["PORTAL_SMTP_FROM"],
        "PORTAL_JOBS_INLINE": "",
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", "from portal.__main__ import main; main()", "worker", "--once"],
        env=env,
        cwd=ROOT,
    )
    try:
        assert inbox.holding.wait(120)  # the server has the first mail; the worker awaits the answer
    finally:
        worker.kill()
        worker.wait(30)
    inbox.release.set()
    assert deliver_due(db.session, config).sent == 0  # within the lease nobody touches them
    lease = config["PORTAL_MAIL_CLAIM_LEASE_SECONDS"]
    db.session.execute(update(OutboxMail).values(claimed_at=utcnow() - timedelta(seconds=lease + 1)))
    db.session.commit()
    assert deliver_due(db.session, config).sent == 2
    by_event = {}
    for _, message in inbox.messages:
        by_event.setdefault(message["X-Sopu-Event"], []).append(message["Message-ID"])
    assert sorted(len(ids) for ids in by_event.values()) == [1, 2]
    assert all(len(set(ids)) == 1 for ids in by_event.values())  # the duplicate folds
    assert len({ids[0] for ids in by_event.values()}) == 2


def test_a_live_worker_renewing_its_lease_keeps_its_claim(app, db, world, slow_smtp, monkeypatch):
    inbox = slow_smtp
    monkeypatch.setitem(app.config, "PORTAL_MAIL_CLAIM_LEASE_SECONDS", 0.4)
    change_phone(db, world)
    results, engine = [], db.engine

    def worker_a():
        with Session(engine) as session:
            results.append(deliver_due(session, app.config))

    thread = threading.Thread(target=worker_a)
    thread.start()
    try:
        assert inbox.holding.wait(30)
        time.sleep(1.6)  # four leases while worker A waits for the SMTP server's answer
        assert deliver_due(db.session, app.config).sent == 0  # A's claim was renewed: nothing due
    finally:
        inbox.release.set()
        thread.join(60)
    assert results and results[0].sent == 2
    ids = [message["Message-ID"] for _, message in inbox.messages]
    assert len(ids) == 2 and len(set(ids)) == 2  # each mail once


def test_a_long_running_job_keeps_its_lease(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_JOBS_INLINE", "")
    monkeypatch.setitem(app.config, "PORTAL_JOB_LEASE_SECONDS", 0.4)
    started, release, runs = threading.Event(), threading.Event(), []

    def slow(session, job):
        runs.append(job.id)
        started.set()
        release.wait(30)

    monkeypatch.setitem(jobs.HANDLERS, "slow", jobs.Handler(slow, lambda *_: None))
    jobs.enqueue(db.session, "slow", {})
    db.session.commit()
    results, engine = [], db.engine

    def worker_a():
        with Session(engine) as session:
            results.append(jobs.run_due(session, app.config))

    thread = threading.Thread(target=worker_a)
    thread.start()
    try:
        assert started.wait(30)
        time.sleep(1.6)  # four leases while the job runs
        assert jobs.run_due(db.session, app.config).done == 0  # nothing to take over
    finally:
        release.set()
        thread.join(60)
    assert results[0].done == 1 and len(runs) == 1
    db.session.expire_all()
    job = db.session.scalar(select(Job))
    assert job.status is JobStatus.done and job.attempts == 1


def test_a_killed_workers_job_is_taken_over_after_a_minute(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_JOBS_INLINE", "")
    runs = []
    monkeypatch.setitem(jobs.HANDLERS, "quick", jobs.Handler(lambda s, j: runs.append(j.id), lambda *_: None))
    jobs.enqueue(db.session, "quick", {})
    db.session.commit()
    lease = app.config["PORTAL_JOB_LEASE_SECONDS"]
    assert lease <= 60
    assert len(jobs.claim(db.session, 10, lease)) == 1  # and then that worker was killed
    assert jobs.run_due(db.session, app.config).done == 0
    db.session.execute(update(Job).values(claimed_at=utcnow() - timedelta(seconds=lease + 1)))
    db.session.commit()
    assert jobs.run_due(db.session, app.config).done == 1 and len(runs) == 1
