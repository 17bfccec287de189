"""Running health (issue 13 item 8): /admin/health and /healthz say when the worker last ran,
what waits and for how long, and warn when mail waits while nothing is delivered."""

from datetime import timedelta

from sqlalchemy import update

from portal.auth.domain import Role
from portal.mail.models import OutboxMail
from portal.timeutil import utcnow

ALERT = 'role="alert"'


def in_english(db, user):
    user.locale = "en"
    db.session.commit()
    return user


def health_page(client) -> str:
    response = client.get("/admin/health")
    assert response.status_code == 200
    return response.text


def test_never_ran_then_fresh_after_a_worker_pass(app, db, factory, login, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "PORTAL_SMTP_HOST", "")
    monkeypatch.setitem(app.config, "PORTAL_DATA_DIR", str(tmp_path))
    agreement, orgs, reps, admin = factory.agreement(parties=2, invitations=True)
    client = login(in_english(db, admin))
    page = health_page(client)
    assert "Never: no worker has run." in page and ALERT not in page
    assert "2, the oldest for" in page  # two invitations wait, just queued: no warning yet
    assert app.test_cli_runner().invoke(args=["worker", "--once"]).exit_code == 0
    page = health_page(client)
    assert "Never" not in page and "not within the warning time" not in page and ALERT not in page
    assert client.get("/healthz").json["worker"] == "running"
    assert client.get("/healthz").json["waiting_mails"] == 0


def test_stale_while_mail_waits_warns_on_the_page_the_outbox_and_healthz(app, db, factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=3, invitations=True)
    db.session.execute(update(OutboxMail).values(created_at=utcnow() - timedelta(minutes=45)))
    db.session.commit()
    anonymous = app.test_client().get("/healthz")  # before anyone signs in on this app context
    assert anonymous.status_code == 503 and anonymous.json == {"status": "stalled"}
    client = login(in_english(db, admin))
    page = health_page(client)
    assert ALERT in page and "Nothing has been delivered while mail waits: 3 mails" in page
    outbox = client.get("/admin/outbox").text
    assert ALERT in outbox and "No mail has failed for good." in outbox
    assert "has been sent" not in outbox and "3, the oldest for 45" in outbox  # never "all sent"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "stalled" and response.json["waiting_mails"] == 3


def test_a_short_stale_time_is_configurable(app, db, factory, login, config_override):
    config_override(PORTAL_HEALTH_STALE_MINUTES=1)
    agreement, orgs, reps, admin = factory.agreement(parties=2, invitations=True)
    db.session.execute(update(OutboxMail).values(created_at=utcnow() - timedelta(minutes=2)))
    db.session.commit()
    assert ALERT in health_page(login(in_english(db, admin)))


def test_only_the_administrator_sees_details(app, db, factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    lawyer = factory.user(orgs[0], Role.lawyer)
    db.session.commit()
    client = login(lawyer)
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/admin/health").status_code == 403
