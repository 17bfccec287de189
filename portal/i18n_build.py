"""Compile the translation catalogs (.po → .mo); run at setup, in the Dockerfile and by the tests."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).parent / "translations"


def compile_catalogs() -> list[Path]:
    compiled = []
    for po_path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as f:
            catalog = read_po(f)
        with po_path.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        compiled.append(po_path.with_suffix(".mo"))
    return compiled


if __name__ == "__main__":
    for path in compile_catalogs():
        print(f"compiled {path}")
