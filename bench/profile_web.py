"""Where a page's CPU goes: bench_web's routes served in process by the Flask test client on a
PostgreSQL database built as bench_web builds it, under cProfile, with the SQL statements each
request issues.

Run from the repository root of a plain install:
    .venv/bin/python bench/profile_web.py [--database-url postgresql://...] [--agreements 100]
                                          [--requests 50] [--route "agreement page"] [--top 40]
                                          [--sort tottime] [--sql] [--dump /tmp/web]
Prints, for each route, the CPU ms per request (in process, no profiler: mean and median), the statements per
request, then the profile's functions by cumulative CPU time. The "rep: " routes are those of bench_web's
representative (bench-rep-1), who holds a role in every agreement (--sql: each statement of one request;
--dump: the profiles for pstats). Asserts nothing."""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import event  # noqa: E402

from bench.bench_web import PASSWORD, World, add_agreements, settle  # noqa: E402
from bench.benchkit import drop_database, new_database  # noqa: E402


def sign_in(client, username: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    assert token, "no CSRF token on the sign-in page"
    response = client.post(
        "/login",
        data={"csrf_token": token.group(1), "username": username, "password": PASSWORD},
        headers={"Origin": "http://localhost", "Referer": "http://localhost/login"},
    )
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed: {response.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--agreements", type=int, default=100)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--route", action="append", help="only these routes (by name)")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--sql", action="store_true", help="print the statements of one request")
    parser.add_argument("--dump", help="also write each route's profile to DUMP-<route>.prof")
    args = parser.parse_args()

    database_url = new_database(args.database_url, tempfile.mkdtemp(prefix="sopu-profile-web-"))
    os.environ.update(
        PORTAL_ENV="production",
        PORTAL_DATABASE_URL=database_url,
        PORTAL_DATA_DIR=tempfile.mkdtemp(prefix="profile-web-"),
        PORTAL_MFA="off",
        PORTAL_SMTP_HOST="",
        PORTAL_JOBS_INLINE="",
        PORTAL_LOGIN_RATE_LIMIT="1000 per minute",
        PORTAL_BASE_URL="http://localhost",
    )
    from flask_migrate import upgrade

    from portal.app import create_app
    from portal.config import engine_options

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url)}
    )
    try:
        with app.app_context():
            from portal.authority.services import ensure_authority
            from portal.extensions import db

            upgrade()
            ensure_authority(db.session, app.config["PORTAL_KEY_ENCRYPTION_KEY"])
            db.session.commit()
            world = World(db.session, app)
            add_agreements(db.session, world, 2, args.agreements - 1)
            db.session.commit()
            settle(db.engine)
            admin, rep, agreement_id, document_id, token = (
                world.admin.username,
                world.reps[0].username,
                world.agreement_id,
                world.document_id,
                world.token,
            )
            db.session.remove()
            engine = db.engine
        statements = [0]

        @event.listens_for(engine, "before_cursor_execute")
        def count(_conn, _cursor, statement, *_args):
            statements[0] += 1
            if args.sql and shown[0]:
                print("   SQL", " ".join(statement.split())[:400])

        shown = [False]

        as_admin, as_rep = app.test_client(), app.test_client()
        sign_in(as_admin, admin)
        sign_in(as_rep, rep)
        routes = [
            ("home", "/", {}, as_admin),
            ("agreement list", "/?state=signing&q=sopimus&page=2", {}, as_admin),
            ("waiting fragment", "/", {"HX-Request": "true", "HX-Target": "waiting"}, as_admin),
            ("agreement page", f"/agreements/{agreement_id}", {}, as_admin),
            ("state fragment", f"/documents/{document_id}/state", {"HX-Request": "true"}, as_admin),
            ("api agreements", "/api/v1/agreements", {"Authorization": f"Bearer {token}"}, as_admin),
            ("rep: agreement list", "/?state=signing&q=sopimus&page=2", {}, as_rep),
            ("rep: agreement page", f"/agreements/{agreement_id}", {}, as_rep),
            ("rep: state fragment", f"/documents/{document_id}/state", {"HX-Request": "true"}, as_rep),
        ]
        for name, path, headers, client in routes:
            if args.route and name not in args.route:
                continue
            for _ in range(5):
                assert client.get(path, headers=headers).status_code == 200, path
            shown[0] = True
            client.get(path, headers=headers)
            shown[0] = False
            statements[0] = 0
            each = []
            for _ in range(args.requests):
                started = time.process_time()
                client.get(path, headers=headers)
                each.append(time.process_time() - started)
            cpu_ms = sum(each) / args.requests * 1000
            median_ms = statistics.median(each) * 1000
            print(
                f"== {name}: {cpu_ms:.2f} ms CPU a request (median {median_ms:.2f}), "
                f"{statements[0] / args.requests:.1f} statements"
            )
            profile = cProfile.Profile(time.process_time)  # CPU, not waiting for the database
            profile.enable()
            for _ in range(args.requests):
                client.get(path, headers=headers)
            profile.disable()
            pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)
            if args.dump:
                profile.dump_stats(f"{args.dump}-{name.replace(':', '').replace(' ', '-')}.prof")
    finally:
        drop_database(database_url)


if __name__ == "__main__":
    main()
