#!/usr/bin/env bash
# Sopu's one entry point for a newcomer:
#   ./dev.sh demo [--port N]   set up, load the demo agreement and run the portal and a worker
#                   on http://127.0.0.1:5000 (or N, or $PORT)
#   ./dev.sh test   set up and run every test (PostgreSQL too when TEST_DATABASE_URL is set), in
#                   parallel (pytest-xdist, one worker per core); `./dev.sh test -p no:xdist` serially
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
    shift
    port="${PORT:-5000}"
    while [ $# -gt 0 ]; do
      case "$1" in
        --port) port="$2"; shift 2 ;;
        --port=*) port="${1#--port=}"; shift ;;
        *) echo "usage: ./dev.sh demo [--port N]" >&2; exit 2 ;;
      esac
    done
    setup requirements.lock
    # mail links point where this demo serves, unless PORTAL_BASE_URL says otherwise
    export PORTAL_ENV=development PORTAL_DATA_DIR="${PORTAL_DATA_DIR:-$PWD/data}" \
      PORTAL_BASE_URL="${PORTAL_BASE_URL:-http://127.0.0.1:$port}"
    .venv/bin/portal db upgrade
    .venv/bin/portal demo --password "${DEMO_PASSWORD:-demo}" ${DEMO_TOKENS:+--tokens "$DEMO_TOKENS"}
    # a worker beside the web process delivers the mail (as .eml files under data/mail without
    # PORTAL_SMTP_HOST) and runs the checks; it ends when the web process does
    .venv/bin/portal worker &
    worker=$!
    trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT
    trap 'exit 130' INT TERM
    .venv/bin/portal run --host 127.0.0.1 --port "$port"
    ;;
  test)
    setup requirements-test.lock
    shift
    # In parallel by default (pytest-xdist): one worker per core, each test file on one worker
    # (--dist loadfile: a file's module fixtures, its Chromium, its mypy run stay in one process).
    # Serial when the caller says how (-n N, --numprocesses, --dist, -p no:xdist) or names one
    # test file or test (a file runs on one worker anyway; starting workers would only cost time).
    parallel=(-n auto --dist loadfile)
    paths=0 file=0 prev=
    for arg in "$@"; do
      case "$arg" in
        -n|-n[0-9]*|-nauto|-nlogical|--numprocesses|--numprocesses=*|--dist|--dist=*|--tx|--tx=*) parallel=() ;;
        no:xdist) [ "$prev" = -p ] && parallel=() ;;
        -pno:xdist) parallel=() ;;
        -*) ;;
        *)
          if [ -e "${arg%%::*}" ]; then
            paths=$((paths + 1))
            [ -f "${arg%%::*}" ] && file=1
          fi
          ;;
      esac
      prev="$arg"
    done
    [ "$paths" -eq 1 ] && [ "$file" -eq 1 ] && parallel=()
    exec .venv/bin/python -m pytest ${parallel[@]+"${parallel[@]}"} "$@"
    ;;
  *)
    echo "usage: ./dev.sh demo [--port N] | ./dev.sh test [pytest arguments]" >&2
    exit 2
    ;;
esac
