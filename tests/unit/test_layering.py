"""signing/ and every domain.py stay free of Flask and SQLAlchemy (and signing of portal)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("flask", "flask_", "sqlalchemy", "werkzeug")


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def offenders(paths, forbidden) -> list[str]:
    return [f"{p.relative_to(ROOT)} imports {m}" for p in paths for m in sorted(imported_modules(p))
            if m.split(".")[0].startswith(forbidden)]


def test_signing_imports_neither_flask_sqlalchemy_nor_portal():
    paths = sorted((ROOT / "signing").rglob("*.py"))
    assert paths, "signing/ has no modules"
    assert offenders(paths, FORBIDDEN + ("portal",)) == []


def test_domain_modules_are_pure():
    paths = sorted((ROOT / "portal").rglob("domain.py"))
    assert len(paths) >= 4
    assert offenders(paths, FORBIDDEN) == []
