"""At start, for an encrypted database: the advisor types the passphrase. A wrong one says
so in French, clears the field and waits for another try; nothing is written to the file
until the right one opens it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services.database import Database, WrongPassphrase, open_database
from advisor_app.services.errors import UserError
from advisor_app.ui.widgets.forms import ERROR_STYLE

Opener = Callable[[Path, str], Database]


def _open(path: Path, passphrase: str) -> Database:
    return open_database(path, passphrase=passphrase)


class PassphraseDialog(QDialog):
    """``database`` holds the opened database once accepted."""

    def __init__(self, path: Path, parent: QWidget | None = None, *, opener: Opener = _open) -> None:
        super().__init__(parent)
        self._path = path
        self._opener = opener
        self.database: Database | None = None
        self.attempts = 0
        self.setWindowTitle(tr("Mowakaba — base chiffrée"))
        self.setMinimumWidth(440)

        title = QLabel(tr("Base de données chiffrée"))
        title.setStyleSheet("font-size: 15px; font-weight: bold;")
        explain = QLabel(tr("Tapez votre phrase secrète pour ouvrir « {name} ».").format(name=path.name))
        explain.setWordWrap(True)
        where = QLabel(str(path))
        where.setStyleSheet("color: #5f6368;")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(tr("Phrase secrète"))
        self.passphrase.setAccessibleName(tr("Phrase secrète"))
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.unlock_button = buttons.addButton(tr("Ouvrir"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("Quitter"), QDialogButtonBox.ButtonRole.RejectRole)
        self.unlock_button.setDefault(True)
        buttons.accepted.connect(self.unlock)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(explain)
        layout.addWidget(where)
        layout.addSpacing(6)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.passphrase.setFocus()

    def unlock(self) -> None:
        typed = self.passphrase.text()
        if not typed:
            self.error.setText(tr("Tapez la phrase secrète."))
            return
        self.attempts += 1
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.database = self._opener(self._path, typed)
        except WrongPassphrase:
            self.error.setText(tr("Phrase secrète incorrecte. Vérifiez la touche Verr. Maj et "
                                  "réessayez."))
            self.passphrase.clear()
            self.passphrase.setFocus()
            return
        except UserError as exc:
            self.error.setText(str(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.accept()
