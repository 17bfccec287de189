"""What a page costs as the data grows: 10, 100 and 1,000 agreements of 25 parties on
PostgreSQL, served by gunicorn with 2 workers, measured against a bare Flask "hello" in the same
gunicorn setup.

For each size the database is filled (one real agreement through the portal's services, with its
PDF opened for signature; the others as bulk rows through the models: agreements in signing with
their 25 parties, versions, a few signatures and approvals), vacuumed and analysed as autovacuum
would leave it, and gunicorn serves it. Each route then gets --requests requests from 8
concurrent clients (http.client, one connection each):
- CPU ms per request: the workers' user+system time (/proc) over the run, divided by requests;
  beside it PostgreSQL's (db_ms: every postgres process's) and the clients' own (client_ms), since
  all three share the machine's cores and the response times include waiting for them;
- p50/p95/p99 of the response time at concurrency 8;
- the ratio of its CPU per request to the bare route's.

Routes, as the portal's administrator (who sees every agreement): the home page, the agreement
list (a filtered page), what waits (the fragment a filtered page loads after it), the agreement
page, its state fragment (htmx), GET /api/v1/agreements. Then the list, the page and the state
fragment again as a party's representative ("rep: "), who holds a role in every agreement: as
many memberships as agreements, which a request must not read all of.

Run from the repository root of a plain install (no tests, no pytest):
    .venv/bin/python bench/bench_web.py [--database-url postgresql://...] [--sizes 10,100,1000]
                                        [--requests 200] [--output bench/results/web.txt]
Prints figures only; asserts nothing."""

from __future__ import annotations

import argparse
import http.client
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from bench.benchkit import drop_database, new_database  # noqa: E402

PARTIES = 25
PASSWORD = "bench-password-123"  # noqa: S105 (a throwaway database's)
CONCURRENCY = 8
WORKERS = 2


def bare_app():
    """The baseline: a Flask app with one route, served by the same gunicorn command."""
    from flask import Flask

    app = Flask("bare")
    app.add_url_rule("/", "hello", lambda: "hello")
    return app


# -- the database --------------------------------------------------------------------------------


def business_id(number: int) -> str:
    from portal.organisations.domain import business_id_check_digit

    while True:
        digits = f"{number:07d}"
        check = business_id_check_digit(digits)
        if check is not None:
            return f"{digits}-{check}"
        number += 1


class World:
    """The real agreement, its parties and people, and what the bulk rows copy."""

    def __init__(self, session, app):
        from portal.agreements.services import create_agreement
        from portal.appctx import document_context
        from portal.auth.domain import Role, Scope
        from portal.auth.models import User
        from portal.auth.services import create_token, hash_password
        from portal.demo.pdf import text_to_pdf
        from portal.documents import services as documents
        from portal.memberships.services import add_membership
        from portal.organisations.domain import OrganisationKind
        from portal.organisations.models import Organisation

        self.orgs = [
            Organisation(
                name=f"Kunta {n}",
                kind=OrganisationKind.municipality,
                business_id=business_id(3_000_000 + n * 13),
                city="Tampere",
            )
            for n in range(1, PARTIES + 1)
        ]
        session.add_all(self.orgs)
        session.flush()
        password = hash_password(PASSWORD)
        self.admin = User(
            username="bench-admin",
            display_name="Sanna Sihteeri",
            email="admin@example.invalid",
            password_hash=password,
            role=Role.administrator,
        )
        self.reps = [
            User(
                username=f"bench-rep-{n}",
                display_name=f"Edustaja {n}",
                email=f"rep{n}@example.invalid",
                password_hash=password,
                organisation_id=o.id,
                role=Role.representative,
            )
            for n, o in enumerate(self.orgs, 1)
        ]
        session.add_all([self.admin, *self.reps])
        session.flush()
        agreement = create_agreement(
            session, self.admin, title="Yhteistyösopimus 1", business_ids=[o.business_id for o in self.orgs]
        )
        for rep, org in zip(self.reps, self.orgs, strict=True):
            add_membership(session, rep, agreement, org.id, Role.representative)
        ctx = document_context()
        pdf = text_to_pdf(
            "YHTEISTYÖSOPIMUS\n1. Osapuolet\nTämän sopimuksen osapuolet ovat kunnat.",
            title="Yhteistyösopimus",
        )
        documents.add_version(session, ctx, agreement.main_document, pdf, "sopimus.pdf", self.admin)
        documents.open_for_signature(
            session, ctx, agreement.main_document, self.admin, title=agreement.title, language="fi"
        )
        session.commit()
        self.agreement_id = agreement.id
        self.document_id = agreement.main_document_id
        version = agreement.main_document.latest_version
        self.version = {
            "filename": version.filename,
            "upload_sha256": version.upload_sha256,
            "prepared_sha256": version.prepared_sha256,
            "page_count": version.page_count,
            "uploaded_by_id": self.admin.id,
        }
        self.sha256 = agreement.main_document.current_sha256
        _row, self.token = create_token(session, self.admin, "bench", {Scope.read})
        session.commit()


def add_agreements(session, world: World, first: int, count: int) -> None:
    """`count` agreements in signing, numbered from `first`, in bulk: each with its parties,
    its main document and version, the first two parties' signatures and one approval."""
    from portal.agreements.domain import Status
    from portal.agreements.models import Agreement, AgreementParty
    from portal.documents.domain import DocumentKind
    from portal.documents.models import ApprovalDecision, Document, DocumentParty, DocumentVersion, Signature
    from portal.memberships.models import Membership
    from portal.timeutil import utcnow

    batch = 200
    now = utcnow()
    for start in range(first, first + count, batch):
        n = min(batch, first + count - start)
        ids = list(
            session.scalars(
                insert(Agreement).returning(Agreement.id),
                [{"title": f"Yhteistyösopimus {start + i}", "language": "fi"} for i in range(n)],
            )
        )
        docs = list(
            session.scalars(
                insert(Document).returning(Document.id),
                [
                    {
                        "agreement_id": a,
                        "kind": DocumentKind.main,
                        "title": "Yhteistyösopimus",
                        "status": Status.signing,
                        "current_sha256": world.sha256,
                    }
                    for a in ids
                ],
            )
        )
        versions = list(
            session.scalars(
                insert(DocumentVersion).returning(DocumentVersion.id),
                [{"document_id": d, "number": 1, **world.version} for d in docs],
            )
        )
        session.execute(
            insert(AgreementParty),
            [
                {"agreement_id": a, "organisation_id": o.id, "position": p}
                for a in ids
                for p, o in enumerate(world.orgs, 1)
            ],
        )
        session.execute(
            insert(DocumentParty),
            [
                {"document_id": d, "organisation_id": o.id, "position": p, "field_name": f"Party{p}"}
                for d in docs
                for p, o in enumerate(world.orgs, 1)
            ],
        )
        session.execute(
            insert(Membership),
            [
                {"user_id": r.id, "agreement_id": a, "organisation_id": o.id, "role": "representative"}
                for a in ids
                for r, o in zip(world.reps, world.orgs, strict=True)
            ],
        )
        session.execute(
            insert(Signature),
            [
                {
                    "document_id": d,
                    "version_id": v,
                    "organisation_id": world.orgs[k].id,
                    "signer_id": world.reps[k].id,
                    "field_name": f"Party{k + 1}",
                    "place": "Tampere",
                    "signed_at": now,
                    "certificate_sha256": "0" * 64,
                    "result_sha256": world.sha256,
                }
                for d, v in zip(docs, versions, strict=True)
                for k in range(2)
            ],
        )
        session.execute(
            insert(ApprovalDecision),
            [
                {
                    "document_id": d,
                    "organisation_id": world.orgs[0].id,
                    "version_id": v,
                    "body": "Kunnanvaltuusto",
                    "decided_on": now.date(),
                    "section": "12",
                    "recorded_by_id": world.admin.id,
                }
                for d, v in zip(docs, versions, strict=True)
            ],
        )
        for a, d in zip(ids, docs, strict=True):
            session.execute(Agreement.__table__.update().where(Agreement.id == a).values(main_document_id=d))
        session.commit()


def settle(engine) -> None:
    """VACUUM ANALYZE: what autovacuum does to a production database soon after a bulk load (its
    statistics, and the visibility map an index-only scan reads). Autovacuum may be off on a
    bench machine, and the rows were written a moment ago."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


# -- serving and measuring -----------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app_spec: str, env: dict, chdir: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--chdir",
            str(chdir),
            app_spec,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"gunicorn did not answer on port {port}")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def database_processes() -> list[int]:
    """PostgreSQL's processes on this machine (its backends serve the workers' queries)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == "postgres":
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that ended meanwhile
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def sign_in(port: int, username: str) -> str:
    """The session cookie of a password sign-in (the form's CSRF token and cookie first)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    assert token, "no CSRF token on the sign-in page"
    body = urllib.parse.urlencode({"csrf_token": token.group(1), "username": username, "password": PASSWORD})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie,
        "Origin": f"http://127.0.0.1:{port}",
        "Referer": f"http://127.0.0.1:{port}/login",
    }
    conn.request("POST", "/login", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    signed_in = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
    if response.status != 302 or not signed_in:
        raise SystemExit(f"sign-in failed: {response.status}")
    return signed_in


def run(port: int, path: str, headers: dict, requests: int, warmed=lambda: None) -> tuple[list[float], int]:
    """`requests` GETs of `path` from CONCURRENCY clients (each client's connection opened and
    the workers warmed first): each one's seconds, and the bytes of one."""
    local = threading.local()
    size = [0]

    def one(_n: int) -> float:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        local.conn.request("GET", path, headers=headers)
        response = local.conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status}")
        size[0] = len(body)
        return time.perf_counter() - started

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        list(pool.map(one, range(CONCURRENCY * 2)))  # warm: connections, workers' first requests
        warmed()  # the caller reads the CPU clocks here
        return list(pool.map(one, range(requests))), size[0]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(
    server: subprocess.Popen, port: int, routes: list[tuple[str, str, dict]], requests: int
) -> list[dict]:
    workers = children(server.pid)
    results = []
    for name, path, headers in routes:
        clocks = {}

        def read_clocks(clocks: dict = clocks) -> None:
            clocks["database"] = database = database_processes()  # the pool's connections are open now
            clocks["before"] = cpu_seconds(workers), cpu_seconds(database), time.process_time()

        seconds, size = run(port, path, headers, requests, read_clocks)
        database, (before, before_db, before_client) = clocks["database"], clocks["before"]
        used = cpu_seconds(workers) - before
        used_db = cpu_seconds(database) - before_db
        used_client = time.process_time() - before_client
        results.append(
            {
                "route": name,
                "cpu_ms": used / requests * 1000,
                "db_ms": used_db / requests * 1000,
                "client_ms": used_client / requests * 1000,
                "p50": percentile(seconds, 0.50) * 1000,
                "p95": percentile(seconds, 0.95) * 1000,
                "p99": percentile(seconds, 0.99) * 1000,
                "kb": size / 1024,
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "web.txt"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    from flask_migrate import upgrade

    from portal.app import create_app
    from portal.config import engine_options

    database_url = new_database(args.database_url, tempfile.mkdtemp(prefix="sopu-bench-web-"))
    data_dir = tempfile.mkdtemp(prefix="bench-web-")
    env = {
        **os.environ,
        "PORTAL_ENV": "production",
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_DATA_DIR": data_dir,
        "PORTAL_MFA": "off",
        "PORTAL_SMTP_HOST": "",
        "PORTAL_JOBS_INLINE": "",
        "PORTAL_LOGIN_RATE_LIMIT": "1000 per minute",
        "PORTAL_BASE_URL": "http://127.0.0.1",
    }
    os.environ.update({k: v for k, v in env.items() if k.startswith("PORTAL_")})
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url)}
    )
    lines = [
        f"bench_web: gunicorn --workers {WORKERS}, concurrency {CONCURRENCY}, {args.requests} requests "
        f"a route, {PARTIES} parties an agreement, PostgreSQL; CPU = the workers' user+system time",
        f"{'agreements':>10} {'route':<22} {'cpu_ms':>8} {'p50_ms':>8} {'p95_ms':>8} {'p99_ms':>8} "
        f"{'kb':>7} {'x_bare':>7} {'db_ms':>7} {'client_ms':>9}",
    ]
    print(lines[0], flush=True)
    print(lines[1], flush=True)
    try:
        with app.app_context():
            from portal.authority.services import ensure_authority
            from portal.extensions import db

            upgrade()
            ensure_authority(db.session, app.config["PORTAL_KEY_ENCRYPTION_KEY"])
            db.session.commit()
            world = World(db.session, app)
            built = 1
            bare, bare_port = serve("bench_web:bare_app()", env, ROOT / "bench")
            try:
                baseline = measure(bare, bare_port, [("bare hello", "/", {})], args.requests)[0]
            finally:
                bare.terminate()
                bare.wait()
            for size in sizes:
                add_agreements(db.session, world, built + 1, size - built)
                built = size
                db.session.commit()
                settle(db.engine)
                server, port = serve("portal:create_app()", env, ROOT)
                try:
                    cookie = {"Cookie": sign_in(port, world.admin.username)}
                    rep = {"Cookie": sign_in(port, world.reps[0].username)}
                    routes = [
                        ("home", "/", cookie),
                        ("agreement list", "/?state=signing&q=sopimus&page=2", cookie),
                        ("waiting fragment", "/", cookie | {"HX-Request": "true", "HX-Target": "waiting"}),
                        ("agreement page", f"/agreements/{world.agreement_id}", cookie),
                        (
                            "state fragment",
                            f"/documents/{world.document_id}/state",
                            cookie | {"HX-Request": "true"},
                        ),
                        ("api agreements", "/api/v1/agreements", {"Authorization": f"Bearer {world.token}"}),
                        ("rep: agreement list", "/?state=signing&q=sopimus&page=2", rep),
                        ("rep: agreement page", f"/agreements/{world.agreement_id}", rep),
                        (
                            "rep: state fragment",
                            f"/documents/{world.document_id}/state",
                            rep | {"HX-Request": "true"},
                        ),
                    ]
                    found = measure(server, port, routes, args.requests)
                    found.append(baseline)
                finally:
                    server.terminate()
                    server.wait()
                for r in found:
                    line = (
                        f"{size:>10} {r['route']:<22} {r['cpu_ms']:>8.2f} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                        f"{r['p99']:>8.1f} {r['kb']:>7.1f} {r['cpu_ms'] / baseline['cpu_ms']:>7.1f} "
                        f"{r['db_ms']:>7.2f} {r['client_ms']:>9.2f}"
                    )
                    lines.append(line)
                    print(line, flush=True)
    finally:
        drop_database(database_url)
    Path(args.output).write_text("\n".join(lines) + "\n")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
