"""How soon the limits stop a hostile input: the timings the tests no longer assert.

- run_isolated: a worker that overruns 0.5 s is killed (test_isolation checks that it is);
- check_pdf and normalise on a decompression bomb (4 GiB of zeros) under the default Limits;
- the compatibility checks' text extraction on the same bomb under 5 s / 256 MiB.

Run from the repository root:  .venv/bin/python bench/bench_limits.py
Prints figures only; asserts nothing."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import signing  # noqa: E402
from bench.benchkit import bomb_pdf, sleep_forever  # noqa: E402
from portal.checks import extract_pages  # noqa: E402
from signing.isolation import run_isolated  # noqa: E402


def seconds_to_rejection(call: Callable[[], object]) -> tuple[float, str]:
    started = time.monotonic()
    try:
        call()
    except signing.PdfRejected as rejected:
        return time.monotonic() - started, rejected.code
    return time.monotonic() - started, "accepted"


def main() -> None:
    bomb = bomb_pdf(4 * 1024**3)
    limits = signing.Limits()
    small = signing.Limits(seconds=5, memory_bytes=256 * 1024**2)
    cases = {
        "run_isolated, 0.5 s limit, a sleeper": lambda: run_isolated(
            sleep_forever, seconds=0.5, memory_bytes=256 * 1024**2
        ),
        f"check_pdf, bomb, {limits.seconds} s limit": lambda: signing.check_pdf(bomb, limits),
        f"normalise, bomb, {limits.seconds} s limit": lambda: signing.normalise(bomb, limits),
        "extract_pages, bomb, 5 s / 256 MiB": lambda: extract_pages(bomb, small),
    }
    for name, call in cases.items():
        elapsed, code = seconds_to_rejection(call)
        print(f"{name:45} {elapsed:6.2f} s  {code}")


if __name__ == "__main__":
    main()
