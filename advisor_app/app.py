"""Composition root: opens the database, builds the services' window, runs Qt.

Start-up stays light: reportlab, httpx and the sync client are imported only when used."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from advisor_app.services.database import Database, is_encrypted, open_database
from advisor_app.services.errors import UserError
from advisor_app.services.settings import apply_language

LOCALES = {"fr": QLocale(QLocale.Language.French, QLocale.Country.Morocco),
           "en": QLocale(QLocale.Language.English, QLocale.Country.Morocco)}


def _speak(app: QApplication, code: str) -> None:
    """The language chosen in the settings: our texts (i18n catalog), Qt's own (standard
    buttons, print dialog) and number/date formats. A broken catalog leaves French."""
    try:
        apply_language(code)
    except UserError as exc:
        QMessageBox.warning(None, "Mowakaba", str(exc))
        code = "fr"
    QLocale.setDefault(LOCALES.get(code, LOCALES["fr"]))
    translator = QTranslator(app)
    if translator.load(QLocale(LOCALES.get(code, LOCALES["fr"])), "qtbase", "_",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)


def _unlock(db_path: Path) -> Database | None:
    """An encrypted database: its passphrase asked until it opens it, or the advisor quits."""
    from advisor_app.ui.dialogs.passphrase_dialog import PassphraseDialog

    dialog = PassphraseDialog(db_path.expanduser())
    dialog.exec()
    return dialog.database


def run(*, db_path: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Mowakaba")
    app.setOrganizationName("Mowakaba")
    from advisor_app.ui.dialogs.settings_dialog import saved_language

    _speak(app, saved_language(QSettings()))
    try:
        db = _unlock(db_path) if is_encrypted(db_path) else open_database(db_path)
    except UserError as exc:
        QMessageBox.critical(None, "Mowakaba", str(exc))
        return 1
    if db is None:  # the advisor chose to quit at the passphrase prompt
        return 0
    from advisor_app.ui.main_window import MainWindow

    window = MainWindow(db, automatic_backups=True)
    window.show()
    try:
        return app.exec()
    finally:
        db.close()
