"""The worker wakes on work, not on a timer (PostgreSQL LISTEN/NOTIFY), and its reminder pass
reads only the signing rounds that are due."""

import os
import queue
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from portal.appctx import links
from portal.mail import services as mail
from portal.mail.models import MailStatus, OutboxMail
from portal.notifications.models import SigningRound
from portal.notifications.services import queue_reminders
from portal.queue.wake import Waiter
from portal.timeutil import utcnow


class Person:
    display_name = "Maija Meikäläinen"

    class organisation:  # noqa: N801 (what the template reads)
        name = "Nokian kaupunki"


def queue_mail(session, key="wake-test"):
    mail.enqueue(
        session,
        key,
        kind="sign_reminder",
        recipient="x@example.invalid",
        language="fi",
        agreement=None,
        user=Person,
        title="T",
        number=1,
        link="http://x/",
        base_url="http://x/",
    )


@pytest.mark.committing  # NOTIFY is delivered at a real commit only
def test_a_worker_is_woken_by_the_commit_of_queued_work_not_before(app, db):
    with Waiter(db.engine.url) as waiter:
        if app.config["BACKEND"] == "sqlite":  # no notifications: the timer is the only wake-up
            assert not waiter.listening and not waiter.wait(0.01)
            return
        assert waiter.listening
        queue_mail(db.session)
        assert not waiter.wait(0.3)  # queued but not committed: nobody is woken
        db.session.commit()
        assert waiter.wait(30)  # the commit wakes it (long before the timeout)
        assert not waiter.wait(0.1)  # one wake-up for one transaction
        queue_mail(db.session, "rolled-back")
        db.session.rollback()
        assert not waiter.wait(0.3)  # a rolled-back queue wakes nobody


@pytest.mark.committing  # the worker is a process of its own: it must see the queued mail
def test_a_sleeping_worker_delivers_what_is_queued_without_waiting_for_its_timer(app, db):
    """`portal worker` in its own process, its timer at 10 minutes on PostgreSQL: the mail queued
    while it sleeps is delivered because the commit wakes it. (On SQLite the timer, 1 s, does.)"""
    postgres = app.config["BACKEND"] == "postgresql"
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "PORTAL_DATA_DIR": app.config["PORTAL_DATA_DIR"],
        "PORTAL_SMTP_HOST": "",
        "PORTAL_WORKER_INTERVAL_SECONDS": "600" if postgres else "1",
        "PORTAL_ENV": "development",
    }
    queue_mail(db.session, "before-start")
    db.session.commit()
    worker = subprocess.Popen(
        [sys.executable, "-m", "portal", "worker"],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in worker.stdout], daemon=True).start()
    try:
        first = _sent(lines)  # its first pass delivered the mail queued before it started
        assert first.startswith("sent 1,"), first
        time.sleep(2)  # it has gone to sleep on its listener (or its 1-second timer)
        queue_mail(db.session, "while-asleep")
        db.session.commit()
        second = _sent(lines)
        assert second.startswith("sent 1,"), second
        assert _status(db, "while-asleep") is MailStatus.sent
    finally:
        worker.terminate()
        worker.wait(10)


def _sent(lines) -> str:
    """The worker's next line about delivered mail (it may first say it sealed the audit head)."""
    while not (line := lines.get(timeout=60)).startswith("sent"):
        pass
    return line


def _status(db, key):
    db.session.expire_all()
    return db.session.scalar(select(OutboxMail.status).where(OutboxMail.event_key == key))


def test_the_reminder_pass_reads_only_the_due_rounds(app, db, factory, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_REMINDER_DAYS", 7)
    monkeypatch.setitem(app.config, "PORTAL_REMINDER_MAX", 2)
    for _ in range(5):
        factory.agreement(parties=2)
    due_agreement, orgs, reps, admin = factory.agreement(parties=2)
    db.session.execute(
        update(SigningRound)
        .where(SigningRound.document_id == due_agreement.main_document_id)
        .values(opened_at=utcnow() - timedelta(days=8))
    )
    db.session.commit()

    statements = []

    def count(conn, cursor, statement, *args):
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):  # the test's own
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert queue_reminders(db.session, links(), app.config) == 2  # the due round's two parties
        db.session.commit()
        statements.clear()
        assert queue_reminders(db.session, links(), app.config) == 0
        assert len(statements) == 1  # one query, whatever the number of rounds in signing
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    signing_round = db.session.get(SigningRound, due_agreement.main_document_id)
    assert signing_round.reminders_queued == 1
    assert signing_round.next_reminder_at == signing_round.opened_at + timedelta(days=14)


def test_the_reminder_pass_loads_its_batchs_agreements_in_one_query(app, db, factory, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_REMINDER_DAYS", 7)
    monkeypatch.setitem(app.config, "PORTAL_REMINDER_MAX", 2)
    due = [factory.agreement(parties=1)[0] for _ in range(4)]
    db.session.execute(
        update(SigningRound)
        .where(SigningRound.document_id.in_([a.main_document_id for a in due]))
        .values(opened_at=utcnow() - timedelta(days=8))
    )
    db.session.commit()
    db.session.expire_all()
    agreement_reads = []

    def count(conn, cursor, statement, *args):
        if "FROM agreement " in statement or statement.rstrip().endswith("FROM agreement"):
            agreement_reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert queue_reminders(db.session, links(), app.config) == 4  # one representative each
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(agreement_reads) == 1, agreement_reads  # not one per round
