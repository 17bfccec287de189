#!/usr/bin/env bash
# Sopu's one entry point for a newcomer:
#   ./dev.sh demo   set up, load the demo agreement and run the portal on http://127.0.0.1:5000
#   ./dev.sh test   set up and run every test (PostgreSQL too when TEST_DATABASE_URL is set)
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3 python3-venv)
command -v npm >/dev/null || need_apt+=(nodejs npm)
# Voikko, the Finnish morphological analyser the compatibility checks read Finnish with
compgen -G '/usr/lib/*/libvoikko.so.1' >/dev/null || compgen -G '/lib/*/libvoikko.so.1' >/dev/null \
  || compgen -G '/usr/lib/libvoikko.so.1' >/dev/null || need_apt+=(libvoikko1)
[ -f /usr/lib/voikko/5/mor-standard/mor.vfst ] || [ -f /usr/share/voikko/5/mor-standard/mor.vfst ] \
  || need_apt+=(voikko-fi)
# Ghostscript and poppler-utils: the PDF/A-2b conversion at preparation and its check
command -v gs >/dev/null || need_apt+=(ghostscript)
command -v pdftoppm >/dev/null || need_apt+=(poppler-utils)
if [ "${1:-}" = test ]; then
  command -v chromium >/dev/null || need_apt+=(chromium)
  command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
  command -v pdfsig >/dev/null || need_apt+=(poppler-utils)
  command -v softhsm2-util >/dev/null || need_apt+=(softhsm2)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing system packages: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Please install these system packages first: ${need_apt[*]}" >&2
    exit 1
  fi
fi

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "Python 3.11 or newer is needed" >&2; exit 1; }

# Every dependency comes from a lock file, hashes checked (scripts/lock.sh regenerates them from
# pyproject.toml); the project itself is then installed editable, with no dependency of its own.
setup() {
  local lock="$1" stamp=".venv/.installed-${1%.lock}"
  [ -d .venv ] || python3 -m venv .venv
  if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ setup.py -nt "$stamp" ]; then
    .venv/bin/pip install --quiet --require-hashes -r "$lock"
    .venv/bin/pip install --quiet --no-deps --no-build-isolation -e .
    touch "$stamp"
  fi
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
  npm run --silent vendor
  .venv/bin/python -m portal.i18n_build >/dev/null
}

case "${1:-}" in
  demo)
    setup requirements.lock
    export PORTAL_ENV=development PORTAL_DATA_DIR="${PORTAL_DATA_DIR:-$PWD/data}"
    .venv/bin/portal db upgrade
    .venv/bin/portal demo --password "${DEMO_PASSWORD:-demo}" ${DEMO_TOKENS:+--tokens "$DEMO_TOKENS"}
    exec .venv/bin/portal run --host 127.0.0.1 --port "${PORT:-5000}"
    ;;
  test)
    setup requirements-test.lock
    shift
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: ./dev.sh demo | ./dev.sh test [pytest arguments]" >&2
    exit 2
    ;;
esac
