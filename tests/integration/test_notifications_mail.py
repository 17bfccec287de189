"""Invitations, reminders and entry into force, delivered through a real SMTP server on loopback
(aiosmtpd): the right recipients, in their language, exactly once."""

from datetime import timedelta

from sqlalchemy import select, update

from portal.appctx import document_context, links
from portal.auth.domain import Role
from portal.documents import services as documents
from portal.mail.delivery import deliver_due
from portal.notifications.models import Notification, SigningRound
from portal.notifications.services import queue_reminders
from portal.timeutil import utcnow
from tests.factories import sign_in
from tests.integration.test_mail import by_recipient, smtp  # noqa: F401 (fixture)
from tests.integration.test_signing_flow import approve


def open_with_people(factory, parties=2):
    """An agreement opened for signature once a Swedish-speaking representative, a lawyer and an
    outsider exist: (agreement, orgs, representatives, admin, others)."""
    agreement, orgs, reps, admin = factory.agreement(parties=parties, opened=False)
    reps.append(factory.user(orgs[1], Role.representative, locale="sv"))
    others = [factory.user(orgs[0], Role.lawyer), factory.user(factory.org(), Role.representative)]
    documents.open_for_signature(
        factory.session,
        document_context(),
        agreement.main_document,
        admin,
        title=agreement.title,
        language="fi",
    )
    factory.session.commit()
    return agreement, orgs, reps, admin, others


def bodies(message):
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_invitations_reach_exactly_the_representatives_once_in_their_language(app, db, factory, smtp):  # noqa: F811
    inbox = smtp()
    agreement, orgs, reps, admin, others = open_with_people(factory)
    assert deliver_due(db.session, app.config).sent == 3
    assert deliver_due(db.session, app.config).sent == 0
    received = by_recipient(inbox)
    assert sorted(received) == sorted(r.email for r in reps)
    assert all(len(messages) == 1 for messages in received.values())
    fi, sv = received[reps[0].email][0], received[reps[2].email][0]
    assert fi["Content-Language"] == "fi" and fi["Subject"] == f"Allekirjoitettavana: {agreement.title}"
    assert sv["Content-Language"] == "sv" and sv["Subject"] == f"Att underteckna: {agreement.title}"
    for message in (fi, sv):
        text, html = bodies(message)
        assert f"http://127.0.0.1:5000/agreements/{agreement.id}" in text
        assert f'href="http://127.0.0.1:5000/agreements/{agreement.id}"' in html
    assert "Underteckna i portalen" in bodies(sv)[0]
    notified = {(n.user_id, n.kind.value) for n in db.session.scalars(select(Notification))}
    assert {user for user, kind in notified if kind != "decision_due"} == {r.id for r in reps}
    # the administrator is told in the portal (not by mail) that the decisions are to be recorded
    assert {user for user, kind in notified if kind == "decision_due"} == {admin.id}


def test_entry_into_force_reaches_every_user_of_every_party_once(app, db, factory, smtp):  # noqa: F811
    agreement, orgs, reps, admin, others = open_with_people(factory)
    viewer = factory.user(orgs[1], Role.viewer, locale="sv")
    factory.session.commit()
    for rep in reps[:2]:
        assert (
            sign_in(app.test_client(), rep)
            .post(
                f"/documents/{agreement.main_document_id}/sign",
                data={"read": "y", "place": "Tampere", "password": "pw"},
            )
            .status_code
            == 302
        )
    secretary = sign_in(app.test_client(), admin)
    for org in orgs:
        assert approve(secretary, agreement, org).status_code == 200
    inbox = smtp()
    assert deliver_due(db.session, app.config).sent == 3 + 5  # invitations, then everyone
    assert deliver_due(db.session, app.config).sent == 0
    in_force = [(rcpts, m) for rcpts, m in inbox.messages if "sign-invitation" not in m["X-Sopu-Event"]]
    # everyone who holds a role in the agreement; the portal's administrator holds none
    everyone = [*reps, others[0], viewer]
    assert sorted(r for rcpts, _ in in_force for r in rcpts) == sorted(u.email for u in everyone)
    message = next(m for rcpts, m in in_force if rcpts == [viewer.email])
    assert message["Content-Language"] == "sv" and message["Subject"] == f"I kraft: {agreement.title}"
    text, html = bodies(message)
    download = f"http://127.0.0.1:5000/documents/{agreement.main_document_id}/pdf"
    assert download in text and f'href="{download}"' in html and "trädde i kraft" in text


def test_reminders_respect_the_interval_and_the_cap(app, db, factory, smtp, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "PORTAL_REMINDER_DAYS", 7)
    monkeypatch.setitem(app.config, "PORTAL_REMINDER_MAX", 2)
    agreement, orgs, reps, admin, others = open_with_people(factory)
    assert (
        sign_in(app.test_client(), reps[0])
        .post(
            f"/documents/{agreement.main_document_id}/sign",
            data={"read": "y", "place": "Tampere", "password": "pw"},
        )
        .status_code
        == 302
    )
    opened = db.session.get(SigningRound, agreement.main_document_id).opened_at
    pending = sorted(r.email for r in reps[1:])  # the party that has not signed

    def remind(days):
        queued = queue_reminders(db.session, links(), app.config, now=opened + timedelta(days=days))
        db.session.commit()
        return queued

    inbox = smtp()
    deliver_due(db.session, app.config)
    inbox.messages.clear()
    assert remind(6.9) == 0
    assert remind(7) == 2 and remind(8) == 0  # reminder 1, once
    assert remind(14) == 2  # reminder 2
    assert remind(21) == 0 and remind(400) == 0  # the cap
    assert deliver_due(db.session, app.config).sent == 4
    received = by_recipient(inbox)
    assert sorted(received) == pending and all(len(m) == 2 for m in received.values())
    subjects = sorted(m["Subject"] for m in received[reps[2].email])
    assert subjects == [
        f"Påminnelse 1: underteckna {agreement.title}",
        f"Påminnelse 2: underteckna {agreement.title}",
    ]


def test_the_worker_queues_due_reminders_each_pass(app, db, factory, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "PORTAL_SMTP_HOST", "")
    monkeypatch.setitem(app.config, "PORTAL_DATA_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "PORTAL_REMINDER_MAX", 1)
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    db.session.execute(update(SigningRound).values(opened_at=utcnow() - timedelta(days=8)))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0 and "queued 2 reminders" in result.output
    assert "sent 2, to retry 0, failed 0" in result.output
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert "queued" not in result.output and "sent 0" in result.output


def test_annex_mail_reaches_the_lawyers_and_its_own_parties_only(app, db, factory, smtp):  # noqa: F811
    """A new annex version and a new blocker go to the lawyers of the annex agreement's parties
    and the administrators (not the uploader for the version), not to the third party's lawyer;
    the annex agreement's invitation to its own parties' representatives only."""
    agreement, orgs, reps, admin = factory.agreement(parties=3)
    lawyers = [
        factory.user(orgs[0], Role.lawyer),
        factory.user(orgs[1], Role.lawyer, locale="sv"),
        factory.user(orgs[2], Role.lawyer),
    ]
    factory.session.commit()
    inbox = smtp()
    outsider = "YHTEISTYÖSOPIMUKSEN LIITESOPIMUS\nTavoite 1. Myös Helsingin kaupunki osallistuu."
    document = factory.annex(agreement, lawyers[0], outsider, parties=[o.business_id for o in orgs[:2]])
    assert deliver_due(db.session, app.config).sent == 2 + 3
    received = by_recipient(inbox)
    kinds = {
        email: sorted(m["X-Sopu-Event"].split(":")[0] for m in messages)
        for email, messages in received.items()
    }
    assert kinds == {
        lawyers[0].email: ["annex-blocker"],
        lawyers[1].email: ["annex-blocker", "annex-version"],
        admin.email: ["annex-blocker", "annex-version"],
    }
    swedish = next(m for m in received[lawyers[1].email] if "annex-blocker" in m["X-Sopu-Event"])
    assert swedish["Content-Language"] == "sv" and swedish["Subject"].startswith("Hinder")
    assert f"http://127.0.0.1:5000/documents/{document.id}" in bodies(swedish)[0]

    inbox.messages.clear()
    clean = factory.annex(agreement, lawyers[0], parties=[o.business_id for o in orgs[:2]])
    factory.open_annex(clean, admin)
    deliver_due(db.session, app.config)
    invited = sorted(
        r for rcpts, m in inbox.messages if "sign-invitation" in m["X-Sopu-Event"] for r in rcpts
    )
    assert invited == sorted(r.email for r in reps[:2])
    invitation = next(m for _, m in inbox.messages if "sign-invitation" in m["X-Sopu-Event"])
    assert "Liitesopimus" in invitation["Subject"] and f"/documents/{clean.id}" in bodies(invitation)[0]
