"""A radar chart (one spoke per axis, 0-100 %) drawn with reportlab graphics, for the
printed diagnostic report. Series without a value on an axis are drawn at 0 there."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

GRID = colors.HexColor("#b0b8c0")
LABEL = colors.HexColor("#333333")
SERIES_COLOURS = (colors.HexColor("#7a8b99"), colors.HexColor("#1f6fb2"), colors.HexColor("#d98c00"))


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # % per axis, in the axes' order
    dashed: bool = False
    colour: int = 1  # 0: T0 (grey), 1: this diagnostic (blue), 2: group average (orange)


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = math.pi / 2 - 2 * math.pi * index / count  # first axis at the top, clockwise
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and stringWidth(trial, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else lines


def radar(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    width: float,
    height: float,
    font: str,
    size: float = 7.5,
) -> Drawing:
    drawing = Drawing(width, height)
    legend_height = 14.0
    cx, cy = width / 2, (height + legend_height) / 2
    radius = min(width / 2 - 70, (height - legend_height) / 2 - 26)
    count = len(axes)
    if count < 3:
        return drawing
    for level in (25, 50, 75, 100):  # rings (the outer one unlabelled: the top axis name sits there)
        points = [c for i in range(count) for c in _point(cx, cy, radius * level / 100, i, count)]
        drawing.add(Polygon(points, strokeColor=GRID, strokeWidth=0.4, fillColor=None))
        if level == 100:
            continue
        x, y = _point(cx, cy, radius * level / 100, 0, count)
        drawing.add(String(x + 2, y + 1, f"{level} %", fontName=font, fontSize=size - 1.5, fillColor=GRID))
    for i, name in enumerate(axes):  # spokes and labels
        x, y = _point(cx, cy, radius, i, count)
        drawing.add(Line(cx, cy, x, y, strokeColor=GRID, strokeWidth=0.4))
        lx, ly = _point(cx, cy, radius + 10, i, count)
        anchor = "middle" if abs(lx - cx) < 4 else ("start" if lx > cx else "end")
        lines = _wrap(name, font, size, 88)
        top = (
            ly + (len(lines) - 1) * (size + 1) / 2
            if abs(ly - cy) < radius * 0.9
            else (ly + (len(lines) - 1) * (size + 1) if ly > cy else ly - size / 2)
        )
        for n, line in enumerate(lines):
            drawing.add(
                String(
                    lx,
                    top - n * (size + 1) - size / 3,
                    line,
                    fontName=font,
                    fontSize=size,
                    fillColor=LABEL,
                    textAnchor=anchor,
                )
            )
    for s in series:
        colour = SERIES_COLOURS[s.colour % len(SERIES_COLOURS)]
        points = [
            c
            for i in range(count)
            for c in _point(cx, cy, radius * max(0.0, min(100.0, s.values[i] or 0.0)) / 100, i, count)
        ]
        fill = colors.Color(colour.red, colour.green, colour.blue, alpha=0.12)
        drawing.add(
            Polygon(
                points,
                strokeColor=colour,
                strokeWidth=1.6,
                fillColor=fill,
                strokeDashArray=[3, 2] if s.dashed else None,
            )
        )
        for k in range(0, len(points), 2):
            drawing.add(Circle(points[k], points[k + 1], 1.6, fillColor=colour, strokeColor=None))
    # legend, centred under the chart
    items = [(s, SERIES_COLOURS[s.colour % len(SERIES_COLOURS)]) for s in series]
    total = sum(stringWidth(s.name, font, size) + 34 for s, _ in items)
    x = (width - total) / 2
    for s, colour in items:
        drawing.add(
            PolyLine(
                [x, 6, x + 16, 6],
                strokeColor=colour,
                strokeWidth=2,
                strokeDashArray=[3, 2] if s.dashed else None,
            )
        )
        drawing.add(String(x + 20, 3, s.name, fontName=font, fontSize=size, fillColor=LABEL))
        x += stringWidth(s.name, font, size) + 34
    drawing.add(Rect(0, 0, width, height, strokeColor=None, fillColor=None))
    return drawing
