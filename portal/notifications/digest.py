"""The daily digest: one mail per person and day listing what waits for them of the kinds they
chose to receive daily (run by `portal worker`). Services flush, never commit."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import User
from portal.links import Links
from portal.mail.models import OutboxMail
from portal.mail.services import enqueue
from portal.notifications import domain
from portal.notifications.models import Notification
from portal.timeutil import utcnow


def queue_digests(session: Session, links: Links, hour: int, now: datetime | None = None) -> int:
    """Queue today's digest of each person with items waiting for one, from `hour` o'clock
    Finnish time on. Items that were done meanwhile are left out; what arrives after today's
    digest waits for tomorrow's. Returns the number of digests queued."""
    day = domain.digest_day(now or utcnow(), hour)
    if day is None:
        return 0
    user_ids = list(
        session.scalars(select(Notification.user_id).where(Notification.digest_pending.is_(True)).distinct())
    )
    queued = 0
    for user_id in sorted(user_ids):
        key = domain.digest_key(user_id, day)
        if session.scalar(select(OutboxMail.id).where(OutboxMail.event_key == key)):
            continue
        items = list(
            session.scalars(
                select(Notification)
                .where(Notification.user_id == user_id, Notification.digest_pending.is_(True))
                .order_by(Notification.created_at, Notification.id)
            )
        )
        for item in items:
            item.digest_pending = False
        waiting = [item for item in items if item.done_at is None]
        user = session.get_one(User, user_id)
        if not waiting or not user.active:
            continue
        enqueue(
            session,
            key,
            kind="digest",
            recipient=user.email,
            language=user.locale,
            user=user,
            items=[(item, links.external(item.path)) for item in waiting],
            base_url=links.external(""),
            profile_link=links.external(links.profile()),
        )
        queued += 1
    session.flush()
    return queued
