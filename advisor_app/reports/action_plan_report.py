"""The printed action plan of a company, A4 portrait, in French: per key problem its axis,
root cause, objective and target date, its actions (late ones in red) and its indicators
with their readings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from advisor_app.i18n import tr
from advisor_app.reports import common as c


@dataclass(frozen=True)
class ActionLine:
    title: str
    owner: str
    starts_on: dt.date | None
    due_on: dt.date | None
    status: str
    progress: int
    days_late: int  # 0: not late


@dataclass(frozen=True)
class IndicatorLine:
    name: str
    kind: str  # "Moyen" / "Résultat"
    unit: str
    baseline: float | None
    baseline_on: dt.date | None
    target: float | None
    target_on: dt.date | None
    readings: list[tuple[dt.date, float, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ProblemBlock:
    title: str
    axis: str
    item: str
    root_cause: str
    objective: str
    target_on: dt.date | None
    actions: list[ActionLine] = field(default_factory=list)
    indicators: list[IndicatorLine] = field(default_factory=list)


@dataclass(frozen=True)
class ActionPlanData:
    company: str
    track: str
    problems: list[ProblemBlock] = field(default_factory=list)
    printed_on: dt.date = field(default_factory=dt.date.today)


def _d(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "—"


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    digits = 0 if float(value).is_integer() else 1
    return f"{c.num(value, digits)} {unit}".strip()


def _actions(block: ProblemBlock, st: dict[str, Any]) -> Any:
    if not block.actions:
        return c.para(tr("Aucune action pour l'instant."), st["muted"])
    head = [tr("Action"), tr("Responsable"), tr("Début"), tr("Échéance"), tr("Statut"), tr("Avancement")]
    rows: list[list[Any]] = [[c.para(h, st["head"]) for h in head]]
    extra: list[tuple[Any, ...]] = []
    for n, a in enumerate(block.actions, start=1):
        status = a.status
        if a.days_late:
            status = tr("{status} — en retard de {n} j").format(status=a.status, n=a.days_late)
            extra.append(("TEXTCOLOR", (0, n), (-1, n), c.ALERT))
        style = st["alert"] if a.days_late else st["small"]
        rows.append(
            [
                c.para(a.title, style),
                c.para(a.owner or "—", style),
                _d(a.starts_on),
                _d(a.due_on),
                c.para(status, style),
                c.pct(a.progress),
            ]
        )
    widths = [c.WIDTH - 135 * mm, 36 * mm, 19 * mm, 19 * mm, 37 * mm, 24 * mm]
    return c.grid_table(rows, widths, extra=[*extra, ("ALIGN", (5, 1), (5, -1), "RIGHT")])


def _indicators(block: ProblemBlock, st: dict[str, Any]) -> Any:
    if not block.indicators:
        return c.para(tr("Aucun indicateur pour l'instant."), st["muted"])
    head = [tr("Indicateur"), tr("Type"), tr("Référence"), tr("Cible"), tr("Mesures")]
    rows: list[list[Any]] = [[c.para(h, st["head"]) for h in head]]
    for i in block.indicators:
        readings = "\n".join(
            tr("{date} : {value}").format(date=_d(day), value=_value(value, i.unit))
            + (f" ({note})" if note else "")
            for day, value, note in i.readings
        )
        rows.append(
            [
                c.para(i.name, st["small"]),
                c.para(i.kind, st["small"]),
                c.para(
                    tr("{value}\nle {date}").format(value=_value(i.baseline, i.unit), date=_d(i.baseline_on)),
                    st["small"],
                ),
                c.para(
                    tr("{value}\nle {date}").format(value=_value(i.target, i.unit), date=_d(i.target_on)),
                    st["small"],
                ),
                c.para(readings or "—", st["small"]),
            ]
        )
    widths = [c.WIDTH - 139 * mm, 19 * mm, 28 * mm, 28 * mm, 64 * mm]
    return c.grid_table(rows, widths)


def _problem(n: int, block: ProblemBlock, st: dict[str, Any]) -> list[Any]:
    facts = [
        (tr("Axe"), block.axis),
        (tr("Item"), block.item),
        (tr("Cause racine"), block.root_cause),
        (tr("Objectif"), block.objective),
        (tr("Date cible"), _d(block.target_on)),
    ]
    return [
        KeepTogether(
            [
                c.para(tr("Problème clé {n} : {title}").format(n=n, title=block.title), st["h2"]),
                c.facts_table(facts, c.WIDTH, st),
            ]
        ),
        c.para(tr("Actions"), st["h3"]),
        _actions(block, st),
        c.para(tr("Indicateurs"), st["h3"]),
        _indicators(block, st),
        Spacer(1, 4 * mm),
    ]


def render(data: ActionPlanData, path: Path) -> None:
    """Writes the plan to the PDF file ``path``."""
    st = c.styles()
    late = sum(1 for p in data.problems for a in p.actions if a.days_late)
    actions = sum(len(p.actions) for p in data.problems)
    summary = tr(
        "{problems} problème(s) clé(s), {actions} action(s) dont {late} en retard au {date}."
    ).format(problems=len(data.problems), actions=actions, late=late, date=_d(data.printed_on))
    story: list[Any] = [
        c.para(tr("Plan d'action"), st["title"]),
        c.para(" — ".join(p for p in (data.company, data.track) if p), st["subtitle"]),
        Spacer(1, 2 * mm),
        c.para(summary, st["alert"] if late else st["cell"]),
    ]
    if not data.problems:
        story.append(c.para(tr("Aucun problème clé n'est encore défini."), st["cell"]))
    for n, block in enumerate(data.problems, start=1):
        story += _problem(n, block, st)
    story.append(c.para(tr("Imprimé le {date} — Mowakaba").format(date=_d(data.printed_on)), st["muted"]))
    title = tr("Plan d'action — {company}").format(company=data.company)
    c.build(path, story, title=title, footer=title)
