"""The audit trail a database administrator cannot rewrite (issue 10, item 5): the chain's head
sealed and timestamped by the portal, kept in its own table and as files outside the database,
and `portal audit verify` checking the chain against every sealed head."""

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text

from portal.agreements.domain import Status
from portal.audit.domain import link_hash, payload_digest
from portal.audit.models import AuditEvent, AuditSeal
from portal.audit.seal import seal_head, seal_if_due
from portal.audit.services import verify_chain
from portal.timeutil import utcnow
from tests.browser import approve_for, sign_for


def seal_dir(app) -> Path:
    return Path(app.config["PORTAL_AUDIT_SEAL_DIR"])


def rewrite_and_recompute(session, seq: int, new_kind: str) -> None:
    """What an administrator with write access to the database can do: change an event, then
    recompute every hash after it and the head, so that the bare chain holds again."""
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    prev = "0" * 64
    for event in events:
        if event.seq == seq:
            event.kind = new_kind
        event.payload_sha256 = payload_digest(event.payload)
        event.prev_hash = prev
        event.hash = link_hash(
            prev,
            event.seq,
            event.occurred_at,
            event.kind,
            event.actor_id,
            event.agreement_id,
            event.payload_sha256,
        )
        prev = event.hash
    session.execute(text("UPDATE audit_head SET hash = :h WHERE id = 1"), {"h": prev})
    session.commit()


def test_entry_into_force_seals_the_head_in_the_table_and_a_file(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    sign_for(factory.session, agreement, reps)
    approve_for(factory.session, agreement, orgs, admin)
    factory.session.refresh(agreement.main_document)
    assert agreement.main_document.status is Status.in_force
    seal = factory.session.scalars(select(AuditSeal)).one()
    assert seal.reason == "entry_into_force" and seal.timestamped_at is not None
    last = factory.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (seal.seq, seal.hash) == (last.seq, last.hash) and last.kind == "entered_into_force"
    files = list(seal_dir(app).glob("seal-*.json"))
    assert len(files) == 1
    assert json.loads(files[0].read_text())["statement"] == seal.statement
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "1 sealed heads match" in result.output


def test_a_rewrite_and_recompute_is_caught_by_the_sealed_head(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "seal"]).exit_code == 0
    sealed = factory.session.scalars(select(AuditSeal)).one()
    rewrite_and_recompute(factory.session, 2, "forged")
    assert verify_chain(factory.session) == (sealed.seq, None)  # the bare chain is fooled
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1, result.output
    assert f"sealed head seq {sealed.seq}" in result.output
    assert "no longer matches the chain" in result.output


def test_a_seal_removed_from_the_table_is_still_found_in_its_file(app, factory):
    factory.agreement(parties=2)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "seal"]).exit_code == 0
    factory.session.execute(text("DELETE FROM audit_seal"))
    factory.session.commit()
    rewrite_and_recompute(factory.session, 1, "forged")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "kept only in file" in result.output and "no longer matches" in result.output


def test_a_forged_seal_does_not_verify(app, factory):
    factory.agreement(parties=2)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "seal"]).exit_code == 0
    path = next(seal_dir(app).glob("seal-*.json"))
    saved = json.loads(path.read_text())
    statement = json.loads(saved["statement"])
    statement["hash"] = "f" * 64
    forged = json.dumps(statement, sort_keys=True, separators=(",", ":"))
    factory.session.execute(text("UPDATE audit_seal SET statement = :s"), {"s": forged})
    factory.session.commit()
    path.write_text(json.dumps({"statement": forged, "seal": saved["seal"]}))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "the seal does not verify" in result.output


def test_the_worker_seals_daily(app, factory):
    factory.agreement(parties=2)
    key, folder = app.config["PORTAL_KEY_ENCRYPTION_KEY"], app.config["PORTAL_AUDIT_SEAL_DIR"]
    assert seal_if_due(factory.session, key, folder) is not None
    factory.session.commit()
    assert seal_if_due(factory.session, key, folder) is None  # sealed less than a day ago
    assert seal_if_due(factory.session, key, folder, utcnow() + timedelta(days=1, minutes=1))
    factory.session.commit()
    assert len(list(seal_dir(app).glob("seal-*.json"))) == 2
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0 and "sealed" not in result.output


def test_a_rolled_back_seal_leaves_no_file(app, factory):
    factory.agreement(parties=2)
    seal_head(
        factory.session,
        app.config["PORTAL_KEY_ENCRYPTION_KEY"],
        app.config["PORTAL_AUDIT_SEAL_DIR"],
        "manual",
    )
    factory.session.rollback()
    assert not list(seal_dir(app).glob("seal-*.json"))
    assert factory.session.scalars(select(AuditSeal)).first() is None
