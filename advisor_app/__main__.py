import sys

if "--smoke-test" in sys.argv[1:]:  # the packaged app's self-check (build.spec, tests/test_build.py)
    from pathlib import Path

    from advisor_app.ui.smoke import smoke_test

    args = sys.argv[1:]
    given = Path(args[args.index("--db") + 1]) if "--db" in args[:-1] else None
    raise SystemExit(smoke_test(given))

from advisor_app.cli import run

raise SystemExit(run())
