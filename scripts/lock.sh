#!/usr/bin/env bash
# Regenerates the lock files from pyproject.toml; run it after changing a dependency there
# (tests/unit/test_lock.py fails until then). Every distribution is pinned with its hashes:
#   requirements.lock       the runtime and the build backend: the Dockerfile, ./dev.sh demo
#   requirements-test.lock  the same versions plus the test extras: ./dev.sh test, .ci/run
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-lock
if [ ! -x "$venv/bin/pip-compile" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pip-tools==7.6.2
fi
# this machine's pip settings (local wheel folders, extra indexes) stay out of the lock
unset PIP_FIND_LINKS PIP_EXTRA_INDEX_URL PIP_INDEX_URL PIP_CONSTRAINT
export PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="scripts/lock.sh"

compile() {
  "$venv/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras --build-deps-for wheel \
    --index-url https://pypi.org/simple --no-emit-index-url "$@" pyproject.toml
}
compile --extra test --output-file requirements-test.lock
# the runtime lock takes its versions from the test lock, so both install the same runtime
compile --constraint requirements-test.lock --output-file requirements.lock
