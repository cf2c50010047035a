"""Composition root: opens the database, builds the services' window, runs Qt.

Start-up stays light: reportlab, httpx and the sync client are imported only when used."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QMessageBox

from advisor_app.services.database import open_database
from advisor_app.services.errors import UserError


def run(*, db_path: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Mowakaba")
    app.setOrganizationName("Mowakaba")
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.Morocco))
    try:
        db = open_database(db_path)
    except UserError as exc:
        QMessageBox.critical(None, "Mowakaba", str(exc))
        return 1
    from advisor_app.ui.main_window import MainWindow

    window = MainWindow(db)
    window.show()
    try:
        return app.exec()
    finally:
        db.close()
