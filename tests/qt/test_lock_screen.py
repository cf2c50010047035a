"""The idle lock of an encrypted database: after the delay without input the main window
hides its content behind the lock screen; the passphrase brings it back. Driven through
the idle check with a fake clock (no wall-clock waits)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout
from pytestqt.qtbot import QtBot

from advisor_app.services import protection
from advisor_app.services.database import Database, open_database
from advisor_app.ui.dialogs.settings_dialog import SettingsDialog
from advisor_app.ui.main_window import MainWindow

PASSPHRASE = "Chefchaouen bleue 1471"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def encrypted_db(db_path: Path) -> Iterator[Database]:
    protection.encrypt_database(db_path, PASSPHRASE)
    database = open_database(db_path, passphrase=PASSPHRASE)
    yield database
    database.close()


def _window(qtbot: QtBot, db: Database, settings: QSettings) -> tuple[MainWindow, Clock]:
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    clock = Clock()
    idle = window.window_lock.idle
    idle._clock = clock
    idle.set_minutes(protection.idle_lock_minutes(db))
    window.show()
    return window, clock


def test_the_window_locks_after_the_idle_delay_and_the_passphrase_unlocks_it(
        qtbot: QtBot, encrypted_db: Database, settings: QSettings) -> None:
    window, clock = _window(qtbot, encrypted_db, settings)
    lock = window.window_lock
    assert lock.idle.minutes == 15 and lock.idle.timer.isActive()
    assert window.menu_actions["lock"].isVisible()

    clock.now += 14 * 60
    assert not lock.idle.check_idle()
    qtbot.keyClick(window.companies.search, Qt.Key.Key_A)  # input: the count starts again
    clock.now += 2 * 60
    assert not lock.idle.check_idle() and not lock.locked

    clock.now += 15 * 60
    assert lock.idle.check_idle()
    assert lock.locked
    assert lock.stack.currentWidget() is lock.screen
    assert not lock.content.isVisible()  # the companies, the navigation: all hidden
    assert not window.menuBar().isEnabled() and not window.statusBar().isVisible()
    window.grab().save("/tmp/lock_screen.png")

    qtbot.keyClicks(lock.screen.passphrase, "chefchaouen bleue 1471")
    lock.screen.unlock_button.click()
    assert lock.screen.error.text() == "Phrase secrète incorrecte."
    assert lock.locked
    qtbot.keyClicks(lock.screen.passphrase, PASSPHRASE)
    qtbot.keyClick(lock.screen.passphrase, Qt.Key.Key_Return)
    assert not lock.locked
    assert lock.content.isVisible() and window.menuBar().isEnabled() and window.statusBar().isVisible()
    assert window.companies.search.text() == "a"  # what was typed before is still there
    assert lock.screen.passphrase.text() == ""

    clock.now += 10 * 60  # counting restarted at the unlock
    assert not lock.idle.check_idle()


def test_a_dialog_left_open_is_emptied_and_unlocked_on_top(
        qtbot: QtBot, encrypted_db: Database, settings: QSettings) -> None:
    window, _clock = _window(qtbot, encrypted_db, settings)
    dialog = QDialog(window)
    layout = QVBoxLayout(dialog)
    name = QLineEdit("Khadija Benali")
    layout.addWidget(QLabel("Personne"))
    layout.addWidget(name)
    dialog.setWindowTitle("Modifier Khadija Benali")
    dialog.setModal(True)
    dialog.show()
    window.menu_actions["lock"].trigger()  # Ctrl+L: at once
    assert window.window_lock.locked
    assert not name.isVisible() and "Khadija" not in dialog.windowTitle()
    over = window.window_lock.unlock_dialog
    assert over is not None and over.isVisible()
    screen = over.findChildren(type(window.window_lock.screen))[0]
    over.reject()  # Escape does not get past the lock
    qtbot.waitUntil(over.isVisible)
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    screen.unlock_button.click()
    assert not window.window_lock.locked
    assert name.isVisible() and name.text() == "Khadija Benali"
    assert dialog.windowTitle() == "Modifier Khadija Benali" and dialog.isVisible()
    dialog.close()


def test_idle_lock_delay_is_chosen_in_the_settings(
        qtbot: QtBot, encrypted_db: Database, settings: QSettings) -> None:
    window, _clock = _window(qtbot, encrypted_db, settings)
    dialog = SettingsDialog(settings, db=encrypted_db)
    qtbot.addWidget(dialog)
    assert dialog.idle_lock.currentText() == "Après 15 min sans activité"
    dialog.idle_lock.setCurrentIndex(dialog.idle_lock.findData("5"))
    assert dialog.save()
    assert protection.idle_lock_minutes(encrypted_db) == 5
    window.window_lock.reload_settings()
    assert window.window_lock.idle.minutes == 5

    dialog = SettingsDialog(settings, db=encrypted_db)
    qtbot.addWidget(dialog)
    dialog.idle_lock.setCurrentIndex(dialog.idle_lock.findData("0"))
    assert dialog.idle_lock.currentText() == "Jamais"
    dialog.save()
    window.window_lock.reload_settings()
    assert not window.window_lock.idle.timer.isActive()
    window.window_lock.idle.last_input -= 10 * 3600
    assert not window.window_lock.idle.check_idle()


def test_a_plain_database_never_locks(qtbot: QtBot, db: Database, settings: QSettings) -> None:
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    assert not window.window_lock.idle.timer.isActive()
    assert not window.menu_actions["lock"].isVisible()
    window.window_lock.lock()
    assert not window.window_lock.locked
    dialog = SettingsDialog(settings, db=db)
    qtbot.addWidget(dialog)
    assert not dialog.idle_lock.isEnabled()
    assert "chiffrez d'abord la base" in dialog.idle_lock.toolTip()
