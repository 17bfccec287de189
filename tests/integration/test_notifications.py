"""The notification list and the unread badge: one's own notifications only, newest first."""

from datetime import timedelta

from sqlalchemy import select, update

from portal.notifications.models import Notification
from portal.timeutil import utcnow

HTMX = {"HX-Request": "true"}


def two_users_with_invitations(factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2, invitations=True)
    second, *_ = factory.agreement(parties=2, invitations=True)
    factory.session.commit()
    return agreement, second, reps


def own(db, user):
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_list_shows_only_ones_own_newest_first(app, db, factory, login):
    first, second, reps = two_users_with_invitations(factory)
    notification = own(db, reps[0])[0]
    db.session.execute(
        update(Notification)
        .where(Notification.id == notification.id)
        .values(created_at=utcnow() - timedelta(hours=1))
    )
    db.session.commit()
    page = login(reps[0]).get("/notifications").text
    assert page.count('<li id="notification-') == 1 and f'id="notification-{notification.id}"' in page
    assert f'href="/agreements/{first.id}"' in page and "on avattu allekirjoitettavaksi" in page
    other = factory.user(factory.org())
    db.session.add_all(
        [
            Notification(
                event_key=f"k{i}",
                user_id=other.id,
                kind="in_force",
                agreement_id=first.id,
                path=f"/agreements/{first.id}",
                params={"title": f"Sopimus {i}"},
                created_at=utcnow() - timedelta(days=i),
            )
            for i in (3, 1, 2)
        ]
    )
    db.session.commit()
    page = login(other).get("/notifications").text
    assert page.index("Sopimus 1") < page.index("Sopimus 2") < page.index("Sopimus 3")


def test_badge_fragment_counts_unread_and_updates(app, db, factory, login):
    first, second, reps = two_users_with_invitations(factory)
    client = login(reps[0])
    db.session.add(
        Notification(
            event_key="extra",
            user_id=reps[0].id,
            kind="in_force",
            agreement_id=first.id,
            path="/",
            params={"title": "X"},
        )
    )
    db.session.commit()
    badge = client.get("/notifications/badge", headers=HTMX)
    assert badge.status_code == 200 and "<html" not in badge.text
    assert badge.text.lstrip().startswith('<span id="notification-badge"')
    assert "2 lukematonta ilmoitusta" in badge.text
    mine = own(db, reps[0])[0]
    response = client.post(f"/notifications/{mine.id}/read", headers=HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert f'<li id="notification-{mine.id}"' in response.text and "notification--unread" not in response.text
    assert response.headers["HX-Trigger"] == "notifications-changed"
    assert "1 lukematon ilmoitus" in client.get("/notifications/badge", headers=HTMX).text
    assert client.post("/notifications/read").status_code == 302
    assert "0 lukematonta ilmoitusta" in client.get("/notifications/badge", headers=HTMX).text


def test_no_one_marks_anothers_notification_read(app, db, factory, login):
    first, second, reps = two_users_with_invitations(factory)
    theirs = own(db, reps[1])[0]
    client = login(reps[0])
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    client.post("/notifications/read")
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_header_polls_the_badge_without_inline_script(app, db, factory, login):
    first, second, reps = two_users_with_invitations(factory)
    page = login(reps[0]).get("/notifications").text
    assert 'hx-get="/notifications/badge"' in page
    assert 'hx-trigger="every 30s, notifications-changed from:body"' in page
    assert 'id="notification-badge-region" aria-live="polite"' in page
    # drawn with the page: no request after it, nothing that moves under the pointer
    region = page.split('id="notification-badge-region"', 1)[1].split("</a>", 1)[0]
    assert '<span id="notification-badge"' in region and "lukematon" in region
    assert "<script>" not in page
