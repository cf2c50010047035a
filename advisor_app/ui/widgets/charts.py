"""The dashboard's charts with QtCharts: bars one can click (the companies behind a bar
open in a list). ``bars()``/``values()`` give back what is drawn, for tests and printing.
When QtCharts is missing (a trimmed PySide6), ``make_bars`` falls back to the QPainter
``BarChart`` (no click-through on the chart then; the tables beside it still have it)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMargins, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

try:
    from PySide6.QtCharts import (
        QBarCategoryAxis,
        QBarSeries,
        QBarSet,
        QChart,
        QChartView,
        QHorizontalBarSeries,
        QValueAxis,
    )
except ImportError:  # pragma: no cover - PySide6 without its add-ons
    HAVE_QTCHARTS = False
else:
    HAVE_QTCHARTS = True

from advisor_app.ui.widgets.bar_chart import BarChart

BLUE = QColor("#2e6f9e")
LIGHT = QColor("#9fc7e3")


def _nice_top(value: float) -> float:
    """An axis maximum that reads well (4, 8, 20, 40...), whole quarters."""
    quarter = max(1, -(-int(value) // 4)) if value > 0 else 1
    nice = 1
    while nice < quarter:
        nice = nice * 5 // 2 if str(nice)[0] == "2" else nice * 2
    return float(nice * 4)


if HAVE_QTCHARTS:

    class ClickableBars(QChartView):
        """Bars in one or more sets over labelled categories; ``clicked(set, index)``."""

        clicked = Signal(int, int)

        def __init__(self, *, horizontal: bool = False, height: int = 240,
                     parent: QWidget | None = None) -> None:
            super().__init__(parent)
            self._horizontal = horizontal
            self._labels: list[str] = []
            self._order: list[int] = []
            self._sets: list[tuple[str, list[float]]] = []
            self.bar_sets: list[QBarSet] = []
            chart = QChart()
            chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
            chart.setMargins(QMargins(4, 4, 4, 4))
            chart.setBackgroundRoundness(0)
            chart.setLocalizeNumbers(True)  # "18,5" in French (the app sets the default locale)
            self.setChart(chart)
            self.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.setFixedHeight(height)
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        def set_data(self, labels: Sequence[str], sets: Sequence[tuple[str, Sequence[float]]]) -> None:
            self._labels = list(labels)
            self._sets = [(name, list(values)) for name, values in sets]
            chart = self.chart()
            chart.removeAllSeries()
            for axis in chart.axes():
                chart.removeAxis(axis)
            series = QHorizontalBarSeries() if self._horizontal else QBarSeries()
            self.bar_sets = []
            colors = (BLUE, LIGHT)
            # a horizontal chart draws its first category at the bottom: feed it reversed so
            # that it reads top-down; clicks are mapped back to the caller's order
            order = list(range(len(self._labels)))
            if self._horizontal:
                order.reverse()
            self._order = order
            for i, (name, values) in enumerate(self._sets):
                bar_set = QBarSet(name)
                bar_set.append([float(values[j]) for j in order])
                bar_set.setColor(colors[i % len(colors)])
                bar_set.setBorderColor(colors[i % len(colors)])
                bar_set.setLabelColor(QColor("#1d2b36"))
                bar_set.clicked.connect(lambda index, s=i: self.clicked.emit(s, self._order[index]))
                series.append(bar_set)
                self.bar_sets.append(bar_set)
            chart.addSeries(series)
            series.setLabelsVisible(True)
            series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
            series.setLabelsFormat("@value")
            categories = QBarCategoryAxis()
            categories.append([self._labels[j] for j in order])
            values_axis = QValueAxis()
            values_axis.setRange(0, _nice_top(max((v for _, vs in self._sets for v in vs), default=0)))
            values_axis.setTickCount(5)
            values_axis.setLabelFormat("%.0f")  # whole quarters; "%g" shows nothing once localized
            category_side, value_side = ((Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom)
                                         if self._horizontal else
                                         (Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft))
            chart.addAxis(categories, category_side)
            chart.addAxis(values_axis, value_side)
            series.attachAxis(categories)
            series.attachAxis(values_axis)
            chart.legend().setVisible(len(self._sets) > 1)
            chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
            if self._horizontal:  # one row per category
                self.setFixedHeight(max(140, 30 * len(self._labels) + 50))

        def labels(self) -> list[str]:
            return list(self._labels)

        def bar_center(self, index: int, set_index: int = 0) -> QPoint:
            """Where bar ``index`` (caller's order) of the first set is drawn, in viewport
            coordinates (for tests that click it like a user)."""
            position = self._order.index(index)
            value = self._sets[set_index][1][index]
            series = self.chart().series()[0]
            # category axis values are the bar positions; a grouped set is offset a little
            point = (QPointF(value / 2, position) if self._horizontal else QPointF(position, value / 2))
            return self.mapFromScene(self.chart().mapToPosition(point, series))

        def values(self, set_index: int = 0) -> list[float]:
            return list(self._sets[set_index][1]) if set_index < len(self._sets) else []

        def bars(self) -> list[tuple[str, int]]:
            """(label, value) of the first set, as ``BarChart.bars``."""
            return [(label, int(v)) for label, v in zip(self._labels, self.values(0), strict=True)]

        def set_bars(self, bars: Sequence[tuple[str, int]], name: str = "") -> None:
            self.set_data([label for label, _ in bars], [(name, [v for _, v in bars])])


class PainterBars(BarChart):
    """The QPainter fallback with the same interface (one set, no click)."""

    clicked = Signal(int, int)

    def set_data(self, labels: Sequence[str], sets: Sequence[tuple[str, Sequence[float]]]) -> None:
        values = list(sets[0][1]) if sets else [0.0] * len(labels)
        self.set_bars([(label, round(v)) for label, v in zip(labels, values, strict=True)])

    def labels(self) -> list[str]:
        return [label for label, _ in self.bars()]

    def values(self, set_index: int = 0) -> list[float]:
        return [float(v) for _, v in self.bars()] if set_index == 0 else []


def make_bars(*, horizontal: bool = False, height: int = 240) -> ClickableBars | PainterBars:
    if HAVE_QTCHARTS:
        return ClickableBars(horizontal=horizontal, height=height)
    return PainterBars()
