"""Horizontal bars drawn with QPainter: one labelled bar per value (companies per stage)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#2e6f9e")
ROW_HEIGHT = 26
LABEL_WIDTH = 210
VALUE_WIDTH = 60


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[tuple[str, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: Sequence[tuple[str, int]]) -> None:
        self._bars = list(bars)
        self.updateGeometry()
        self.update()

    def bars(self) -> list[tuple[str, int]]:
        return list(self._bars)

    def sizeHint(self) -> QSize:
        return QSize(520, max(1, len(self._bars)) * ROW_HEIGHT + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(LABEL_WIDTH + VALUE_WIDTH + 80, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        top = max((value for _, value in self._bars), default=0) or 1
        room = max(10.0, self.width() - LABEL_WIDTH - VALUE_WIDTH - 16.0)
        text_color = self.palette().windowText().color()
        for i, (label, value) in enumerate(self._bars):
            y = 4 + i * ROW_HEIGHT
            painter.setPen(text_color)
            painter.drawText(QRectF(0, y, LABEL_WIDTH - 8, ROW_HEIGHT - 4),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            width = room * value / top
            painter.fillRect(QRectF(LABEL_WIDTH, y + 3, max(width, 1.0 if value else 0.0),
                                    ROW_HEIGHT - 10), BAR)
            painter.drawText(QRectF(LABEL_WIDTH + width + 6, y, VALUE_WIDTH, ROW_HEIGHT - 4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             f"{value:,}".replace(",", "\u202f"))
        painter.end()
