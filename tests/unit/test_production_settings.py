"""Docker users get the production settings that matter for security from one documented
environment file, and every setting in it is one the portal reads."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "production.env.example"
SECURITY_SETTINGS = [
    "PORTAL_SECRET_KEY",
    "PORTAL_KEY_ENCRYPTION_KEY",
    "PORTAL_RATELIMIT_STORAGE_URL",
    "PORTAL_TRUSTED_PROXIES",
    "PORTAL_BASE_URL",
    "PORTAL_ENV",
]


def _names(text: str) -> set[str]:
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))


def test_the_environment_file_sets_the_security_settings():
    set_names = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", EXAMPLE.read_text(), re.MULTILINE))
    assert set(SECURITY_SETTINGS) <= set_names


def test_every_setting_in_the_environment_file_is_read_by_the_portal():
    config = (ROOT / "portal" / "config.py").read_text()
    for name in _names(EXAMPLE.read_text()) - {"WEB_CONCURRENCY"}:
        assert f'"{name}"' in config, name
    assert "WEB_CONCURRENCY" in (ROOT / "Dockerfile").read_text()


def test_readme_and_dockerfile_point_to_the_environment_file():
    readme = (ROOT / "README.md").read_text()
    assert "deploy/production.env.example" in readme
    assert "deploy/production.env.example" in (ROOT / "Dockerfile").read_text()
    section = readme.split("## Production and security", 1)[1].split("\n## ", 1)[0]
    for name in SECURITY_SETTINGS:
        assert name in section, name
