"""What the main window shows once locked (idle delay passed, or "Verrouiller"): no data,
only the passphrase field. The database stays open and a running sync goes on."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.ui.widgets.forms import ERROR_STYLE


class LockScreen(QWidget):
    unlocked = Signal()

    def __init__(self, check: Callable[[str], bool], database_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._check = check
        self.setObjectName("lockScreen")
        card = QFrame()
        card.setObjectName("lockCard")
        card.setFixedWidth(420)
        card.setStyleSheet("#lockCard { background: palette(base); border: 1px solid palette(mid);"
                           " border-radius: 8px; }")
        title = QLabel(tr("Mowakaba est verrouillé"))
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        explain = QLabel(tr("Les données de « {name} » sont masquées après une période sans activité. "
                            "Tapez votre phrase secrète pour reprendre.").format(name=database_name))
        explain.setWordWrap(True)
        explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(tr("Phrase secrète"))
        self.passphrase.setAccessibleName(tr("Phrase secrète"))
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton(tr("Déverrouiller"))
        self.unlock_button.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.unlock_button)

        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 24, 24, 24)
        inner.setSpacing(12)
        inner.addWidget(title)
        inner.addWidget(explain)
        inner.addLayout(row)
        inner.addWidget(self.error)
        # centred by stretches, not by an alignment flag: an aligned widget gets its bare size
        # hint, which clips the wrapped explanation
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(card)
        middle.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(2)

        self.unlock_button.clicked.connect(self.try_unlock)
        self.passphrase.returnPressed.connect(self.try_unlock)

    def reset(self) -> None:
        self.passphrase.clear()
        self.error.clear()
        self.passphrase.setFocus()

    def try_unlock(self) -> bool:
        if self._check(self.passphrase.text()):
            self.reset()
            self.unlocked.emit()
            return True
        self.error.setText(tr("Phrase secrète incorrecte."))
        self.passphrase.clear()
        self.passphrase.setFocus()
        return False
