from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.audit.domain import GENESIS_HASH, Link, first_broken_link, link_hash, payload_digest
from portal.audit.models import AuditEvent, AuditHead
from portal.timeutil import utcnow


def record(
    session: Session, kind: str, *, actor_id: int | None = None, agreement_id: int | None = None, **payload
) -> AuditEvent:
    """Append an event to the chain. Updating the head row first locks the chain until commit,
    so concurrent transactions append one after another and never fork it."""
    seq, prev_hash = session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(seq=AuditHead.seq + 1)
        .returning(AuditHead.seq, AuditHead.hash)
    ).one()
    occurred_at = utcnow()
    digest = payload_digest(payload)
    event = AuditEvent(
        seq=seq,
        occurred_at=occurred_at,
        kind=kind,
        actor_id=actor_id,
        agreement_id=agreement_id,
        payload=payload,
        payload_sha256=digest,
        prev_hash=prev_hash,
    )
    event.hash = link_hash(prev_hash, seq, occurred_at, kind, actor_id, agreement_id, digest)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(hash=event.hash))
    session.add(event)
    session.flush()
    return event


def verify_chain(session: Session) -> tuple[int, tuple[int, str] | None]:
    """(number of events, first broken link or None). Streams the events in seq order."""
    rows = session.execute(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=500)
    ).scalars()
    count = 0
    last: Link | None = None

    def links():
        nonlocal count, last
        for e in rows:
            count += 1
            last = Link(
                e.seq,
                e.occurred_at,
                e.kind,
                e.actor_id,
                e.agreement_id,
                e.payload_sha256,
                e.prev_hash,
                e.hash,
                e.payload,
                e.payload is None,
            )
            yield last

    broken = first_broken_link(links())
    if broken is None:
        head = session.get(AuditHead, 1)
        head_hash = last.hash if last else GENESIS_HASH
        if head is None or head.seq != count or head.hash != head_hash:
            broken = (count + 1, "events after this point are missing (the head points further)")
    return count, broken
