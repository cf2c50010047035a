#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian machine and runs all of it:
# Qt's system libraries, the virtual environment, PostgreSQL; then lint, types and pytest.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/unit -x`.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Libraries Qt needs even offscreen (a desktop has them; a bare server may not).
missing=()
for pkg in libegl1 libgl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 fonts-dejavu-core; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

source scripts/setup-venv.sh
setup_venv test

# PostgreSQL tests fail (not skip) under CI when no server answers: start the local one.
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    if ! pg_isready -q -h 127.0.0.1 -p 5432; then
        version="$(ls /etc/postgresql | sort -V | tail -1)"
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
fi

export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check advisor_app tests migrations
.venv/bin/mypy

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "pytest collected no test (exit 5): nothing failed, nothing was checked."
    status=0
fi
exit "$status"
