"""A line of feedback under a form or a button: it takes no room while it says nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class MessageLabel(QLabel):
    def __init__(self, style: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(style)
        self.setVisible(False)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.setText("")
