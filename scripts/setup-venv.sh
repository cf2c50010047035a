# Sourced by run.sh and test.sh: creates .venv (once) and installs the project into it.
# Usage: setup_venv [extras]   e.g. setup_venv test
setup_venv() {
    local extras="${1:-}"
    local python="${PYTHON:-python3}"
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "Mowakaba needs Python 3.11 or newer ($python is $("$python" --version 2>&1))." >&2
        return 1
    fi
    # A venv made without python3-venv has a python but no pip: start again from scratch.
    if [ -d .venv ] && ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
        rm -rf .venv
    fi
    if [ ! -x .venv/bin/python ]; then
        if ! "$python" -m venv .venv || ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
            rm -rf .venv
            echo "Could not create .venv: on Debian/Ubuntu install python3-venv first." >&2
            return 1
        fi
    fi
    local stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)-${extras:-base}"
    if [ ! -e "$stamp" ]; then
        .venv/bin/python -m pip install --quiet --upgrade pip
        if [ -n "$extras" ]; then
            .venv/bin/python -m pip install --quiet -e ".[$extras]"
        else
            .venv/bin/python -m pip install --quiet -e .
        fi
        touch "$stamp"
    fi
}
