"""run_isolated(): results come back, and overruns end in PdfRejected, never in the parent."""

from __future__ import annotations

import os
import time

import pytest

import signing
from signing.isolation import IsolatedError, run_isolated


def add(a: int, b: int) -> dict[str, int]:
    return {"sum": a + b, "pid": os.getpid()}


def sleep_forever() -> None:
    time.sleep(600)


def allocate(size: int) -> int:
    return len(bytearray(size))


def reject() -> None:
    raise signing.PdfRejected("unreadable", "from the child")


def fail() -> None:
    raise KeyError("boom")


def die() -> None:
    os.kill(os.getpid(), 9)


def test_the_result_comes_back_from_another_process():
    result = run_isolated(add, 2, 3, seconds=10, memory_bytes=256 * 1024**2)
    assert result["sum"] == 5 and result["pid"] != os.getpid()


def test_a_large_result_comes_back_whole():
    size = 64 * 1024**2
    assert run_isolated(allocate, size, seconds=10, memory_bytes=512 * 1024**2) == size


def test_overrunning_the_time_kills_the_worker():
    """How soon: bench/bench_limits.py (the test would wait 600 s for the sleeper otherwise)."""
    with pytest.raises(signing.PdfRejected) as rejected:
        run_isolated(sleep_forever, seconds=0.5, memory_bytes=256 * 1024**2)
    assert rejected.value.code == "timeout"


def test_overrunning_the_memory_is_a_memory_rejection():
    with pytest.raises(signing.PdfRejected) as rejected:
        run_isolated(allocate, 4 * 1024**3, seconds=10, memory_bytes=256 * 1024**2)
    assert rejected.value.code == "memory"


def test_a_worker_killed_by_a_signal_is_a_memory_rejection():
    with pytest.raises(signing.PdfRejected) as rejected:
        run_isolated(die, seconds=10, memory_bytes=256 * 1024**2)
    assert rejected.value.code == "memory" and "signal 9" in rejected.value.detail


def test_rejections_and_other_errors_cross_over():
    with pytest.raises(signing.PdfRejected) as rejected:
        run_isolated(reject, seconds=10, memory_bytes=256 * 1024**2)
    assert (rejected.value.code, rejected.value.detail) == ("unreadable", "from the child")
    with pytest.raises(IsolatedError, match="KeyError"):
        run_isolated(fail, seconds=10, memory_bytes=256 * 1024**2)


def test_no_zombie_is_left_behind():
    run_isolated(add, 1, 1, seconds=10, memory_bytes=256 * 1024**2)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def unpicklable():
    return lambda: None


def test_an_unpicklable_result_is_an_error_not_a_crash():
    with pytest.raises(IsolatedError):
        run_isolated(unpicklable, seconds=10, memory_bytes=256 * 1024**2)
