"""The audit trail's hash chain, as pure functions over plain values."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

GENESIS_HASH = "0" * 64


def payload_digest(payload: dict | None) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Link:
    seq: int
    occurred_at: datetime
    kind: str
    actor_id: int | None
    agreement_id: int | None
    payload_sha256: str
    prev_hash: str
    hash: str
    #: None once a person's data has been erased from it
    payload: dict | None = None
    payload_erased: bool = False


def link_hash(
    prev_hash: str,
    seq: int,
    occurred_at: datetime,
    kind: str,
    actor_id: int | None,
    agreement_id: int | None,
    payload_sha256: str,
) -> str:
    fields = [
        prev_hash,
        str(seq),
        occurred_at.isoformat(timespec="microseconds"),
        kind,
        str(actor_id or ""),
        str(agreement_id or ""),
        payload_sha256,
    ]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def first_broken_link(links: Iterable[Link]) -> tuple[int, str] | None:
    """The seq of the first link that does not hold, and why; None when the whole chain holds."""
    expected_prev, expected_seq = GENESIS_HASH, 1
    for link in links:
        if link.seq != expected_seq:
            return link.seq, f"sequence gap: expected {expected_seq}"
        if link.prev_hash != expected_prev:
            return link.seq, "does not point to the hash of the event before it"
        if not link.payload_erased and payload_digest(link.payload) != link.payload_sha256:
            return link.seq, "payload does not match its digest"
        recomputed = link_hash(
            link.prev_hash,
            link.seq,
            link.occurred_at,
            link.kind,
            link.actor_id,
            link.agreement_id,
            link.payload_sha256,
        )
        if recomputed != link.hash:
            return link.seq, "hash does not match the event's content"
        expected_prev, expected_seq = link.hash, link.seq + 1
    return None
