#!/usr/bin/env bash
# Extract the portal's messages into portal/translations/messages.pot and merge them into the
# Finnish and Swedish catalogs (English is the source language of the msgids).
#
#   scripts/i18n.sh            extract + update (init a catalog the first time)
#   scripts/i18n.sh --compile  ... and compile the .mo files (git-ignored build output)
#
# The keywords must match tests/unit/test_translations.py, which fails on a missing translation.
# Babel's default keywords (_, gettext, ngettext, pgettext, npgettext, ...) stay on; Jinja's
# {% trans %} blocks extract as gettext/ngettext/pgettext calls through babel.cfg.
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
POT=portal/translations/messages.pot
LOCALES=(fi sv)

new_pot="$(mktemp)"
trap 'rm -f "$new_pot"' EXIT
"$PYBABEL" -q extract -F babel.cfg \
  -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k pgettext:1c,2 \
  -k lazy_ngettext:1,2 -k npgettext:1c,2,3 -k N_ \
  --sort-by-file --add-comments=TRANSLATORS: \
  --project=Sopu --version=0.1.0 --copyright-holder="the Sopu project" \
  -o "$new_pot" .
# Keep the committed template when only its creation date would change (no noise in diffs).
without_date() { grep -v '^"POT-Creation-Date: ' "$1"; }
if [[ ! -f "$POT" ]] || ! diff -q <(without_date "$new_pot") <(without_date "$POT") >/dev/null; then
  cp "$new_pot" "$POT"
fi

for lang in "${LOCALES[@]}"; do
  po="portal/translations/$lang/LC_MESSAGES/messages.po"
  if [[ -f "$po" ]]; then
    "$PYBABEL" -q update -i "$POT" -d portal/translations -l "$lang" \
      --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
  else
    "$PYBABEL" -q init -i "$POT" -d portal/translations -l "$lang"
  fi
done

if [[ "${1:-}" == "--compile" ]]; then
  "$PYTHON" -m portal.i18n_build
fi

# What is left to translate (empty msgstr or fuzzy), per language.
"$PYTHON" - "${LOCALES[@]}" <<'PY'
import sys

from babel.messages.pofile import read_po

for lang in sys.argv[1:]:
    with open(f"portal/translations/{lang}/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    todo = [m.id for m in catalog if m.id and (m.fuzzy or not m.string or
            (isinstance(m.string, tuple) and not all(m.string)))]
    print(f"{lang}: {len([m for m in catalog if m.id])} messages, {len(todo)} to translate")
    for msgid in todo:
        print(f"  {msgid!r}")
PY
