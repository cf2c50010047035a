"""``mowakaba --smoke-test``: proves an installed (or PyInstaller-built) application works:
it finds its migrations, resources and fonts, creates and migrates a database in a
temporary folder, runs a query, shows the main window offscreen and quits with 0."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def _peak_rss_mib() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS, KiB elsewhere


def smoke_test(db_path: Path | None = None) -> int:
    """With ``db_path``, that (existing) database instead of a new one: a start-up as the
    advisor has it, without the first-run migrations (bench/run_all.py)."""
    start = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from advisor_app.services.database import open_database
    from advisor_app.services.stats import database_stats

    with tempfile.TemporaryDirectory(prefix="mowakaba-smoke-") as folder:
        db = open_database(db_path or Path(folder) / "smoke.sqlite")
        try:
            stats = database_stats(db)
            app = QApplication.instance() or QApplication(sys.argv[:1])
            from advisor_app.ui.main_window import MainWindow

            settings = QSettings(str(Path(folder) / "smoke.ini"), QSettings.Format.IniFormat)
            window = MainWindow(db, settings)
            window.show()
            app.processEvents()
            shown = time.perf_counter() - start
            visible = window.isVisible()
            from advisor_app.reports.fonts import register  # after: the window never waits for reportlab

            fonts = register()
            window.close()
            app.processEvents()
        finally:
            db.close()
    if not visible or not stats.tables.get("region"):
        print("smoke test FAILED: no window or no reference data", file=sys.stderr)
        return 1
    peak = _peak_rss_mib()
    memory = f", peak RSS {peak:.0f} MiB" if peak is not None else ""
    print(f"smoke test ok: schema {stats.schema_revision}, {stats.tables['region']} regions, "
          f"fonts {'/'.join(fonts)}, main window shown in {shown * 1000:.0f} ms{memory}")
    return 0
