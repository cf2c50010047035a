"""Exports to .xlsx, read back with openpyxl: French headers styled and frozen, real dates
and numbers, the same rows (and order) as the screens; a companies export imports back
as duplicates of the same companies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from advisor_app.services import actions_overview, companies, sessions_overview
from advisor_app.services import import_companies as ic
from advisor_app.services.attendance import attendance_sheet
from advisor_app.services.dashboard import dashboard
from advisor_app.services.database import Database
from advisor_app.services.demo import generate_demo
from advisor_app.services.errors import UserError
from advisor_app.services.export_sheets import (
    export_action_plans,
    export_companies,
    export_dashboard,
    export_sessions,
)

AS_OF = dt.date(2026, 6, 15)


@pytest.fixture
def demo_db(db: Database) -> Database:
    generate_demo(db, companies=16, seed=4, as_of=AS_OF)
    return db


def _rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path)
    return [tuple(r) for r in book[sheet].iter_rows(values_only=True)]


def test_companies_export_follows_the_list_filters_and_order(demo_db: Database, tmp_path: Path) -> None:
    region = companies.empty_company_form(demo_db).region_code  # the demo advisor's region
    wanted = companies.CompanyFilter(region_code=region)
    listed = companies.search_companies(demo_db, filter=wanted, today=AS_OF, limit=1000)
    assert listed
    path = tmp_path / "entreprises.xlsx"
    assert export_companies(demo_db, path, filter=wanted, today=AS_OF) == len(listed)
    book = openpyxl.load_workbook(path)
    sheet = book["Entreprises"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Raison sociale", "Forme juridique", "Segment"]
    assert "Date de création" in header and "Nom du dirigeant" in header
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.column_dimensions["A"].width >= len("Raison sociale")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [c.name for c in listed]
    assert {r[header.index("Région")] for r in rows} == {listed[0].region}
    created = header.index("Date de création")
    dated = [sheet.cell(row=i + 2, column=created + 1) for i, r in enumerate(rows) if r[created]]
    assert dated and all(isinstance(c.value, dt.datetime) and c.number_format == "DD/MM/YYYY" for c in dated)


def test_exported_companies_come_back_as_duplicates(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "all.xlsx"
    count = export_companies(demo_db, path, today=AS_OF)
    plan = ic.analyse(demo_db, ic.read_file(path), today=AS_OF)
    assert len(plan.rows) == count and not plan.refused
    assert len(plan.duplicates) == count
    assert all(r.duplicate is not None and r.duplicate.company_id for r in plan.duplicates)


def test_sessions_export_has_each_session_and_each_attendance_mark(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "seances.xlsx"
    export_sessions(demo_db, path, today=AS_OF)
    listed = sessions_overview.list_sessions(demo_db, today=AS_OF)
    sessions = _rows(path, "Séances")
    assert sessions[0][:3] == ("Date", "Début", "Fin") and len(sessions) == len(listed) + 1
    assert sessions[1][0] == dt.datetime.combine(listed[0].held_on, dt.time())
    assert sessions[1][9] == listed[0].recorded
    marks = _rows(path, "Émargement")
    expected = sum(len(attendance_sheet(demo_db, s.id, today=AS_OF).participants) for s in listed)
    assert expected and len(marks) == expected + 1
    statuses = {r[6] for r in marks[1:]}
    assert "Présent(e)" in statuses


def test_action_plans_export(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "plans.xlsx"
    export_action_plans(demo_db, path, today=AS_OF)
    actions = actions_overview.list_actions(demo_db, scope=actions_overview.ALL, today=AS_OF)
    rows = _rows(path, "Plans d'action")
    assert rows[0][:3] == ("Entreprise", "Problème clé", "Action") and len(rows) == len(actions) + 1
    first = actions[0]
    assert rows[1][:3] == (first.company_name, first.problem_title, first.title)
    assert rows[1][7] == pytest.approx(first.progress / 100)
    book = openpyxl.load_workbook(path)
    assert book["Plans d'action"]["H2"].number_format == "0%"


def test_dashboard_export(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "tableau.xlsx"
    export_dashboard(demo_db, path, today=AS_OF)
    board = dashboard(demo_db, today=AS_OF)
    figures = dict(r for r in _rows(path, "Tableau de bord")[1:] if len(r) == 2)  # type: ignore[misc]
    assert figures["Entreprises"] == board.companies
    assert figures["Actions en retard"] == board.late_actions
    stages = _rows(path, "Par étape")
    assert sum(int(str(r[1])) for r in stages[1:]) == board.companies


def test_english_headers(demo_db: Database, tmp_path: Path, english: None) -> None:
    path = tmp_path / "companies.xlsx"
    export_companies(demo_db, path, today=AS_OF)
    assert _rows(path, "Companies")[0][0] == "Company name"


def test_a_file_that_cannot_be_written_is_a_user_error(demo_db: Database, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(UserError, match="Impossible d'écrire"):
        export_dashboard(demo_db, blocker / "tableau.xlsx", today=AS_OF)
