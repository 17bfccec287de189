"""The type checks CI runs: `mypy portal signing` (configured in pyproject's [tool.mypy]) and
`mypy --strict signing` report no error."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("arguments", "cache"),
    [(["portal", "signing"], "portal"), (["--strict", "signing"], "signing-strict")],
    ids=["portal", "signing-strict"],
)
def test_mypy_reports_no_error(arguments: list[str], cache: str) -> None:
    """Each run keeps its own cache (.mypy_cache/tests-<id>): the two may run at once on two
    pytest-xdist workers (or beside a developer's own `mypy`), and mypy's cache is not safe to
    write from two processes; the strict run's options would also invalidate the other's."""
    cache_dir = ROOT / ".mypy_cache" / f"tests-{cache}"
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache_dir), *arguments],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 0 and not errors, "\n".join(errors) or result.stdout + result.stderr
