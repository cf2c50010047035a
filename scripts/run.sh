#!/usr/bin/env bash
# Sets up the virtual environment (first time only) and opens Mowakaba on the embedded
# SQLite database in the user's data folder. Extra arguments go to advisor-app,
# e.g. `bash scripts/run.sh --db /tmp/demo.sqlite`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-venv.sh
setup_venv
exec .venv/bin/advisor-app "$@"
