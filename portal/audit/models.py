from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.timeutil import utcnow


class AuditEvent(Model):
    """An append-only, hash-chained event. The hash covers the payload's digest, not the payload,
    so a person's data can be erased from the payload and the chain still verifies."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 1, 2, 3, … without gaps: the chain's order
    seq: Mapped[int] = mapped_column(unique=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(50), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)
    payload: Mapped[dict | None] = mapped_column(JSON)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Model):
    """One row: the chain's last seq and hash. Updating it locks the chain for the transaction."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64))


class AuditSeal(Model):
    """The chain's head (seq, hash) at a moment, sealed and timestamped by the portal (a detached
    CMS signature with the seal key over `statement`). Kept here AND as a file outside the
    database (PORTAL_AUDIT_SEAL_DIR): recomputing the chain after a rewrite cannot re-seal it."""

    __tablename__ = "audit_seal"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(index=True)
    hash: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: "daily" (portal worker), "entry_into_force", "manual" (portal audit seal)
    reason: Mapped[str] = mapped_column(String(30))
    #: the exact bytes signed: canonical JSON of type, seq, hash, sealed_at and reason
    statement: Mapped[str] = mapped_column(Text)
    #: the CMS SignedData (DER), base64
    seal: Mapped[str] = mapped_column(Text)
    #: the time in the seal's timestamp token
    timestamped_at: Mapped[datetime | None]
