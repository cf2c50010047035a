"""Charts of HQ's dashboard drawn on the server as inline SVG (no script, nothing loaded
from elsewhere): the cumulative flow diagram as stacked areas and weekly bars. Every
text is escaped; shapes carry ``data-`` attributes so that tests can read the numbers."""

from __future__ import annotations

import html
from collections.abc import Sequence

from advisor_app.domain.flow_metrics import FLOW_ORDER
from advisor_app.domain.stages import stage_label
from advisor_app.services.indicators import FlowPoint, WeekLine

# stage value -> fill, from the pipeline's start (light) to its end (dark); dropped in grey
COLORS = {"registered": "#cfe3f1", "diagnosed": "#9fc7e3", "in_group": "#6aa6d1",
          "plan_validated": "#3f86bd", "coaching": "#23679e", "completed": "#1b6b33",
          "dropped": "#b8b8b8"}
WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 170, 12, 34


def _nice_top(value: int) -> int:
    """An axis maximum whose quarters are whole and read well: 4, 8, 20, 40, 80, 200..."""
    quarter = max(1, -(-value // 4))
    nice = 1
    while nice < quarter:
        nice = nice * 5 // 2 if str(nice)[0] == "2" else nice * 2
    return nice * 4


def _y(value: float, top: int) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)


def _axis(top: int, labels: Sequence[str]) -> list[str]:
    """Horizontal grid lines with their values, and one label under every other week."""
    parts = []
    for i in range(5):
        value = top * i / 4
        y = _y(value, top)
        parts.append(f"<line x1='{LEFT}' x2='{WIDTH - RIGHT}' y1='{y:.1f}' y2='{y:.1f}' "
                     "stroke='#dde3e8' stroke-width='1'/>")
        parts.append(f"<text x='{LEFT - 6}' y='{y + 4:.1f}' text-anchor='end' font-size='11' "
                     f"fill='#5b6770'>{value:g}</text>")
    step = (WIDTH - LEFT - RIGHT) / max(1, len(labels) - 1)
    for i, label in enumerate(labels):
        if i % 2 == (len(labels) - 1) % 2:  # always the last week
            parts.append(f"<text x='{LEFT + i * step:.1f}' y='{HEIGHT - BOTTOM + 16}' text-anchor='middle' "
                         f"font-size='11' fill='#5b6770'>{html.escape(label)}</text>")
    return parts


def cumulative_flow_svg(points: Sequence[FlowPoint]) -> str:
    """Stacked areas, one band per stage, the done work at the bottom."""
    if not points:
        return "<p class='empty'>Aucune donnée.</p>"
    totals = [sum(p.counts.values()) for p in points]
    top = _nice_top(max(totals))
    step = (WIDTH - LEFT - RIGHT) / max(1, len(points) - 1)
    xs = [LEFT + i * step for i in range(len(points))]
    parts = [f"<svg id='cfd' xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {WIDTH} {HEIGHT}' "
             f"width='100%' role='img' aria-label='Diagramme de flux cumulé'>"]
    parts += _axis(top, [f"{p.week_end:%d/%m}" for p in points])
    below = [0] * len(points)
    legend_y = TOP
    for stage in FLOW_ORDER:
        counts = [p.counts.get(stage.value, 0) for p in points]
        above = [b + c for b, c in zip(below, counts, strict=True)]
        upper = " ".join(f"{x:.1f},{_y(v, top):.1f}" for x, v in zip(xs, above, strict=True))
        lower = " ".join(f"{x:.1f},{_y(v, top):.1f}"
                         for x, v in reversed(list(zip(xs, below, strict=True))))
        label = html.escape(stage_label(stage))
        data = ",".join(str(c) for c in counts)
        parts.append(f"<polygon class='band' data-stage='{stage.value}' data-counts='{data}' "
                     f"points='{upper} {lower}' fill='{COLORS[stage.value]}' stroke='#ffffff' "
                     f"stroke-width='0.5'><title>{label}</title></polygon>")
        below = above
    for stage in reversed(FLOW_ORDER):  # the legend reads top-down like the bands
        parts.append(f"<rect x='{WIDTH - RIGHT + 14}' y='{legend_y}' width='12' height='12' "
                     f"fill='{COLORS[stage.value]}'/><text x='{WIDTH - RIGHT + 32}' y='{legend_y + 10}' "
                     f"font-size='12' fill='#1d2b36'>{html.escape(stage_label(stage))}</text>")
        legend_y += 20
    parts.append("</svg>")
    return "".join(parts)


def weekly_bars_svg(weeks: Sequence[WeekLine]) -> str:
    """Completions per week."""
    if not weeks:
        return "<p class='empty'>Aucune donnée.</p>"
    top = _nice_top(max(w.completed for w in weeks))
    room = WIDTH - LEFT - RIGHT
    slot = room / len(weeks)
    parts = [f"<svg id='throughput' xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {WIDTH} {HEIGHT}' "
             "width='100%' role='img' aria-label='Accompagnements terminés par semaine'>"]
    parts += _axis(top, [])
    for i, week in enumerate(weeks):
        x = LEFT + i * slot + slot * 0.15
        y = _y(week.completed, top)
        parts.append(f"<rect class='week' data-week='{week.monday.isoformat()}' "
                     f"data-count='{week.completed}' "
                     f"x='{x:.1f}' y='{y:.1f}' width='{slot * 0.7:.1f}' "
                     f"height='{HEIGHT - BOTTOM - y:.1f}' fill='#2e6f9e'>"
                     f"<title>Semaine du {week.monday:%d/%m/%Y} : {week.completed}</title></rect>")
        if i % 2 == (len(weeks) - 1) % 2:
            parts.append(f"<text x='{x + slot * 0.35:.1f}' y='{HEIGHT - BOTTOM + 16}' text-anchor='middle' "
                         f"font-size='11' fill='#5b6770'>{week.monday:%d/%m}</text>")
    parts.append("</svg>")
    return "".join(parts)
