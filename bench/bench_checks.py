"""Compatibility-check benchmark: a ~100-page Finnish annex agreement, text extracted per page in
the isolated worker (portal.checks.extract_pages), then every check (run_checks).

Run from the repository root:  .venv/bin/python bench/bench_checks.py
Prints figures only; asserts nothing."""

from __future__ import annotations

import gc
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

import signing  # noqa: E402
from bench.benchkit import FI_ANNEX, demo_ids, pirkanmaa  # noqa: E402
from portal.checks import Annex, extract_pages, run_checks, worst  # noqa: E402
from portal.checks.text import _stem  # noqa: E402
from portal.demo.pdf import text_to_pdf  # noqa: E402

RUNS = 5
ID = demo_ids()
TARGET_PAGES = 100


def hundred_pages() -> tuple[bytes, int]:
    repeat = 1
    while True:
        pdf = text_to_pdf(FI_ANNEX, title="Liitesopimus", repeat=repeat)
        pages = signing.check_pdf(pdf).page_count
        if pages >= TARGET_PAGES:
            return pdf, pages
        repeat = max(repeat + 1, repeat * TARGET_PAGES // max(pages, 1))


def check(pdf: bytes, main) -> list:
    annex = Annex(
        kind="annex_agreement",
        pages=tuple(extract_pages(pdf)),
        declared_parties=(ID["tampere"], ID["nokia"], ID["pirha"]),
        declared_goals=(1,),
        facts=signing.check_pdf(pdf),
        language="fi",
    )
    return run_checks(main, annex)


def main() -> None:
    pdf, pages = hundred_pages()
    agreement = pirkanmaa()
    print(f"annex: {pages} pages, {len(pdf) / 1024:.0f} KiB")
    timings, extract_timings = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        texts = extract_pages(pdf)
        extract_timings.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        flags = check(pdf, agreement)
        timings.append((time.perf_counter() - started) * 1000)
    annex = Annex(kind="annex_agreement", pages=tuple(texts), language="fi")
    _stem.cache_clear()
    started = time.perf_counter()
    run_checks(agreement, annex)
    cold_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    run_checks(agreement, annex)
    rules_ms = (time.perf_counter() - started) * 1000
    print(f"extract_pages alone:                median {statistics.median(extract_timings):7.0f} ms")
    print(f"run_checks alone (in process):      {cold_ms:7.0f} ms cold stem cache, {rules_ms:.0f} ms warm")
    print(
        f"check_pdf + extract + run_checks:   median {statistics.median(timings):7.0f} ms "
        f"(min {min(timings):.0f}, max {max(timings):.0f}, {RUNS} runs)"
    )
    print(f"worst severity: {worst(flags)}; flags: " + ", ".join(f"{f.code}={f.severity}" for f in flags))
    gc.collect()
    tracemalloc.start()
    check(pdf, agreement)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"peak traced memory in the portal process: {peak / 1024**2:.1f} MiB")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"max RSS of an isolated worker (incl. what it inherits at fork): {children / 1024:.1f} MiB")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"max RSS of the benchmark process: {own / 1024:.1f} MiB")
    through_the_portal(pdf)


def through_the_portal(pdf: bytes) -> None:
    """Upload the annex agreement to the demo agreement and run its check job, as `portal worker`
    does (SQLite in a temporary data folder): median wall time of upload + job."""
    import os
    import tempfile

    os.environ["PORTAL_DATA_DIR"] = tempfile.mkdtemp(prefix="sopu-bench-")
    from flask_migrate import upgrade

    from portal import create_app
    from portal.agreements.models import Agreement
    from portal.annexes import services as annexes
    from portal.appctx import document_context
    from portal.auth.models import User
    from portal.authority.services import ensure_authority
    from portal.demo.loader import load_demo
    from portal.extensions import db
    from portal.jobs import services as jobs

    app = create_app({"PORTAL_JOBS_INLINE": ""})
    with app.app_context():
        upgrade()
        ensure_authority(db.session, app.config["PORTAL_KEY_ENCRYPTION_KEY"])
        load_demo(db.session, document_context(), "bench")
        db.session.commit()
        agreement = db.session.scalar(select(Agreement))
        lawyer = db.session.scalar(select(User).where(User.username == "tampere-lakimies"))
        timings = []
        for run in range(RUNS):
            started = time.perf_counter()
            annexes.upload(
                db.session,
                document_context(),
                agreement,
                lawyer,
                kind="annex_agreement",
                title=f"Liitesopimus {run}",
                data=pdf + b"\n" * run,
                filename="liite.pdf",
                business_ids=[ID["tampere"], ID["nokia"], ID["pirha"]],
                goals=[1],
            )
            db.session.commit()
            done = jobs.run_due(db.session, app.config).done
            timings.append((time.perf_counter() - started) * 1000)
            assert done == 1
        print(
            f"through the portal (upload + check job + 7 flags stored, SQLite): "
            f"median {statistics.median(timings):7.0f} ms (min {min(timings):.0f}, "
            f"max {max(timings):.0f}, {RUNS} runs)"
        )


if __name__ == "__main__":
    main()
