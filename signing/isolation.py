"""Run a function on untrusted input in a forked child with bounded address space and wall-clock
time. The child is SIGKILLed on overrun; nothing it does can grow the parent's memory."""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from typing import Any, TypeVar

from signing.errors import PdfRejected

T = TypeVar("T")
_CHUNK = 1 << 20


class IsolatedError(RuntimeError):
    """The isolated function raised something other than PdfRejected or MemoryError."""


def run_isolated(func: Callable[..., T], *args: Any, seconds: float, memory_bytes: int) -> T:
    """Call `func(*args)` in a forked child limited to `memory_bytes` of address space beyond what
    it inherits and to `seconds` of wall-clock time. Returns the (pickled) result; re-raises a
    PdfRejected from the child; raises PdfRejected("timeout") or PdfRejected("memory") on overrun
    (a MemoryError or a child killed by a signal), IsolatedError for any other exception.
    `func` must be a module-level function and its result picklable."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read_fd)
        _child(func, args, memory_bytes, write_fd)
    os.close(write_fd)
    try:
        payload = _read_until_eof(read_fd, time.monotonic() + seconds)
    except BaseException as exc:  # a timeout, or the parent being interrupted: no orphan left
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if isinstance(exc, TimeoutError):
            raise PdfRejected("timeout", f"worker exceeded {seconds:g} s") from None
        raise
    finally:
        os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    result: T = _outcome(payload, status)
    return result


def _outcome(payload: bytes, status: int) -> Any:
    if not payload:
        if os.WIFSIGNALED(status):
            detail = f"worker killed by signal {os.WTERMSIG(status)}"
        else:
            detail = f"worker exited with status {os.waitstatus_to_exitcode(status)}"
        raise PdfRejected("memory", detail)
    kind, *rest = pickle.loads(payload)  # noqa: S301 - our own child wrote it
    if kind == "ok":
        return rest[0]
    if kind == "rejected":
        raise PdfRejected(rest[0], rest[1])
    raise IsolatedError(rest[0])


def _child(
    func: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int, fd: int
) -> None:  # pragma: no cover - runs in the forked child
    status = 1
    try:
        view = memoryview(_run_and_pickle(func, args, memory_bytes))
        while view:
            view = view[os.write(fd, view[:_CHUNK]) :]
        status = 0
    finally:
        os._exit(status)


def _run_and_pickle(
    func: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int
) -> bytes:  # pragma: no cover - child only
    try:
        _limit_address_space(memory_bytes)
        return pickle.dumps(("ok", func(*args)), protocol=pickle.HIGHEST_PROTOCOL)
    except PdfRejected as exc:
        outcome: tuple[str, ...] = ("rejected", exc.code, exc.detail)
    except MemoryError:
        outcome = ("rejected", "memory", "worker ran out of its memory bound")
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        outcome = ("error", f"{type(exc).__name__}: {exc}")
    return pickle.dumps(outcome)


def _limit_address_space(memory_bytes: int) -> None:  # pragma: no cover - child only
    limit = _current_address_space() + memory_bytes
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _current_address_space() -> int:
    """Virtual memory size of this process (Linux /proc), 0 where unknown."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _read_until_eof(fd: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poller.poll(remaining * 1000):
            raise TimeoutError
        chunk = os.read(fd, _CHUNK)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
