"""The printed attendance sheet of a session, as a PDF file (``reports.attendance_sheet``).

ReportLab is imported on first use, not with this module: the main window paints first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from advisor_app.domain.enums import AttendanceStatus
from advisor_app.i18n import tr
from advisor_app.services.attendance import AttendanceSheet, attendance_sheet
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError

NOT_SIGNED = frozenset({AttendanceStatus.ABSENT.value, AttendanceStatus.EXCUSED.value})


def default_file_name(sheet: AttendanceSheet) -> str:
    """e.g. ``emargement-2026-03-12-settat-agro-g1.pdf``."""
    words = "".join(ch if ch.isalnum() else "-" for ch in sheet.session.for_whom.casefold())
    slug = "-".join(part for part in words.split("-") if part)[:40]
    return f"emargement-{sheet.session.held_on:%Y-%m-%d}-{slug or 'seance'}.pdf"


def write_attendance_sheet(db: Database, session_id: str, path: Path, *,
                           today: dt.date | None = None) -> Path:
    """Writes the sheet of ``session_id`` to ``path``; a file that cannot be written is a
    ``UserError`` naming it."""
    from advisor_app.reports import attendance_sheet as report

    sheet = attendance_sheet(db, session_id, today=today)
    s = sheet.session
    data = report.SheetData(
        title=s.title, kind_label=s.kind_label, programme=s.track_name, for_whom=s.for_whom,
        held_on=s.held_on, starts_at=s.starts_at, ends_at=s.ends_at, half_days=s.half_days,
        place=s.place, facilitators=s.facilitators,
        lines=[report.SheetLine(
            company=p.company_name, name=p.full_name, name_ar=p.full_name_ar,
            arrived_at=f"{p.arrived_at:%H:%M}" if p.arrived_at and p.status == AttendanceStatus.LATE else "",
            absence=p.status_label if p.status in NOT_SIGNED else "")
            for p in sheet.participants])
    try:
        report.render(data, path)
    except OSError as exc:
        raise UserError(tr("Impossible d'écrire « {path} » : {error}").format(
            path=path, error=exc.strerror or exc)) from exc
    return path
