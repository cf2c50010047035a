#!/usr/bin/env bash
# Sets up the virtual environment (first time only) and opens Mowakaba on the embedded
# SQLite database in the user's data folder. Extra arguments go to advisor-app,
# e.g. `bash scripts/run.sh --db /tmp/demo.sqlite`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-venv.sh
setup_venv
# Subcommands (init, demo, stats...) are headless; the window needs a screen.
if [ $# -eq 0 ] || [[ "$1" == --* ]]; then
    if [ "$(uname)" = Linux ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] \
        && [ -z "${QT_QPA_PLATFORM:-}" ]; then
        echo "No screen found (DISPLAY is empty): start Mowakaba from a desktop session." >&2
        exit 1
    fi
fi
exec .venv/bin/advisor-app "$@"
