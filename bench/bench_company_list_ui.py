"""The companies screen with 100 000 companies (issue 3): open time and memory.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_company_list_ui.py [--companies N]

Floor, measured in the same run: a bare QTableView over a minimal table model holding the
same first page of rows, read with plain sqlite3 (no service, no dataclass), painted once.
Ours: the real CompaniesView (filter choices, SQL count, first page, paint). Budget: under
2x the floor. Memory: what the open screen's model holds (tracemalloc) against all rows as
plain Python tuples (budget: under 1.2x; paging keeps it far below). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView, QWidget

sys.path.insert(0, str(Path(__file__).parent))
from bench_company_search import build

from advisor_app.services.database import open_database
from advisor_app.storage import migrate
from advisor_app.ui.models.company_table import FIRST_PAGE
from advisor_app.ui.views.companies_view import CompaniesView

ROWS_SQL = ("SELECT c.id, c.name, c.city, r.name_fr, s.name_fr FROM company c "
            "JOIN region r ON r.code = c.region_code LEFT JOIN sector s ON s.code = c.sector_code "
            "WHERE c.deleted_at IS NULL ORDER BY c.name, c.id")


_KEEP: list[object] = []


class _BareModel(QAbstractTableModel):
    def __init__(self, rows: list[tuple[Any, ...]], parent: QTableView) -> None:
        super().__init__(parent)
        self.rows = rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 6

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.column() < 5:
            return self.rows[index.row()][index.column() + 0]
        return None


def _floor(path: Path) -> float:
    start = time.perf_counter()
    conn = sqlite3.connect(path)
    rows = conn.execute(ROWS_SQL + f" LIMIT {FIRST_PAGE}").fetchall()
    view = QTableView()
    view.setModel(_BareModel(rows, view))
    view.resize(1200, 700)
    view.grab()
    elapsed = time.perf_counter() - start
    conn.close()
    _dispose(view)
    return elapsed


def _dispose(widget: QWidget) -> None:
    # Widgets die inside Qt's event loop, not at interpreter exit (PySide finalisation).
    widget.deleteLater()
    QApplication.processEvents()


def _ours(db: Any) -> float:
    start = time.perf_counter()
    view = CompaniesView(db)
    view.resize(1200, 700)
    view.grab()
    elapsed = time.perf_counter() - start
    _dispose(view)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    _KEEP.append(app)  # the application outlives every widget, until interpreter exit
    path = args.folder / f"mowakaba-bench-{args.companies}-{migrate.head_revision()}.sqlite"
    if not path.exists():
        build(path, args.companies)
    db = open_database(path)
    try:
        floors = [_floor(path) for _ in range(7)]
        ours = [_ours(db) for _ in range(7)]
        floor, mine = statistics.median(floors), statistics.median(ours)
        print(f"open, {args.companies} companies: floor {floor * 1000:.1f} ms, "
              f"ours {mine * 1000:.1f} ms, ratio {mine / floor:.2f} (budget 2.00)")

        conn = sqlite3.connect(path)
        tracemalloc.start()
        everything = conn.execute(ROWS_SQL).fetchall()
        all_rows = tracemalloc.get_traced_memory()[0]
        del everything
        tracemalloc.stop()
        conn.close()
        tracemalloc.start()
        view = CompaniesView(db)
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        print(f"memory: all rows as tuples {all_rows / 1e6:.1f} MB, open screen "
              f"{held / 1e6:.2f} MB, ratio {held / all_rows:.3f} (budget 1.20)")
        _dispose(view)
    finally:
        db.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
