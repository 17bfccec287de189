"""Claiming rows of a work queue (the outbox, the job table) for one worker among several."""

import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session


def claim_due(session: Session, model, due, limit: int, **values) -> str:
    """Mark up to `limit` rows of `model` that match `due` as this worker's (a fresh claim token
    plus `values`) and commit the claim; returns the token. On PostgreSQL the candidates are
    picked with FOR UPDATE SKIP LOCKED, so workers on several machines take disjoint rows without
    waiting for each other; on SQLite the conditional UPDATE runs under the write lock."""
    token = secrets.token_hex(16)
    candidates = select(model.id).where(due).order_by(model.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        candidates = list(session.scalars(candidates.with_for_update(skip_locked=True)))
    session.execute(update(model).where(model.id.in_(candidates), due)
                    .values(claim_token=token, **values)
                    .execution_options(synchronize_session=False))
    session.commit()
    return token
