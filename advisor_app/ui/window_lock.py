"""Locks the main window: after the idle delay (or on demand) its content, menu and status
bar give way to the lock screen, and any dialog left open over it is emptied (its widgets
hidden, typed text kept) until the passphrase is typed again. Only for an encrypted
database: the passphrase is what unlocks. The database stays open; a sync goes on."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import protection
from advisor_app.services.database import Database
from advisor_app.ui.idle_lock import IdleLock
from advisor_app.ui.widgets.lock_screen import LockScreen


class WindowLock(QObject):
    def __init__(self, window: QMainWindow, db: Database) -> None:
        super().__init__(window)
        self._window = window
        self._db = db
        self._hidden: list[tuple[QWidget, list[QWidget], str]] = []  # dialog, children, title
        self.unlock_dialog: QDialog | None = None  # over a dialog left open when it locked
        self.screen = LockScreen(lambda typed: protection.passphrase_matches(db, typed), db.path.name)
        content = window.takeCentralWidget()
        assert content is not None, "the window's content comes first"
        self.stack = QStackedWidget()
        self.stack.addWidget(content)
        self.stack.addWidget(self.screen)
        window.setCentralWidget(self.stack)
        self.content: QWidget = content
        self.idle = IdleLock(protection.idle_lock_minutes(db) if db.encrypted else 0, self)
        self.idle.locked.connect(self._lock)
        self.screen.unlocked.connect(self._unlock)

    @property
    def available(self) -> bool:
        return self._db.encrypted

    @property
    def locked(self) -> bool:
        return self.stack.currentWidget() is self.screen

    def reload_settings(self) -> None:
        if self._db.encrypted:
            self.idle.set_minutes(protection.idle_lock_minutes(self._db))

    def lock(self) -> None:
        if self.available:
            self.idle.lock_now()

    def _lock(self) -> None:
        if self.locked:
            return
        for top in QApplication.topLevelWidgets():
            if isinstance(top, QDialog) and top.isVisible():
                widget: QWidget = top
                children = [child for child in widget.findChildren(QWidget)
                            if child.parentWidget() is widget and child.isVisible()]
                self._hidden.append((widget, children, widget.windowTitle()))
                for child in children:
                    child.hide()
                widget.setWindowTitle(tr("Mowakaba — verrouillé"))
                widget.setEnabled(False)
        self.stack.setCurrentWidget(self.screen)
        self._window.menuBar().setEnabled(False)
        self._window.statusBar().hide()
        self.screen.reset()
        modal = QApplication.activeModalWidget()
        if modal is not None:  # it takes the input from the window: unlock on top of it
            self.unlock_dialog = self._unlock_dialog(modal)
            self.unlock_dialog.show()
        else:
            self._window.activateWindow()

    def _unlock_dialog(self, over: QWidget) -> QDialog:
        dialog = QDialog(over)
        dialog.setWindowTitle(tr("Mowakaba — verrouillé"))
        dialog.setModal(True)
        screen = LockScreen(lambda typed: protection.passphrase_matches(self._db, typed), self._db.path.name)
        layout = QVBoxLayout(dialog)
        layout.addWidget(screen)
        screen.unlocked.connect(self._unlock)
        # Escape does not get past the lock
        dialog.rejected.connect(lambda: QTimer.singleShot(0, dialog.show)
                                if self.unlock_dialog is dialog else None)
        return dialog

    def _unlock(self) -> None:
        if self.unlock_dialog is not None:
            over, self.unlock_dialog = self.unlock_dialog, None
            over.done(0)
            over.deleteLater()
        self.stack.setCurrentWidget(self.content)
        self._window.menuBar().setEnabled(True)
        self._window.statusBar().show()
        for dialog, children, title in self._hidden:
            dialog.setWindowTitle(title)
            dialog.setEnabled(True)
            for child in children:
                child.show()
        self._hidden.clear()
        self.idle.unlocked()

    def stop(self) -> None:
        self.idle.stop()
