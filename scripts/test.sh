#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian machine and runs all of it:
# Qt's system libraries, the virtual environment, PostgreSQL; then lint, types and pytest.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/unit -x`.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Libraries Qt needs even offscreen (a desktop has them; a bare server may not).
missing=()
# chromium + chromium-driver: the certificate verification page is tested in a real browser;
# zbar-tools (zbarimg) decodes the printed QR codes, poppler-utils renders and reads PDFs.
for pkg in libegl1 libgl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 fonts-dejavu-core \
           chromium chromium-driver zbar-tools poppler-utils; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

source scripts/setup-venv.sh
setup_venv test

# PostgreSQL tests fail (not skip) under CI when no server answers. Use the machine's
# cluster (started if stopped) when it trusts postgres@127.0.0.1; otherwise run a private
# throw-away cluster with trust auth on another port. Install PostgreSQL if it is missing.
pg_usable() { psql -w -q -h 127.0.0.1 -p "$1" -U postgres -d postgres -c 'SELECT 1' >/dev/null 2>&1; }
if [ -z "${MOWAKABA_TEST_PG_URL:-}" ]; then
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
        echo "Installing PostgreSQL"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
    fi
    version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
    if [ -n "$version" ] && ! pg_isready -q -h 127.0.0.1 -p 5432; then
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
    if ! pg_usable 5432 && [ -n "$version" ]; then
        private="$(mktemp -d /tmp/mowakaba-pg.XXXXXX)"
        as_root chown postgres "$private"
        as_root runuser -u postgres -- "/usr/lib/postgresql/$version/bin/initdb" -A trust \
            -U postgres -D "$private/data" >/dev/null
        as_root runuser -u postgres -- "/usr/lib/postgresql/$version/bin/pg_ctl" -s -w \
            -D "$private/data" -l "$private/log" -o "-p 54329 -k $private -c listen_addresses=127.0.0.1" start
        export MOWAKABA_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:54329/postgres"
        trap 'as_root runuser -u postgres -- "/usr/lib/postgresql/$version/bin/pg_ctl" -s -D "$private/data" stop -m fast; as_root rm -rf "$private"' EXIT
    fi
fi

export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check advisor_app tests migrations
.venv/bin/mypy

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
# Exit 5 means "no test collected". For a selection given on the command line that is an
# answer (nothing matched); for the whole suite it would mean tests vanished: a failure.
if [ "$status" -eq 5 ]; then
    if [ $# -gt 0 ]; then
        echo "pytest: no test matches this selection."
        status=0
    else
        echo "pytest collected no test at all: the suite is broken." >&2
    fi
fi
exit "$status"
