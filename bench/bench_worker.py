"""The worker with many agreements in signing: its idle CPU share and how soon an uploaded annex
gets its compatibility flags.

For each size (10 and 1,000 agreements of 25 parties by default) a database of its own is built:
one real agreement through the portal's services (the one the annexes are uploaded to) and the
others as rows of agreements in signing, each with its 25 parties and a signing round opened ten
days ago whose first reminder has gone out (the steady state of agreements waiting for their last
signatures). `portal worker` then runs in its own process:
- idle: its CPU time over --seconds, as a share of one core;
- latency: an annex uploaded (committed) by this process, until its check is done; the median of
  --uploads uploads.

Run from the repository root (PostgreSQL by default; --database-url sqlite:///... for SQLite):
    .venv/bin/python bench/bench_worker.py [--sizes 10,1000] [--seconds 20] [--uploads 5]
Prints figures only; asserts nothing."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, insert, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.benchkit import drop_database, new_database  # noqa: E402

PARTIES = 25
ANNEX = """YHTEISTYÖSOPIMUKSEN LIITESOPIMUS
Tavoite 1. Osapuolet edistävät hyvinvointia yhdessä.
Liitesopimus on voimassa toistaiseksi. Kustannukset jaetaan asukasluvun suhteessa."""


def build(app, agreements: int):
    """The real agreement (returned with its lawyer) and agreements-1 synthetic ones in signing."""
    from portal.agreements.domain import Status
    from portal.agreements.models import Agreement, AgreementParty
    from portal.appctx import document_context
    from portal.auth.domain import Role
    from portal.auth.models import User
    from portal.demo.loader import load_demo
    from portal.documents.models import Document, DocumentKind, DocumentParty
    from portal.extensions import db
    from portal.mail.models import OutboxMail
    from portal.memberships.models import Membership
    from portal.notifications.domain import reminder_key
    from portal.notifications.models import Notification, NotificationKind, SigningRound
    from portal.timeutil import utcnow

    load_demo(db.session, document_context(), "bench-password")  # 25 parties, opened for signature
    agreement = db.session.scalar(select(Agreement))
    orgs = [p.organisation for p in agreement.parties]
    reps = list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.agreement_id == agreement.id, Membership.role == Role.representative)
        )
    )
    lawyer = db.session.scalar(select(User).where(User.username == "tampere-lakimies"))
    # an empty outbox and no notifications to start from (the demo's invitations to sign dropped)
    db.session.execute(delete(OutboxMail))
    db.session.execute(delete(Notification))
    db.session.commit()
    main = agreement.main_document
    # a round opened ten days ago whose first reminder went out on day 7: the steady state of an
    # agreement waiting for its last signatures (the pass must not redo anything for it)
    opened = utcnow() - timedelta(days=10)
    steady = (
        {"reminders_queued": 1, "next_reminder_at": opened + timedelta(days=14)}
        if hasattr(SigningRound, "reminders_queued")
        else {}
    )
    batch = 200
    for start in range(1, agreements, batch):
        count = min(batch, agreements - start)
        ids = list(
            db.session.scalars(
                insert(Agreement).returning(Agreement.id),
                [{"title": f"Sopimus {start + i}", "language": "fi"} for i in range(count)],
            )
        )
        docs = list(
            db.session.scalars(
                insert(Document).returning(Document.id),
                [
                    {
                        "agreement_id": a,
                        "kind": DocumentKind.main,
                        "title": "Sopimus",
                        "status": Status.signing,
                        "current_sha256": main.current_sha256,
                    }
                    for a in ids
                ],
            )
        )
        db.session.execute(
            insert(AgreementParty),
            [
                {"agreement_id": a, "organisation_id": o.id, "position": n}
                for a in ids
                for n, o in enumerate(orgs, 1)
            ],
        )
        db.session.execute(
            insert(DocumentParty),
            [
                {"document_id": d, "organisation_id": o.id, "position": n, "field_name": f"Party{n}"}
                for d in docs
                for n, o in enumerate(orgs, 1)
            ],
        )
        db.session.execute(
            insert(SigningRound), [{"document_id": d, "opened_at": opened, **steady} for d in docs]
        )
        db.session.execute(
            insert(Notification),
            [
                {
                    "event_key": reminder_key(d, 1, rep.id),
                    "user_id": rep.id,
                    "agreement_id": a,
                    "kind": NotificationKind.sign_reminder,
                    "path": f"/agreements/{a}",
                    "params": {},
                }
                for a, d in zip(ids, docs, strict=True)
                for rep in reps
            ],
        )
        for a, d in zip(ids, docs, strict=True):
            db.session.execute(
                Agreement.__table__.update().where(Agreement.id == a).values(main_document_id=d)
            )
        db.session.commit()
    return agreement, lawyer


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle(pid: int, limit: float = 60) -> None:
    """Wait until the process used under 2 % of a core for two seconds in a row."""
    started = time.monotonic()
    quiet = 0
    last = cpu_seconds(pid)
    while quiet < 2 and time.monotonic() - started < limit:
        time.sleep(1)
        now = cpu_seconds(pid)
        quiet = quiet + 1 if now - last < 0.02 else 0
        last = now


def upload_latency(app, agreement_id: int, lawyer_id: int, uploads: int) -> list[float]:
    from portal.agreements.models import Agreement
    from portal.annexes import services as annexes
    from portal.appctx import document_context
    from portal.auth.models import User
    from portal.demo.pdf import text_to_pdf
    from portal.documents.models import DocumentVersion
    from portal.extensions import db

    seconds = []
    for n in range(uploads):
        agreement = db.session.get(Agreement, agreement_id)
        lawyer = db.session.get(User, lawyer_id)
        parties = [p.organisation.business_id for p in agreement.parties[:2]]
        version = annexes.upload(
            db.session,
            document_context(),
            agreement,
            lawyer,
            kind="annex_agreement",
            title=f"Liitesopimus {n}",
            data=text_to_pdf(ANNEX + f"\n{n}", title="Yhteistyösopimus"),
            filename="liite.pdf",
            business_ids=parties,
            goals=[1],
        )
        version_id = version.id
        db.session.commit()
        started = time.monotonic()
        while True:
            db.session.expire_all()
            status = db.session.scalar(
                select(DocumentVersion.check_status).where(DocumentVersion.id == version_id)
            )
            if status is not None and status.value not in ("pending", "checking"):
                break
            if time.monotonic() - started > 120:
                break
            time.sleep(0.02)
        seconds.append(time.monotonic() - started)
    return seconds


def measure(base_url: str, agreements: int, idle_seconds: float, uploads: int) -> None:
    from flask_migrate import upgrade

    from portal.app import create_app
    from portal.config import engine_options

    database_url = new_database(base_url, tempfile.mkdtemp(prefix="bench-worker-"))
    data_dir = tempfile.mkdtemp(prefix="bench-worker-data-")
    os.environ["PORTAL_DATA_DIR"] = data_dir
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
            "PORTAL_JOBS_INLINE": "",
            "PORTAL_SMTP_HOST": "",
        }
    )
    worker = None
    try:
        with app.app_context():
            from portal.authority.services import ensure_authority
            from portal.extensions import db

            upgrade()
            ensure_authority(db.session, app.config["PORTAL_KEY_ENCRYPTION_KEY"])
            db.session.commit()
            built = time.monotonic()
            agreement, lawyer = build(app, agreements)
            build_s = time.monotonic() - built
            env = {
                **os.environ,
                "PORTAL_DATABASE_URL": database_url,
                "PORTAL_DATA_DIR": data_dir,
                "PORTAL_SMTP_HOST": "",
                "PORTAL_JOBS_INLINE": "",
            }
            worker = subprocess.Popen(
                [sys.executable, "-m", "portal", "worker"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            settle(worker.pid)  # its start-up and first passes are over
            before = cpu_seconds(worker.pid)
            time.sleep(idle_seconds)
            idle_share = (cpu_seconds(worker.pid) - before) / idle_seconds
            latencies = upload_latency(app, agreement.id, lawyer.id, uploads)
            db.session.remove()
            db.engine.dispose()
        backend = make_url(database_url).get_backend_name()
        print(
            f"{backend} agreements={agreements} parties={PARTIES} (built in {build_s:.1f} s): "
            f"idle worker {idle_share * 100:.1f} % of a core over {idle_seconds:.0f} s; "
            f"upload to flags median {statistics.median(latencies):.2f} s "
            f"(min {min(latencies):.2f}, max {max(latencies):.2f}, n={len(latencies)})",
            flush=True,
        )
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(10)
        drop_database(database_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--sizes", default="10,1000")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--uploads", type=int, default=5)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        measure(args.database_url, size, args.seconds, args.uploads)


if __name__ == "__main__":
    main()
