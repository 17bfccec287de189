"""signing/, portal/checks and every domain.py stay free of Flask and SQLAlchemy (and signing of
portal): checked on what importing them actually loads, not only on the imports they write."""

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("flask", "flask_", "sqlalchemy", "werkzeug")

#: run in a fresh interpreter: imports each module in turn and names what each newly loaded
PROBE = """
import importlib, json, sys
loaded = {}
for name in sys.argv[1:]:
    before = set(sys.modules)
    importlib.import_module(name)
    loaded[name] = sorted({m.split(".")[0] for m in set(sys.modules) - before})
print(json.dumps(loaded))
"""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def loaded_by(paths: list[Path]) -> dict[str, list[str]]:
    """For each module (imported in this order in one fresh interpreter), what it loaded."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *map(module_name, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=True,
    )
    return json.loads(result.stdout)


def offenders(paths, forbidden) -> list[str]:
    """What importing them loads, and (an import inside a function runs late) what they write."""
    return [
        f"importing {name} loads {top}"
        for name, tops in loaded_by(paths).items()
        for top in tops
        if top.startswith(forbidden)
    ] + [
        f"{p.relative_to(ROOT)} imports {m}"
        for p in paths
        for m in sorted(written_imports(p))
        if m.split(".")[0].startswith(forbidden)
    ]


def written_imports(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def test_signing_loads_neither_flask_sqlalchemy_nor_portal():
    paths = sorted((ROOT / "signing").rglob("*.py"))
    assert paths, "signing/ has no modules"
    assert offenders(paths, FORBIDDEN + ("portal",)) == []


def test_domain_modules_and_checks_are_pure():
    paths = sorted((ROOT / "portal").rglob("domain.py")) + sorted((ROOT / "portal" / "checks").rglob("*.py"))
    assert len(paths) >= 5
    assert offenders(paths, FORBIDDEN) == []


def test_the_probe_sees_what_an_import_loads():
    """The check can fail: importing the app factory loads Flask and SQLAlchemy."""
    assert {"flask", "sqlalchemy"} <= set(loaded_by([ROOT / "portal" / "app.py"])["portal.app"])
