"""``python -m advisor_app.hq``: the same as ``advisor-hq``."""

from advisor_app.hq.cli import main

raise SystemExit(main())
