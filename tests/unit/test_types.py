"""The type checks CI runs: `mypy portal signing` (configured in pyproject's [tool.mypy]) and
`mypy --strict signing` report no error."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "arguments", [["portal", "signing"], ["--strict", "signing"]], ids=["portal", "signing-strict"]
)
def test_mypy_reports_no_error(arguments: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", *arguments], capture_output=True, text=True, timeout=600, cwd=ROOT
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 0 and not errors, "\n".join(errors) or result.stdout + result.stderr
