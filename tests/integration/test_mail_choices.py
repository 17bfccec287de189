"""Mail that reaches the right people (issue 13 item 7), delivered through a real SMTP server on
loopback: an annex upload in a 25-party agreement reaches only its own parties' lawyers and the
administrators; each person's choice per kind (at once, daily digest, none) holds, the required
kinds still arrive; notifications are done once the person (or their party) acted."""

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from portal.annexes import services as annexes
from portal.appctx import document_context, links
from portal.auth.domain import Role
from portal.authority.services import signer_passphrase
from portal.documents import services as documents
from portal.documents.domain import DecisionType
from portal.errors import PortalError
from portal.mail.delivery import deliver_due
from portal.mail.models import OutboxMail
from portal.notifications import preferences
from portal.notifications.digest import queue_digests
from portal.notifications.models import Notification, NotificationKind
from tests.factories import sample_pdf
from tests.integration.test_annexes import COSTS
from tests.integration.test_mail import by_recipient, smtp  # noqa: F401 (fixture)

#: 09:00 in Helsinki on a winter day: after the digest hour
MORNING = datetime(2026, 12, 3, 7, 0)


def big_agreement(factory, parties=25):
    """An agreement of `parties` parties, each with a lawyer: (agreement, orgs, reps, lawyers, admin)."""
    agreement, orgs, reps, admin = factory.agreement(parties=parties)
    lawyers = [factory.user(org, Role.lawyer) for org in orgs]
    factory.session.commit()
    return agreement, orgs, reps, lawyers, admin


def annex_mail(inbox) -> dict[str, list[str]]:
    """recipient → the kinds of annex mail received ("annex-version", "annex-blocker")."""
    return {
        email: sorted(m["X-Sopu-Event"].split(":")[0] for m in messages)
        for email, messages in by_recipient(inbox).items()
    }


def test_an_annex_upload_mails_only_its_parties_lawyers_and_the_administrators(app, db, factory, smtp):  # noqa: F811
    agreement, orgs, reps, lawyers, admin = big_agreement(factory)
    inbox = smtp()
    three = [o.business_id for o in orgs[:3]]
    document = factory.annex(agreement, lawyers[0], parties=three)
    deliver_due(db.session, app.config)
    received = annex_mail(inbox)
    # lawyers[0] uploaded it: the other two parties' lawyers and the administrator, one mail each
    assert received == {
        lawyers[1].email: ["annex-version"],
        lawyers[2].email: ["annex-version"],
        admin.email: ["annex-version"],
    }
    assert len(inbox.messages) == 3
    assert all(f"/documents/{document.id}" in m.get_body(("plain",)).get_content() for _, m in inbox.messages)


def test_an_annex_of_the_main_agreement_concerns_every_party(app, db, factory, smtp):  # noqa: F811
    agreement, orgs, reps, lawyers, admin = big_agreement(factory, parties=4)
    inbox = smtp()
    factory.annex(agreement, lawyers[0], kind="annex", parties=[])
    deliver_due(db.session, app.config)
    assert sorted(annex_mail(inbox)) == sorted([lawyer.email for lawyer in lawyers[1:]] + [admin.email])


def test_daily_none_and_the_required_kinds(app, db, factory, smtp):  # noqa: F811
    agreement, orgs, reps, lawyers, admin = big_agreement(factory, parties=3)
    daily, nothing = lawyers[1], lawyers[2]
    preferences.save(db.session, daily, {"annex_version": "daily", "annex_blocker": "daily"})
    preferences.save(db.session, nothing, {"annex_version": "none", "annex_blocker": "none"})
    for person in (daily, nothing):  # what law or the agreement requires cannot be turned off
        preferences.save(db.session, person, {"sign_reminder": "none"})
    db.session.commit()
    inbox = smtp()
    three = [o.business_id for o in orgs]
    first = factory.annex(agreement, lawyers[0], parties=three, title="Liitesopimus A")
    factory.annex(agreement, lawyers[0], parties=three, title="Liitesopimus B")
    factory.annex(agreement, lawyers[0], parties=three, title="Liitesopimus C")
    deliver_due(db.session, app.config)
    received = by_recipient(inbox)
    assert daily.email not in received and nothing.email not in received  # none at once
    assert len(received[admin.email]) == 3  # the administrator chose nothing: at once

    inbox.messages.clear()
    assert queue_digests(db.session, links(), 7, now=MORNING) == 1
    db.session.commit()
    assert queue_digests(db.session, links(), 7, now=MORNING) == 0  # one a day
    deliver_due(db.session, app.config)
    received = by_recipient(inbox)
    assert list(received) == [daily.email] and len(received[daily.email]) == 1
    digest = received[daily.email][0]
    assert digest["Subject"] == "Päivän kooste: 3 asiaa odottaa sinua"
    text = digest.get_body(("plain",)).get_content()
    assert all(f'"Liitesopimus {x}"' in text for x in "ABC") and f"/documents/{first.id}" in text
    assert "&#34;" not in text and "/profile" in text

    # required: the invitation to sign reaches the person who chose "none" for the rest
    inbox.messages.clear()
    nothing_rep = factory.user(orgs[2], Role.representative)
    preferences.save(db.session, nothing_rep, {"sign_reminder": "none"})
    factory.open_annex(first, admin)
    deliver_due(db.session, app.config)
    assert nothing_rep.email in by_recipient(inbox)


def test_a_digest_leaves_out_what_was_done_and_only_sends_when_something_waits(app, db, factory, login):
    agreement, orgs, reps, lawyers, admin = big_agreement(factory, parties=2)
    preferences.save(db.session, lawyers[1], {"annex_version": "daily"})
    db.session.commit()
    document = factory.annex(agreement, lawyers[0])
    assert login(lawyers[1]).get(f"/documents/{document.id}").status_code == 200  # reviewed
    assert queue_digests(db.session, links(), 7, now=MORNING) == 0
    assert db.session.scalar(select(OutboxMail.id).where(OutboxMail.kind == "digest")) is None


def kinds_done(db, user, document_id=None) -> dict[str, bool]:
    """kind → done, of the user's notifications (about one document)."""
    db.session.expire_all()
    query = select(Notification).where(Notification.user_id == user.id)
    if document_id is not None:
        query = query.where(Notification.document_id == document_id)
    return {n.kind.value: n.done_at is not None for n in db.session.scalars(query)}


def test_signing_settles_the_partys_invitations(app, db, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2, invitations=True)
    colleague = factory.user(orgs[0], Role.representative)  # joined after the invitations went
    other = reps[1]
    assert kinds_done(db, reps[0]) == {"sign_invitation": False}
    ctx = document_context()
    documents.sign(
        db.session,
        ctx,
        agreement.main_document_id,
        reps[0],
        signer_passphrase(ctx.key_encryption_key, reps[0], "pw"),
        "Tampere",
    )
    db.session.commit()
    assert kinds_done(db, reps[0]) == {"sign_invitation": True}
    assert kinds_done(db, other) == {"sign_invitation": False}  # another party: still to sign
    assert kinds_done(db, colleague) == {}
    unread = db.session.scalar(select(Notification).where(Notification.user_id == reps[0].id))
    assert unread.read_at is not None  # done is no longer "new"


def test_reviewing_acknowledging_and_a_new_version_settle_annex_notifications(app, db, factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=3)
    lawyers = [factory.user(org, Role.lawyer) for org in orgs]
    db.session.commit()
    document = factory.annex(agreement, lawyers[0], parties=[o.business_id for o in orgs])
    assert kinds_done(db, lawyers[1], document.id) == {"annex_version": False}
    login(lawyers[1]).get(f"/documents/{document.id}")
    assert kinds_done(db, lawyers[1], document.id) == {"annex_version": True}
    assert kinds_done(db, lawyers[2], document.id) == {"annex_version": False}  # only the reader's

    costs = factory.annex(agreement, lawyers[0], COSTS, parties=[o.business_id for o in orgs])
    flags = annexes.flags_with_code(db.session, costs, "costs")
    annexes.acknowledge(db.session, costs, flags, lawyers[2], "Kustannusjako on sovittu erikseen.")
    db.session.commit()
    assert kinds_done(db, lawyers[2], costs.id)["annex_version"] is True
    assert kinds_done(db, lawyers[1], costs.id)["annex_version"] is False

    outsider = "YHTEISTYÖSOPIMUKSEN LIITESOPIMUS\nTavoite 1. Myös Helsingin kaupunki osallistuu."
    blocked = factory.annex(agreement, lawyers[0], outsider, parties=[o.business_id for o in orgs])
    assert db.session.scalar(
        select(Notification.id).where(
            Notification.user_id == lawyers[2].id,
            Notification.document_id == blocked.id,
            Notification.kind == "annex_blocker",
            Notification.done_at.is_(None),
        )
    )
    annexes.new_version(db.session, document_context(), blocked, sample_pdf(), "v2.pdf", lawyers[0])
    db.session.commit()
    db.session.expire_all()
    about_blocked = db.session.scalars(
        select(Notification).where(
            Notification.user_id == lawyers[2].id, Notification.document_id == blocked.id
        )
    ).all()
    old = [n for n in about_blocked if n.params.get("version") == 1]
    new = [n for n in about_blocked if n.params.get("version") == 2]
    assert old and all(n.done_at for n in old)  # the new version replaced what they were about
    assert [n.kind.value for n in new] == ["annex_version"] and new[0].done_at is None


def test_the_profile_page_saves_choices_and_shows_the_required_kinds_as_fixed(app, db, factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    client = login(reps[0])
    page = client.get("/profile").text
    assert "Allekirjoituskutsut" in page and 'name="sign_invitation"' not in page  # fixed, no choice
    choices = {"sign_reminder": "daily", "annex_version": "none", "annex_blocker": "immediate"}
    response = client.post("/profile/mail", data=choices)
    assert response.status_code == 302 and response.headers["Location"].endswith("/profile#mail")
    db.session.expire_all()
    assert {k.value: v.value for k, v in preferences.chosen(db.session, reps[0]).items()} == choices
    assert re.search(r'<input checked[^>]*id="annex_version-2"', client.get("/profile").text)
    bad = client.post("/profile/mail", data=choices | {"annex_version": "sometimes"})
    assert bad.status_code == 422 and 'id="annex_version-error"' in bad.text
    db.session.expire_all()
    chosen = preferences.chosen(db.session, reps[0])
    assert chosen[NotificationKind.annex_version].value == "none"  # the refused request changed nothing


def test_a_required_kind_cannot_be_turned_off(app, db, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    with pytest.raises(PortalError) as refused:
        preferences.save(db.session, reps[0], {"sign_invitation": "none"})
    assert refused.value.status == 422


def test_the_notification_list_says_done(app, db, factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=2, invitations=True)
    ctx = document_context()
    documents.sign(
        db.session,
        ctx,
        agreement.main_document_id,
        reps[0],
        signer_passphrase(ctx.key_encryption_key, reps[0], "pw"),
        "Tampere",
    )
    db.session.commit()
    page = login(reps[0]).get("/notifications").text
    assert "Tehty" in page and "Uusi:" not in page


def test_recording_the_last_decision_settles_the_decisions_due(app, db, factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False)
    secretary = factory.user(orgs[1], Role.lawyer)
    factory.member(secretary, agreement, orgs[1], Role.administrator)  # the agreement's secretary
    ctx = document_context()
    documents.open_for_signature(
        db.session, ctx, agreement.main_document, admin, title="Sopimus", language="fi"
    )
    db.session.commit()
    document_id = agreement.main_document_id
    for person in (admin, secretary):
        assert kinds_done(db, person, document_id) == {"decision_due": False}
    assert kinds_done(db, reps[0], document_id) == {"sign_invitation": False}  # not theirs to record
    assert not db.session.scalar(select(OutboxMail.id).where(OutboxMail.kind == "decision_due"))  # no mail
    assert "Kirjaa osapuolten päätökset" in login(secretary).get("/notifications").text

    def decide(org, decision_type=DecisionType.approve):
        documents.record_approval(
            db.session,
            ctx,
            document_id,
            org.id,
            secretary,
            body="Kunnanvaltuusto",
            decided_on=date(2026, 11, 2),
            section="12",
            decision_type=decision_type,
        )
        db.session.commit()

    decide(orgs[0])
    decide(orgs[1], DecisionType.take_note)  # taking note is not an approval: still one to record
    assert kinds_done(db, secretary, document_id) == {"decision_due": False}
    decide(orgs[1])
    for person in (admin, secretary):
        assert kinds_done(db, person, document_id) == {"decision_due": True}


def test_reading_a_new_version_in_the_page_settles_its_notice(app, db, factory, login):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    lawyers = [factory.user(org, Role.lawyer) for org in orgs]
    db.session.commit()
    document = factory.annex(agreement, lawyers[0], parties=[o.business_id for o in orgs])
    assert kinds_done(db, lawyers[1], document.id) == {"annex_version": False}
    assert login(lawyers[1]).get(f"/documents/{document.id}/read").status_code == 200
    assert kinds_done(db, lawyers[1], document.id) == {"annex_version": True}
    assert kinds_done(db, admin, document.id) == {"annex_version": False}  # only the reader's
