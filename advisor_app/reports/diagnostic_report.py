"""The printed self-diagnostic report of a company, A4 portrait, in French: who and when,
the radar chart (T0, this diagnostic, the group's average), the score of every axis with
its change since T0, the highest-priority items ((4 - score) x importance) and the axes
proposed as key problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from advisor_app.i18n import tr
from advisor_app.reports import common as c
from advisor_app.reports.radar import Series, radar


@dataclass(frozen=True)
class AxisRow:
    label: str
    t0: float | None  # % of 4
    latest: float | None
    change: float | None  # points
    group: float | None
    priority: float | None


@dataclass(frozen=True)
class PriorityRow:
    axis: str
    item: str  # "FIN-2 — label"
    score: int
    importance: int
    priority: int


@dataclass(frozen=True)
class DiagnosticReportData:
    company: str
    track: str
    group: str
    diagnostic: str  # "Diagnostic final — version 2"
    conducted_on: dt.date
    status: str
    t0_label: str  # "" when there is no separate T0 to compare with
    group_size: int
    overall_t0: float | None
    overall_latest: float | None
    overall_group: float | None
    answered: int
    items: int
    axes: list[AxisRow] = field(default_factory=list)
    priorities: list[PriorityRow] = field(default_factory=list)
    proposals: list[tuple[str, str, float | None]] = field(default_factory=list)  # axis, item, %
    notes: str = ""
    printed_on: dt.date = field(default_factory=dt.date.today)


def _heading(data: DiagnosticReportData, st: dict[str, Any]) -> list[Any]:
    subtitle = " — ".join(p for p in (data.company, data.track) if p)
    facts = [
        (tr("Diagnostic"), data.diagnostic),
        (tr("Réalisé le"), f"{data.conducted_on:%d/%m/%Y}"),
        (tr("État"), data.status),
        (
            tr("Items notés"),
            tr("{answered} sur {items} (hors « Non applicable »)").format(
                answered=data.answered, items=data.items
            ),
        ),
        (tr("Groupe"), data.group or tr("aucun")),
    ]
    return [
        c.para(tr("Rapport d'autodiagnostic"), st["title"]),
        c.para(subtitle, st["subtitle"]),
        Spacer(1, 3 * mm),
        c.facts_table(facts, c.WIDTH, st),
    ]


def _chart(data: DiagnosticReportData, font: str) -> Any:
    series = []
    if data.t0_label:
        series.append(
            Series(
                tr("T0 ({label})").format(label=data.t0_label),
                [a.t0 for a in data.axes],
                dashed=True,
                colour=0,
            )
        )
    series.append(Series(tr("Ce diagnostic"), [a.latest for a in data.axes]))
    if data.group_size:
        series.append(
            Series(
                tr("Moyenne du groupe ({n} entreprises)").format(n=data.group_size),
                [a.group for a in data.axes],
                dashed=True,
                colour=2,
            )
        )
    return radar([a.label for a in data.axes], series, width=c.WIDTH, height=92 * mm, font=font)


def _scores(data: DiagnosticReportData, st: dict[str, Any]) -> Any:
    head = [
        tr("Axe"),
        tr("T0"),
        tr("Ce diagnostic"),
        tr("Évolution"),
        tr("Moyenne du groupe"),
        tr("Priorité"),
    ]
    rows: list[list[Any]] = [[c.para(h, st["head"]) for h in head]]
    extra: list[tuple[Any, ...]] = []
    for n, a in enumerate(data.axes, start=1):
        rows.append(
            [
                c.para(a.label, st["cell"]),
                c.pct(a.t0),
                c.pct(a.latest),
                c.signed(a.change),
                c.pct(a.group),
                c.num(a.priority, 1),
            ]
        )
        if a.change is not None and round(a.change) != 0:
            extra.append(("TEXTCOLOR", (3, n), (3, n), c.GAIN if a.change > 0 else c.ALERT))
    rows.append(
        [
            c.para(tr("Score global"), st["key"]),
            c.pct(data.overall_t0),
            c.pct(data.overall_latest),
            c.signed(
                None
                if data.overall_t0 is None or data.overall_latest is None
                else data.overall_latest - data.overall_t0
            ),
            c.pct(data.overall_group),
            "",
        ]
    )
    last = len(rows) - 1
    extra += [
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("FONT", (0, last), (-1, last), c.styles()["key"].fontName, 8.5),
        ("LINEABOVE", (0, last), (-1, last), 1, c.GRID),
    ]
    return c.grid_table(rows, [62 * mm, 20 * mm, 24 * mm, 20 * mm, 29 * mm, c.WIDTH - 155 * mm], extra=extra)


def _priorities(data: DiagnosticReportData, st: dict[str, Any]) -> list[Any]:
    story: list[Any] = [
        c.para(tr("Items prioritaires"), st["h2"]),
        c.para(tr("Priorité = (4 − note) × importance : de 0 (pratique maîtrisée) à 12."), st["muted"]),
        Spacer(1, 2 * mm),
    ]
    if not data.priorities:
        return [*story, c.para(tr("Aucun item à améliorer en priorité."), st["cell"])]
    head = [tr("Item"), tr("Axe"), tr("Note"), tr("Importance"), tr("Priorité")]
    rows: list[list[Any]] = [[c.para(h, st["head"]) for h in head]]
    for p in data.priorities:
        rows.append(
            [
                c.para(p.item, st["small"]),
                c.para(p.axis, st["small"]),
                str(p.score),
                str(p.importance),
                str(p.priority),
            ]
        )
    widths = [c.WIDTH - 103 * mm, 50 * mm, 14 * mm, 21 * mm, 18 * mm]
    return [*story, c.grid_table(rows, widths, extra=[("ALIGN", (2, 1), (-1, -1), "RIGHT")])]


def _proposals(data: DiagnosticReportData, st: dict[str, Any]) -> list[Any]:
    story: list[Any] = [c.para(tr("Problèmes clés proposés"), st["h2"])]
    if not data.proposals:
        return [*story, c.para(tr("Aucun axe noté : rien à proposer."), st["cell"])]
    for n, (axis, item, percent) in enumerate(data.proposals, start=1):
        text = tr("{n}. {axis} ({score})").format(n=n, axis=axis, score=c.pct(percent))
        story.append(c.para(text, st["key"]))
        if item:
            story.append(c.para(tr("Item le plus prioritaire : {item}").format(item=item), st["cell"]))
        story.append(Spacer(1, 1.5 * mm))
    return story


def render(data: DiagnosticReportData, path: Path) -> None:
    """Writes the report to the PDF file ``path``."""
    st = c.styles()
    story: list[Any] = [
        *_heading(data, st),
        c.para(tr("Profil par axe"), st["h2"]),
        _chart(data, st["cell"].fontName),
        Spacer(1, 3 * mm),
        _scores(data, st),
    ]
    story += _proposals(data, st)
    story += _priorities(data, st)
    if data.notes:
        story += [c.para(tr("Observations du conseiller"), st["h2"]), c.para(data.notes, st["cell"])]
    story += [
        Spacer(1, 4 * mm),
        c.para(tr("Imprimé le {date} — Mowakaba").format(date=f"{data.printed_on:%d/%m/%Y}"), st["muted"]),
    ]
    title = tr("Rapport d'autodiagnostic — {company}").format(company=data.company)
    c.build(path, story, title=title, footer=title)
