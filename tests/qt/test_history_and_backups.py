"""The company page's Historique tab, and the backups screen (File menu): a backup made,
listed, then restored after a confirmation, the screens showing the restored data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from advisor_app.services import backup
from advisor_app.services.companies import PersonForm, empty_company_form, load_company_form, save_company
from advisor_app.services.database import Database
from advisor_app.ui.dialogs.restore_dialog import RestoreDialog
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.views.company_page import CompanyPage


def _company(db: Database, name: str) -> str:
    form = empty_company_form(db)
    form.name, form.city, form.region_code = name, "Settat", "MA-06"
    form.people = [PersonForm(role="owner", first_name="Amina", last_name="Alaoui")]
    return save_company(db, form)


def test_history_tab_lists_changes_newest_first(qtbot: QtBot, db: Database) -> None:
    company_id = _company(db, "Atlas Conserves")
    form = load_company_form(db, company_id)
    form.city = "Berrechid"
    save_company(db, form)
    page = CompanyPage(db)
    qtbot.addWidget(page)
    page.show_company(company_id)
    tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert "Historique" in tabs
    page.tabs.setCurrentIndex(tabs.index("Historique"))
    table = page.history_tab.table
    assert table.rowCount() == 3
    first = [_text(table, 0, c) for c in range(table.columnCount())]
    assert first[1:4] == ["Ce poste", "Entreprise", "Modification"]
    assert first[4] == "Ville : Settat → Berrechid"
    assert {_text(table, r, 2) for r in range(3)} == {"Entreprise", "Personne : Amina Alaoui"}
    assert not page.history_tab.empty.isVisible()
    page.resize(1100, 600)
    page.show()
    page.grab().save("/tmp/history_tab.png")


def test_backups_screen_backs_up_and_restores(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    window = MainWindow(db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert window.menu_actions["backups"].text() == "Sauvegardes et &restauration…"
    _company(db, "Atlas Conserves")
    dialog = RestoreDialog(db, window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0 and not dialog.restore_button.isEnabled()
    dialog.backup_button.click()
    assert dialog.table.rowCount() == 1
    assert _text(dialog.table, 0, 2) == backup.list_backups(db.path)[0].path.name
    assert _text(dialog.table, 0, 1).endswith("Ko")
    assert "Sauvegarde faite" in dialog.message.text()
    dialog.resize(760, 420)
    dialog.show()
    dialog.grab().save("/tmp/restore_dialog.png")

    _company(db, "Après la sauvegarde")
    asked: list[Path] = []
    def refuse(source: Path) -> bool:
        asked.append(source)
        return False

    dialog.confirm = refuse  # type: ignore[method-assign]
    dialog.restore_button.click()
    assert len(asked) == 1
    assert _names(db) == {"Atlas Conserves", "Après la sauvegarde"}  # refused: nothing changed

    dialog.confirm = lambda source: True  # type: ignore[method-assign]
    dialog.restored.connect(window.data_changed)
    with qtbot.waitSignal(dialog.restored):
        dialog.restore_button.click()
    assert dialog.error.text() == ""
    assert "Base restaurée" in dialog.message.text()
    assert _names(db) == {"Atlas Conserves"}  # the same Database object reads the restored file
    assert dialog.table.rowCount() == 1  # the copy of the replaced base is kept apart


def test_the_app_backs_up_at_start_when_the_last_backup_is_old(
        qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(db, settings, automatic_backups=True)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.auto_backup.done, timeout=30_000) as made:
        pass
    assert made.args is not None and made.args[0] is not None
    assert [b.path for b in backup.list_backups(db.path)] == [made.args[0].path]
    window.auto_backup.wait()
    again = MainWindow(db, settings, automatic_backups=True)  # a second start the same day
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.auto_backup.done, timeout=30_000) as second:
        pass
    assert second.args == [None]
    again.auto_backup.after_sync()  # after a sync: none either, the last one is recent
    again.auto_backup.wait()
    assert len(backup.list_backups(db.path)) == 1


def test_restore_refuses_a_file_that_is_no_backup(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    _company(db, "Atlas Conserves")
    dialog = RestoreDialog(db)
    qtbot.addWidget(dialog)
    junk = tmp_path / "notes.sqlite"
    junk.write_text("pas une base")
    dialog.restore_file(junk)
    assert "n'est pas une base de données SQLite" in dialog.error.text()
    assert _names(db) == {"Atlas Conserves"}


def _text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def _names(db: Database) -> set[str]:
    from advisor_app.services.companies import CompanyFilter, search_companies

    return {row.name for row in search_companies(db, filter=CompanyFilter())}


def test_an_encrypted_database_restores_from_the_screen(qtbot: QtBot, db: Database) -> None:
    from advisor_app.services.database import open_database
    from advisor_app.storage import encryption

    _company(db, "Atlas Conserves")
    db.close()
    encryption.convert(db.path, None, "phrase secrète 123")
    encrypted = open_database(db.path, passphrase="phrase secrète 123")
    try:
        dialog = RestoreDialog(encrypted)
        qtbot.addWidget(dialog)
        dialog.backup_button.click()
        _company(encrypted, "Après la sauvegarde")
        dialog.confirm = lambda source: True  # type: ignore[method-assign]
        dialog.restore_button.click()
        assert dialog.error.text() == ""
        assert _names(encrypted) == {"Atlas Conserves"}
        assert encryption.is_encrypted(db.path)
    finally:
        encrypted.close()
