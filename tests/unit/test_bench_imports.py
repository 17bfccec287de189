"""The benchmarks run from a plain install (`./dev.sh demo`: no pytest): no bench imports pytest
or the tests, anywhere in its code (read with ast, imports inside functions included) nor through
what importing it loads. The one exception is the labelled corpus of the compatibility checks
(tests/corpus/loader.py, data shared with bench_checks_accuracy.py), itself held to the same rule."""

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCHES = sorted((ROOT / "bench").glob("*.py"))
CORPUS = "tests.corpus.loader"


def imported(path: Path) -> set[str]:
    """Every module name an import statement in `path` names (relative imports left out)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def forbidden(names: set[str], allowed: tuple[str, ...] = ()) -> list[str]:
    def top(name: str) -> str:
        return name.split(".")[0]

    return sorted(
        n
        for n in names
        if top(n) in ("pytest", "_pytest")
        or (top(n) == "tests" and not any(n == a or n.startswith(a + ".") for a in allowed))
    )


def test_the_benches_exist():
    assert {p.name for p in BENCHES} >= {"bench_signing.py", "bench_big.py", "bench_checks.py", "benchkit.py"}


def test_no_bench_imports_pytest_or_the_tests():
    found = {p.name: forbidden(imported(p), allowed=(CORPUS,)) for p in BENCHES}
    assert {name: bad for name, bad in found.items() if bad} == {}


def test_the_corpus_the_accuracy_bench_reads_imports_neither():
    assert forbidden(imported(ROOT / "tests" / "corpus" / "loader.py")) == []


def test_the_checks_finds_a_forbidden_import(tmp_path):
    sample = tmp_path / "bench_x.py"
    sample.write_text("def f():\n    from tests.unit.signing import samples\n    import pytest\n")
    assert forbidden(imported(sample)) == ["pytest", "tests.unit.signing", "tests.unit.signing.samples"]


PROBE = """
import importlib, json, sys
sys.path.insert(0, sys.argv[1])
for name in sys.argv[2:]:
    importlib.import_module(name)
print(json.dumps(sorted({m for m in sys.modules if m.split(".")[0] in ("pytest", "_pytest", "tests")})))
"""


def test_importing_the_benches_loads_neither():
    modules = [f"bench.{p.stem}" for p in BENCHES]
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT), *modules],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    assert loaded <= {"tests", "tests.corpus", CORPUS}, loaded
