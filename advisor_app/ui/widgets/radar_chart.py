"""A radar chart painted with QPainter: one spoke per diagnostic axis (0-100 %), one
polygon per series (T0, latest, group average) and a legend underneath."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from advisor_app.i18n import tr

COLOURS = (QColor("#7a8b99"), QColor("#1f6fb2"), QColor("#d98c00"))
GRID = QColor("#c0c8d0")
LABEL_WIDTH = 120.0


@dataclass(frozen=True)
class RadarSeries:
    name: str
    values: Sequence[float | None]  # % per axis
    dashed: bool = False
    colour: int = 1  # 0: T0 (grey), 1: latest (blue), 2: group average (orange)


class RadarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.axes: list[str] = []
        self.series: list[RadarSeries] = []
        self.setMinimumSize(360, 320)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(460, 400)

    def set_data(self, axes: Sequence[str], series: Sequence[RadarSeries]) -> None:
        self.axes = list(axes)
        self.series = list(series)
        self.update()

    def _point(self, centre: QPointF, radius: float, index: int) -> QPointF:
        angle = math.pi / 2 - 2 * math.pi * index / len(self.axes)
        return QPointF(centre.x() + radius * math.cos(angle), centre.y() - radius * math.sin(angle))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if len(self.axes) < 3 or not self.series:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, tr("Aucun diagnostic noté."))
            painter.end()
            return
        metrics = painter.fontMetrics()
        legend = metrics.height() + 10
        area = QRectF(self.rect()).adjusted(8, 8, -8, -8 - legend)
        centre = area.center()
        radius = max(20.0, min(area.width() / 2 - LABEL_WIDTH, area.height() / 2 - 2.5 * metrics.height()))
        painter.setPen(QPen(GRID, 1))
        for level in (25, 50, 75, 100):
            painter.drawPolygon(
                QPolygonF([self._point(centre, radius * level / 100, i) for i in range(len(self.axes))])
            )
        text_pen = QPen(self.palette().text().color())
        for i, name in enumerate(self.axes):
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(centre, self._point(centre, radius, i))
            anchor = self._point(centre, radius + 8, i)
            dx = anchor.x() - centre.x()
            box = QRectF(0, 0, LABEL_WIDTH, 3 * metrics.height())
            if abs(dx) < 4:
                box.moveCenter(
                    QPointF(
                        anchor.x(), anchor.y() + (-1 if anchor.y() < centre.y() else 1) * box.height() / 2
                    )
                )
                align = Qt.AlignmentFlag.AlignHCenter | (
                    Qt.AlignmentFlag.AlignBottom if anchor.y() < centre.y() else Qt.AlignmentFlag.AlignTop
                )
            elif dx > 0:
                box.moveTopLeft(QPointF(anchor.x(), anchor.y() - box.height() / 2))
                align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            else:
                box.moveTopRight(QPointF(anchor.x(), anchor.y() - box.height() / 2))
                align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.setPen(text_pen)
            painter.drawText(box, int(align | Qt.TextFlag.TextWordWrap), name)
        for series in self.series:
            colour = COLOURS[series.colour % len(COLOURS)]
            pen = QPen(colour, 2)
            if series.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            fill = QColor(colour)
            fill.setAlpha(30)
            painter.setBrush(fill)
            points = [
                self._point(centre, radius * max(0.0, min(100.0, v or 0.0)) / 100, i)
                for i, v in enumerate(series.values)
            ]
            painter.drawPolygon(QPolygonF(points))
            painter.setBrush(colour)
            for p in points:
                painter.drawEllipse(p, 2.5, 2.5)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        x = area.left() + max(
            0.0, (area.width() - sum(metrics.horizontalAdvance(s.name) + 40 for s in self.series)) / 2
        )
        y = self.rect().bottom() - legend / 2
        for series in self.series:
            colour = COLOURS[series.colour % len(COLOURS)]
            pen = QPen(colour, 2)
            if series.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, y), QPointF(x + 18, y))
            painter.setPen(text_pen)
            painter.drawText(QPointF(x + 22, y + metrics.ascent() / 2 - 1), series.name)
            x += metrics.horizontalAdvance(series.name) + 40
        painter.end()
