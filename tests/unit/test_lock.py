"""The lock files agree with pyproject.toml: every dependency pinned there is locked at a version
it allows, with hashes, and nothing is locked as direct that pyproject.toml no longer names.
After changing a dependency, `scripts/lock.sh` regenerates both files."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
ENTRY = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>\S+)(?P<rest>(?:.*\n)*?)(?=^\S|\Z)", re.M)


def locked(name: str) -> dict[str, dict]:
    """name → {version, hashes, direct (named by pyproject.toml)} of one lock file."""
    text = (ROOT / name).read_text()
    return {
        canonicalize_name(m["name"]): {
            "version": m["version"],
            "hashes": re.findall(r"--hash=sha256:[0-9a-f]{64}", m["rest"]),
            "direct": "sopu (pyproject.toml" in m["rest"],
        }
        for m in ENTRY.finditer(text)
    }


def declared(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    lines = project["project"]["dependencies"] + project["build-system"]["requires"]
    for extra in extras:
        lines += project["project"]["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def disagreements(lock: dict[str, dict], requirements: list[Requirement]) -> list[str]:
    problems = []
    for requirement in requirements:
        entry = lock.get(canonicalize_name(requirement.name))
        if entry is None:
            problems.append(f"{requirement} is not locked")
        elif not requirement.specifier.contains(entry["version"], prereleases=True):
            problems.append(f"{requirement} but {entry['version']} is locked")
    named = {canonicalize_name(r.name) for r in requirements}
    problems += [
        f"{name} is locked as a direct dependency that pyproject.toml no longer names"
        for name, entry in lock.items()
        if entry["direct"] and name not in named
    ]
    return problems


def test_runtime_lock_agrees_with_pyproject():
    assert disagreements(locked("requirements.lock"), declared()) == []


def test_test_lock_agrees_with_pyproject():
    assert disagreements(locked("requirements-test.lock"), declared("test")) == []


def test_both_locks_install_the_same_runtime():
    runtime, test = locked("requirements.lock"), locked("requirements-test.lock")
    differ = {n: e["version"] for n, e in runtime.items() if test.get(n, {}).get("version") != e["version"]}
    assert differ == {}


def test_every_locked_distribution_has_hashes():
    for name in ("requirements.lock", "requirements-test.lock"):
        lock = locked(name)
        assert len(lock) > 50
        assert [n for n, e in lock.items() if not e["hashes"]] == [], name


def test_a_disagreement_is_seen():
    lock = locked("requirements.lock")
    flask = lock["flask"]["version"]
    assert disagreements(lock, [Requirement("Flask==0.1")])[0] == f"Flask==0.1 but {flask} is locked"
    assert disagreements(lock, [Requirement("no-such-dist==1")])[0] == "no-such-dist==1 is not locked"
    without_flask = [r for r in declared() if r.name != "Flask"]
    assert "flask is locked as a direct dependency that pyproject.toml no longer names" in disagreements(
        lock, without_flask
    )
