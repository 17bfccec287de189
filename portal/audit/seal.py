"""Sealed heads of the audit chain: what a database administrator cannot rewrite.

The chain (audit.services) is unkeyed: whoever can write the events table can rewrite an event
and recompute every hash after it. So the portal seals the head (seq, hash, time) with its seal
key and a timestamp at least daily (`portal worker`) and at each entry into force, and keeps each
seal twice: in the audit_seal table and as a file in PORTAL_AUDIT_SEAL_DIR, outside the database.
`portal audit verify` then checks the chain against every sealed head it finds in either place."""

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.audit.models import AuditEvent, AuditHead, AuditSeal
from portal.authority import services as authority
from portal.timeutil import utcnow
from signing.seal import check_seal, local_timestamper, seal, statement_bytes

#: how often the worker seals the head at the least
SEAL_INTERVAL = timedelta(days=1)
STATEMENT_TYPE = "sopu-audit-head"
_PENDING = "audit_seal_files"


def seal_head(session: Session, key_encryption_key: str, folder: str, reason: str) -> AuditSeal:
    """Seal the chain's head as this transaction sees it; the row is added now, the file is
    written when the transaction commits (and never when it rolls back)."""
    head = session.get(AuditHead, 1)
    seq, hash_ = (head.seq, head.hash) if head else (0, "0" * 64)
    sealed_at = utcnow()
    data = statement_bytes(
        {
            "type": STATEMENT_TYPE,
            "seq": seq,
            "hash": hash_,
            "sealed_at": sealed_at.isoformat(timespec="microseconds"),
            "reason": reason,
        }
    )
    der = seal(
        data,
        authority.seal_key(session, key_encryption_key),
        local_timestamper(authority.local_tsa_key(session, key_encryption_key)),
    )
    check = check_seal(data, der, authority.trust_roots(session))
    row = AuditSeal(
        seq=seq,
        hash=hash_,
        sealed_at=sealed_at,
        reason=reason,
        statement=data.decode(),
        seal=base64.b64encode(der).decode(),
        timestamped_at=_naive_utc(check.timestamp),
    )
    session.add(row)
    session.flush()
    if folder:
        session.info.setdefault(_PENDING, []).append(
            (
                Path(folder) / f"seal-{seq:010d}-{sealed_at:%Y%m%dT%H%M%S%f}.json",
                json.dumps({"statement": row.statement, "seal": row.seal}, indent=1),
            )
        )
    return row


def seal_if_due(
    session: Session, key_encryption_key: str, folder: str, now: datetime | None = None
) -> AuditSeal | None:
    """The worker's daily seal: when the last seal is older than SEAL_INTERVAL (or none)."""
    last = session.scalar(select(AuditSeal.sealed_at).order_by(AuditSeal.sealed_at.desc()).limit(1))
    if last is not None and (now or utcnow()) - last < SEAL_INTERVAL:
        return None
    return seal_head(session, key_encryption_key, folder, "daily")


@event.listens_for(Session, "after_commit")
def _write_pending(session: Session) -> None:
    for path, text in session.info.pop(_PENDING, []):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, _previous_transaction: object) -> None:
    if not session.in_transaction():
        session.info.pop(_PENDING, None)


@dataclass(frozen=True)
class SealedHead:
    """A sealed head as found: where (table, file or both), its statement and check."""

    seq: int
    hash: str
    sealed_at: str
    reason: str
    places: tuple[str, ...]
    seal_ok: bool
    summary: str


def sealed_heads(session: Session, folder: str) -> list[SealedHead]:
    """Every seal in the table and in the folder, each checked against the portal's CA, by
    statement (a seal in only one place is reported so)."""
    found: dict[str, tuple[str, str, list[str]]] = {}
    for row in session.scalars(select(AuditSeal).order_by(AuditSeal.seq, AuditSeal.id)):
        found.setdefault(row.statement, (row.statement, row.seal, []))[2].append("table")
    for path in sorted(Path(folder).glob("seal-*.json")) if folder else ():
        try:
            saved = json.loads(path.read_text())
            statement, sealed = str(saved["statement"]), str(saved["seal"])
        except (ValueError, KeyError, TypeError):
            statement, sealed = f"unreadable file {path.name}", ""
        found.setdefault(statement, (statement, sealed, []))[2].append(f"file {path.name}")
    roots = authority.trust_roots(session)
    heads = []
    for statement, sealed, places in found.values():
        try:
            data = json.loads(statement)
            seq, hash_ = int(data["seq"]), str(data["hash"])
            check = check_seal(statement.encode(), base64.b64decode(sealed), roots)
            ok, summary = check.ok and data.get("type") == STATEMENT_TYPE, check.summary
        except (ValueError, KeyError, TypeError):
            data, seq, hash_, ok, summary = {}, -1, "", False, "not a sealed statement"
        heads.append(
            SealedHead(
                seq,
                hash_,
                str(data.get("sealed_at", "")),
                str(data.get("reason", "")),
                tuple(places),
                ok,
                summary,
            )
        )
    return sorted(heads, key=lambda h: (h.seq, h.sealed_at))


def seal_problems(session: Session, folder: str) -> tuple[int, list[str]]:
    """(number of sealed heads, what does not hold): a seal that is not the portal's valid,
    timestamped seal, a seal kept in one place only, and a sealed head the chain no longer has
    (an event rewritten and the chain recomputed, or events removed)."""
    heads = sealed_heads(session, folder)
    problems = []
    for head in heads:
        name = f"sealed head seq {head.seq} (sealed {head.sealed_at}, {head.reason})"
        if not head.seal_ok:
            problems.append(f"{name}: the seal does not verify ({head.summary})")
            continue
        if len(head.places) < 2:
            problems.append(f"{name}: kept only in {head.places[0]}")
        if head.seq == 0:
            continue
        current = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == head.seq))
        if current != head.hash:
            problems.append(
                f"{name} no longer matches the chain: event {head.seq} has hash "
                f"{(current or 'none')[:16]}…, the seal says {head.hash[:16]}…"
            )
    return len(heads), problems


def _naive_utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment else None
