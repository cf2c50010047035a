"""What each export writes: the sheets of companies, sessions with attendance, action plans
and the dashboard, read through the same services as the screens (same filters, same
order, same labels)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select

from advisor_app.domain import validation as v
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enums import PersonRole
from advisor_app.domain.labels import LEGAL_FORM_LABELS, SEGMENT_LABELS, TURNOVER_LABELS, label
from advisor_app.i18n import tr
from advisor_app.services import actions_overview, attendance, companies, sessions_overview
from advisor_app.services.dashboard import dashboard
from advisor_app.services.database import Database
from advisor_app.services.export_xlsx import (
    DATE,
    DECIMAL,
    INT,
    PERCENT,
    TIME,
    Column,
    Sheet,
    Value,
    write_workbook,
)
from advisor_app.services.ops_export import operations_sheets

PAGE = 5_000
CHUNK = 900  # SQLite's bound parameters per IN (...)

# Headers an import maps back to the same fields (a round trip keeps the data).
COMPANY_HEADERS = (
    "Raison sociale", "Forme juridique", "Segment", "Secteur", "Région", "Ville", "Adresse", "ICE",
    "Téléphone", "E-mail", "Effectif", "Tranche de chiffre d'affaires", "Date de création", "Étape",
    "Groupe", "Actions en retard", "Prénom du dirigeant", "Nom du dirigeant",
    "Téléphone du dirigeant", "E-mail du dirigeant")
SESSION_HEADERS = ("Date", "Début", "Fin", "Type", "Intitulé", "Groupe", "Entreprise visitée", "Lieu",
                   "Demi-journées", "Émargements", "Présents", "Taux de présence",
                   "Engagements ouverts")
ATTENDANCE_HEADERS = ("Date", "Séance", "Groupe ou entreprise", "Entreprise", "Participant",
                      "Rôle", "Statut", "Arrivée", "Remarque")
ACTION_HEADERS = ("Entreprise", "Problème clé", "Action", "Responsable", "Début", "Échéance", "Statut",
                  "Avancement", "En retard", "Jours de retard")
FIGURE_HEADERS = ("Indicateur", "Valeur")
STAGE_HEADERS = ("Étape", "Entreprises")
# Dashboard figures by field name; a field added later shows under its own name.
FIGURE_LABELS: dict[str, str] = {
    "companies": "Entreprises",
    "active_groups": "Groupes actifs",
    "active_members": "Entreprises en groupe",
    "sessions_last_30_days": "Séances des 30 derniers jours",
    "sessions_next_30_days": "Séances des 30 prochains jours",
    "collective_half_days_this_year": "Demi-journées collectives cette année",
    "individual_half_days_this_year": "Demi-journées individuelles cette année",
    "attendance_rate_90_days": "Taux de présence sur 90 jours",
    "open_actions": "Actions en cours",
    "late_actions": "Actions en retard",
    "done_actions": "Actions réalisées",
    "initial_diagnostics": "Diagnostics initiaux validés",
    "final_diagnostics": "Diagnostics finaux validés",
}


def _columns(headers: tuple[str, ...], kinds: dict[int, str] | None = None) -> list[Column]:
    kinds = kinds or {}
    return [Column(tr(h), kinds.get(i, "text")) for i, h in enumerate(headers)]


# -- companies -------------------------------------------------------------------------------
def _company_rows(db: Database, company_filter: companies.CompanyFilter,
                  today: dt.date) -> Iterator[tuple[Any, ...]]:
    total = companies.count_companies(db, filter=company_filter)
    for offset in range(0, total, PAGE):
        page = companies.search_companies(db, filter=company_filter, offset=offset, limit=PAGE,
                                          today=today, total=total)
        details = _details(db, [row.id for row in page])
        for row in page:
            c, owner = details.get(row.id, (None, None))
            if c is None:
                continue
            yield (c.name, label(LEGAL_FORM_LABELS, c.legal_form), label(SEGMENT_LABELS, c.segment),
                   row.sector, row.region, c.city, c.address, c.ice, v.format_phone(c.phone), c.email,
                   c.employees, label(TURNOVER_LABELS, c.turnover_band), c.created_on, row.stage,
                   row.group, row.overdue_actions, owner.first_name if owner else None,
                   owner.last_name if owner else None, v.format_phone(owner.phone) if owner else None,
                   owner.email if owner else None)


def _details(db: Database, ids: list[str]) -> dict[str, tuple[Any, Any]]:
    """id -> (company values, owner values), as plain namespaces read in one session."""
    found: dict[str, tuple[Any, Any]] = {}
    with db.sessions() as session:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            for c in session.scalars(select(Company).where(Company.id.in_(chunk))):
                found[c.id] = (_plain(c), None)
            owners = session.scalars(select(Person).where(
                Person.company_id.in_(chunk), Person.role == PersonRole.OWNER, Person.deleted_at.is_(None))
                .order_by(Person.last_name, Person.id))
            for p in owners:
                if p.company_id in found and found[p.company_id][1] is None:
                    found[p.company_id] = (found[p.company_id][0], _plain(p))
    return found


def _plain(row: Company | Person) -> Any:
    return type("Row", (), {p.key: getattr(row, p.key) for p in row.__mapper__.column_attrs})


def export_companies(db: Database, path: Path, *, filter: companies.CompanyFilter | None = None,
                     today: dt.date | None = None, password: str | None = None) -> int:
    """The companies of the list as filtered on screen, in its order, with their owner.
    ``password``: the file opens only with it (services.export_xlsx)."""
    rows = _company_rows(db, filter or companies.CompanyFilter(), today or dt.date.today())
    columns = _columns(COMPANY_HEADERS, {10: INT, 12: DATE, 15: INT})
    return write_workbook(path, [Sheet(tr("Entreprises"), columns, rows)], password=password)


# -- sessions and attendance -----------------------------------------------------------------
def export_sessions(db: Database, path: Path, *, period: str = sessions_overview.ALL,
                    group_id: str | None = None, today: dt.date | None = None,
                    password: str | None = None) -> int:
    """One row per session, then one row per participant of each session (attendance)."""
    today = today or dt.date.today()
    listed = sessions_overview.list_sessions(db, period=period, group_id=group_id, today=today)
    summary = [(s.held_on, s.starts_at, s.ends_at, s.kind_label, s.title, s.group_name, s.company_name,
                s.place, s.half_days, s.recorded, s.attended,
                s.attended / s.recorded if s.recorded else None, s.open_commitments) for s in listed]
    marks: list[tuple[Any, ...]] = []
    for s in sorted(listed, key=lambda s: (s.held_on, s.starts_at, s.id)):
        sheet = attendance.attendance_sheet(db, s.id, today=today)
        for p in sheet.participants:
            marks.append((s.held_on, sheet.session.title, sheet.session.for_whom, p.company_name,
                          p.full_name, p.role_label, p.status_label, p.arrived_at, p.note))
    return write_workbook(path, [
        Sheet(tr("Séances"), _columns(SESSION_HEADERS, {0: DATE, 1: TIME, 2: TIME, 8: DECIMAL, 9: INT,
                                                    10: INT, 11: PERCENT, 12: INT}), summary),
        Sheet(tr("Émargement"), _columns(ATTENDANCE_HEADERS, {0: DATE, 7: TIME}), marks),
    ], password=password)


# -- action plans ----------------------------------------------------------------------------
def export_action_plans(db: Database, path: Path, *, scope: str = actions_overview.ALL,
                        group_id: str | None = None, today: dt.date | None = None,
                        password: str | None = None) -> int:
    rows = [(a.company_name, a.problem_title, a.title, a.owner_name, a.starts_on, a.due_on, a.status_label,
             a.progress / 100, tr("Oui") if a.late else tr("Non"), a.days_late or None)
            for a in actions_overview.list_actions(db, scope=scope, group_id=group_id, today=today)]
    return write_workbook(path, [Sheet(tr("Plans d'action"), _columns(
        ACTION_HEADERS, {4: DATE, 5: DATE, 7: PERCENT, 9: INT}), rows)], password=password)


# -- dashboard -------------------------------------------------------------------------------
def dashboard_sheets(db: Database, *, today: dt.date | None = None) -> list[Sheet]:
    """The dashboard's figures, and its tables (companies by stage...)."""
    board = dashboard(db, today=today)
    figures: list[tuple[Any, ...]] = [(tr("Date"), Value(board.today, DATE))]
    tables: list[Sheet] = []
    for f in dataclasses.fields(board):
        value = getattr(board, f.name)
        if f.name == "by_stage":
            tables.append(Sheet(tr("Par étape"), _columns(STAGE_HEADERS, {1: INT}),
                                [(s.label, s.companies) for s in value]))
        elif f.name != "today" and (isinstance(value, (int, float)) or value is None):
            name = tr(FIGURE_LABELS[f.name]) if f.name in FIGURE_LABELS else f.name
            kind = PERCENT if "rate" in f.name else INT if isinstance(value, int) else DECIMAL
            figures.append((name, Value(value, kind)))
    return [Sheet(tr("Tableau de bord"), _columns(FIGURE_HEADERS), figures), *tables,
            *operations_sheets(db, today=today)]


def export_dashboard(db: Database, path: Path, *, today: dt.date | None = None,
                     password: str | None = None) -> int:
    return write_workbook(path, dashboard_sheets(db, today=today), password=password)
