"""The diagnostic report and the action plan as PDF files (``reports.diagnostic_report``,
``reports.action_plan_report``). ReportLab is imported on first use, not with this module:
the main window paints first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from advisor_app.i18n import tr
from advisor_app.services.action_plans import action_plan
from advisor_app.services.database import Database
from advisor_app.services.diagnostic_scores import diagnostics_overview
from advisor_app.services.diagnostics import current_questionnaire, load_diagnostic
from advisor_app.services.errors import UserError


def slug(text: str) -> str:
    words = "".join(ch if ch.isalnum() else "-" for ch in text.casefold())
    return "-".join(part for part in words.split("-") if part)[:40] or "document"


def diagnostic_file_name(company: str, conducted_on: dt.date) -> str:
    """e.g. ``diagnostic-2026-03-12-atelier-amal.pdf``."""
    return f"diagnostic-{conducted_on:%Y-%m-%d}-{slug(company)}.pdf"


def plan_file_name(company: str, today: dt.date | None = None) -> str:
    return f"plan-action-{(today or dt.date.today()):%Y-%m-%d}-{slug(company)}.pdf"


def _written(path: Path, write: object) -> Path:
    try:
        assert callable(write)
        write()
    except OSError as exc:
        raise UserError(
            tr("Impossible d'écrire « {path} » : {error}").format(path=path, error=exc.strerror or exc)
        ) from exc
    return path


def write_diagnostic_report(
    db: Database, diagnostic_id: str, path: Path, *, today: dt.date | None = None
) -> Path:
    from advisor_app.reports import diagnostic_report as report

    record = load_diagnostic(db, diagnostic_id)
    view = diagnostics_overview(db, record.enrolment_id, focus_id=diagnostic_id)
    latest = view.latest
    assert latest is not None
    t0 = view.t0 if view.t0 is not None and view.t0.id != diagnostic_id else None
    data = report.DiagnosticReportData(
        company=view.company_name,
        track=view.track_name,
        group=view.group_name,
        diagnostic=tr("{kind} — version {version}").format(kind=record.kind_label, version=record.version),
        conducted_on=record.conducted_on,
        status=record.status_label,
        t0_label=f"{t0.conducted_on:%d/%m/%Y}" if t0 else "",
        group_size=view.group_size,
        overall_t0=view.overall_t0 if t0 else None,
        overall_latest=view.overall_latest,
        overall_group=view.overall_group if view.group_size else None,
        answered=latest.answered,
        items=latest.items,
        axes=[
            report.AxisRow(
                a.label,
                a.t0 if t0 else None,
                a.latest,
                a.change if t0 else None,
                a.group if view.group_size else None,
                a.priority,
            )
            for a in view.axes
        ],
        priorities=[
            report.PriorityRow(
                p.axis_label, f"{p.item_code} — {p.item_label}", p.score, p.importance, p.priority
            )
            for p in view.priorities
        ],
        proposals=[
            (p.axis_label, f"{p.item_code} — {p.item_label}" if p.item_code else "", p.percent)
            for p in view.proposals
        ],
        notes=record.notes,
        printed_on=today or dt.date.today(),
    )
    return _written(path, lambda: report.render(data, path))


def write_action_plan(db: Database, enrolment_id: str, path: Path, *, today: dt.date | None = None) -> Path:
    from advisor_app.reports import action_plan_report as report

    today = today or dt.date.today()
    plan = action_plan(db, enrolment_id, today=today)
    view = diagnostics_overview(db, enrolment_id)
    q = current_questionnaire(db)
    axes = {a.code: a.label for a in q.axes}
    items = {i.code: f"{i.code} — {i.label}" for a in q.axes for i in a.items}
    data = report.ActionPlanData(
        company=plan.company_name,
        track=view.track_name,
        printed_on=today,
        problems=[
            report.ProblemBlock(
                title=p.title,
                axis=axes.get(p.axis_code, p.axis_code),
                item=items.get(p.item_code or "", ""),
                root_cause=p.root_cause,
                objective=p.objective,
                target_on=p.target_on,
                actions=[
                    report.ActionLine(
                        a.title, a.owner_name, a.starts_on, a.due_on, a.status_label, a.progress, a.days_late
                    )
                    for a in p.actions
                ],
                indicators=[
                    report.IndicatorLine(
                        i.name,
                        i.kind_label,
                        i.unit,
                        i.baseline_value,
                        i.baseline_on,
                        i.target_value,
                        i.target_on,
                        [(r.read_on, r.value, r.note) for r in i.readings],
                    )
                    for i in p.indicators
                ],
            )
            for p in plan.problems
        ],
    )
    return _written(path, lambda: report.render(data, path))
