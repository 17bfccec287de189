"""portal/checks is pure like a domain.py: no Flask, SQLAlchemy or Werkzeug anywhere in it."""

from tests.unit.test_layering import FORBIDDEN, ROOT, offenders


def test_checks_import_neither_flask_nor_sqlalchemy():
    paths = sorted((ROOT / "portal" / "checks").rglob("*.py"))
    assert len(paths) >= 5
    assert offenders(paths, FORBIDDEN) == []
