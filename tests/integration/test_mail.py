"""The outbox delivered through a real SMTP server on loopback (aiosmtpd): right recipients,
right language, exactly once; when the server is down at first; with two workers at once."""

import email
import email.policy
import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.appctx import links
from portal.audit.models import AuditEvent
from portal.contacts import services
from portal.mail.delivery import deliver_due
from portal.mail.models import MailStatus, OutboxMail
from portal.timeutil import utcnow
from tests.integration.test_contacts import build_world


@pytest.fixture
def world(factory):
    return build_world(factory)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def smtp(app, monkeypatch):
    """SMTP settings pointing at a free loopback port; `start()` brings the server up."""
    port = free_port()
    for key, value in {
        "PORTAL_SMTP_HOST": "127.0.0.1",
        "PORTAL_SMTP_PORT": port,
        "PORTAL_SMTP_STARTTLS": False,
        "PORTAL_SMTP_USER": "",
        "PORTAL_SMTP_FROM": "Sopu <sopu@example.invalid>",
        "PORTAL_MAIL_RETRY_BASE_SECONDS": 60,
        "PORTAL_MAIL_MAX_ATTEMPTS": 3,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    inbox = Inbox()
    controllers = []

    def start():
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


def change_phone(db, world):
    services.update_own_details(db.session, links(), world["me_user"], world["me"].id, phone="050 7654 321")
    db.session.commit()


def by_recipient(inbox):
    out = {}
    for rcpts, message in inbox.messages:
        for rcpt in rcpts:
            out.setdefault(rcpt, []).append(message)
    return out


def test_the_notice_reaches_every_other_partys_contacts_and_no_one_else(app, db, world, smtp):
    inbox = smtp()
    change_phone(db, world)
    assert deliver_due(db.session, app.config).sent == 2
    assert deliver_due(db.session, app.config).sent == 0  # exactly once
    received = by_recipient(inbox)
    assert sorted(received) == sorted([world["fi"].email, world["sv"].email])
    assert all(len(messages) == 1 for messages in received.values())
    party = world["orgs"][0].name
    fi, sv = received[world["fi"].email][0], received[world["sv"].email][0]
    for message in (fi, sv):
        assert party in message["Subject"] and world["a"].title in message["Subject"]
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "040 111" in text and "050 7654 321" in text  # old and new
        assert "050 7654 321" in html and f"/agreements/{world['a'].id}" in html
    assert fi["Content-Language"] == "fi" and "Nimi:" in fi.get_body(("plain",)).get_content()
    assert sv["Content-Language"] == "sv" and "Namn:" in sv.get_body(("plain",)).get_content()
    sent = db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "mail.sent")).all()
    assert sorted(e.payload["recipient"] for e in sent) == sorted(received)
    assert {e.agreement_id for e in sent} == {world["a"].id}


def test_server_down_then_up_delivers_once(app, db, world, smtp):
    change_phone(db, world)
    before = utcnow()
    drained = deliver_due(db.session, app.config)  # nothing listens on the port yet
    assert (drained.sent, drained.retried) == (0, 2)
    db.session.expire_all()
    mails = db.session.scalars(select(OutboxMail)).all()
    assert all(m.status is MailStatus.queued and m.attempts == 1 for m in mails)
    assert all(m.next_attempt_at >= before + timedelta(seconds=59) and m.last_error for m in mails)
    inbox = smtp()
    assert deliver_due(db.session, app.config).sent == 0  # not due yet: the backoff holds
    db.session.execute(update(OutboxMail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert deliver_due(db.session, app.config).sent == 2
    assert deliver_due(db.session, app.config).sent == 0
    assert sorted(len(m) for m in by_recipient(inbox).values()) == [1, 1]


def test_a_mail_that_keeps_failing_is_shown_to_the_administrator(app, db, world, smtp, login):
    change_phone(db, world)
    for _ in range(3):
        db.session.execute(update(OutboxMail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        deliver_due(db.session, app.config)
    db.session.expire_all()
    mails = db.session.scalars(select(OutboxMail)).all()
    assert {(m.status, m.attempts) for m in mails} == {(MailStatus.failed, 3)}
    client = login(world["admin"])
    page = client.get("/admin/outbox").text
    assert all(m.recipient in page for m in mails) and "ConnectionRefusedError" in page
    assert client.post(f"/admin/outbox/{mails[0].id}/retry").status_code == 302
    inbox = smtp()
    assert deliver_due(db.session, app.config).sent == 1
    assert list(by_recipient(inbox)) == [mails[0].recipient]


def test_embedded_default_writes_eml_files(app, db, world, monkeypatch, tmp_path):
    """`portal worker --once` without PORTAL_SMTP_HOST: each mail a file under <data>/mail/."""
    monkeypatch.setitem(app.config, "PORTAL_SMTP_HOST", "")
    monkeypatch.setitem(app.config, "PORTAL_DATA_DIR", str(tmp_path))
    change_phone(db, world)
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0 and "sent 2, to retry 0, failed 0" in result.output
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert "050 7654 321" in message.get_body(("plain",)).get_content()


@pytest.mark.committing  # two workers, each with a connection of its own
def test_two_workers_drain_one_outbox_exactly_once(app, db, world, smtp):
    """Each worker is a thread with its own session and connection; on PostgreSQL they claim
    with FOR UPDATE SKIP LOCKED, on SQLite by a conditional UPDATE under the write lock."""
    inbox = smtp()
    for n in range(10):  # 10 changes x 2 recipients = 20 mails
        services.update_own_details(db.session, links(), world["me_user"], world["me"].id, phone=f"050 {n}")
    db.session.commit()
    engine = db.engine
    barrier = threading.Barrier(2)
    errors = []

    def work():
        try:
            with Session(engine) as session:
                barrier.wait()
                while deliver_due(session, app.config, limit=2).sent:
                    pass
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    workers = [threading.Thread(target=work) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert errors == []
    keys = [m["X-Sopu-Event"] for _, m in inbox.messages]
    assert len(keys) == 20 and len(set(keys)) == 20
    db.session.expire_all()
    assert {m.status for m in db.session.scalars(select(OutboxMail))} == {MailStatus.sent}


def test_a_claim_whose_worker_died_is_taken_over_after_the_lease(app, db, world, smtp):
    """The at-least-once window: a worker that died between claim and `sent` leaves the mail in
    `sending`; after the lease another worker sends it. Within the lease nobody touches it."""
    inbox = smtp()
    change_phone(db, world)
    db.session.execute(
        update(OutboxMail).values(status=MailStatus.sending, claim_token="dead", claimed_at=utcnow())
    )
    db.session.commit()
    assert deliver_due(db.session, app.config).sent == 0
    db.session.execute(update(OutboxMail).values(claimed_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert deliver_due(db.session, app.config).sent == 2
    assert len(inbox.messages) == 2


def test_the_notice_also_shows_in_the_recipients_portal(app, db, world, login):
    from portal.notifications.models import Notification, NotificationKind

    change_phone(db, world)
    rows = db.session.scalars(select(Notification)).all()
    assert sorted(n.user_id for n in rows) == sorted([world["fi"].user_id, world["sv"].user_id])
    assert {n.kind for n in rows} == {NotificationKind.contact_changed}
    assert sorted(n.event_key for n in rows) == sorted(
        m.event_key for m in db.session.scalars(select(OutboxMail))
    )
    user = db.session.get(type(world["me_user"]), world["sv"].user_id)
    page = login(user).get("/notifications").text
    assert f"{world['orgs'][0].name}" in page and f'href="/agreements/{world["a"].id}"' in page
