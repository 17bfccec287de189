"""The wheel holds everything the portal needs to run: its packages, the compiled catalogs, the
templates, the static files and the migrations, and an app made from it alone serves pages."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: folders at the repository's root that travel inside the wheel under portal/
DATA = ("templates", "static", "migrations")
#: made at setup, not kept in git: the vendored assets, byte code
GENERATED = ("static/vendor/", "__pycache__/")

#: run from a folder holding only the unpacked wheel: migrate, then fetch a page and its CSS
SMOKE = """
import sys
from pathlib import Path
import portal
from flask_migrate import upgrade
from portal import create_app
assert Path(portal.__file__).is_relative_to(Path.cwd()), portal.__file__
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1]})
with app.app_context():
    upgrade()
client = app.test_client()
page = client.get("/login")
assert page.status_code == 200 and "/static/css/portal.css" in page.text, page.status_code
assert client.get("/static/css/portal.css").status_code == 200
print("served")
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = out.glob("sopu-*.whl")
    return found


def test_wheel_holds_templates_static_files_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        f"portal/{path.relative_to(ROOT).as_posix()}"
        for folder in DATA
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and not any(part in path.relative_to(ROOT).as_posix() for part in GENERATED)
    }
    assert {
        "portal/templates/base.html",
        "portal/static/css/portal.css",
        "portal/static/js/upload-progress.js",
        "portal/migrations/env.py",
    } <= expected
    assert sorted(expected - names) == []
    assert {
        "portal/translations/fi/LC_MESSAGES/messages.mo",
        "signing/__init__.py",
        "portal/translations/sv/LC_MESSAGES/messages.mo",
        "portal/app.py",
    } <= names
    assert not [name for name in names if "__pycache__" in name]


def test_the_unpacked_wheel_runs_on_its_own(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "PORTAL_DATA_DIR": str(tmp_path / "data"),
        "PORTAL_ENV": "development",
    }
    result = subprocess.run(
        [sys.executable, "-c", SMOKE, str(tmp_path / "portal.db")],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("served")
