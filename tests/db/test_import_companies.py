"""Importing companies from files written by office suites (tests/fixtures/import/, made by
LibreOffice: see make_fixtures.py): the report before anything is written, then the rows,
their people and the outbox after the import; duplicates merged, created or skipped."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from advisor_app.domain.companies import Company, Person
from advisor_app.domain.local import SyncOutbox
from advisor_app.services import companies as company_service
from advisor_app.services import import_companies as ic
from advisor_app.services import import_writer as iw
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
XLSX = FIXTURES / "entreprises_libreoffice.xlsx"
CP1252 = FIXTURES / "entreprises_cp1252.csv"
BOM = FIXTURES / "contacts_utf8_bom.csv"
FROM_CSV = FIXTURES / "contacts_from_csv.xlsx"


def _plan(db: Database, path: Path, **kwargs: object) -> ic.ImportPlan:
    return ic.analyse(db, ic.read_file(path), today=dt.date(2026, 11, 23), **kwargs)  # type: ignore[arg-type]


def _count(db: Database, model: type) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _issues(plan: ic.ImportPlan) -> set[tuple[int, str, str, str]]:
    return {(i.row, i.column, i.severity, i.reason) for i in plan.issues}


def test_libreoffice_workbook_is_read_below_its_merged_title_rows(db: Database) -> None:
    plan = _plan(db, XLSX)
    table = plan.table
    assert table.sheet == "Entreprises" and table.header_row == 3
    # the empty line (row 6) is gone; numbers are those the spreadsheet shows
    assert [r.number for r in plan.rows] == [4, 5, 7, 8, 9, 10, 11]
    by_row = {r.number: r for r in plan.rows}
    atlas = by_row[4].company
    assert (atlas["name"], atlas["region_code"], atlas["sector_code"], atlas["legal_form"]) == (
        "Boulangerie Atlas", "MA-06", "AGRO", "sarl")
    assert (atlas["ice"], atlas["phone"], atlas["employees"], atlas["created_on"]) == (
        "001234567000062", "+212522123456", 7, dt.date(2015, 3, 12))
    assert by_row[4].person == {
        "first_name": "Fatima", "last_name": "El Idrissi", "first_name_ar": "", "last_name_ar": "",
        "job_title": "", "phone": "+212612345678", "email": None, "role": "owner", "gender": "F"}
    cooperative = by_row[5].company
    assert cooperative["name"] == "Coopérative Tifawin" and cooperative["legal_form"] == "cooperative"
    assert cooperative["created_on"] == dt.date(2018, 11, 3)  # "03/11/2018": day first
    assert cooperative["ice"] == "002345678000031"  # typed as a number: leading zeros restored
    couture = by_row[7].company  # no region column value: found from the city
    assert (couture["name"], couture["region_code"], couture["legal_form"]) == (
        "Atelier Béni Mellal Couture", "MA-05", "sarl_au")
    assert by_row[7].person is not None and by_row[7].person["gender"] == "F"


def test_the_report_gives_row_column_and_reason_before_anything_is_written(db: Database) -> None:
    plan = _plan(db, XLSX)
    issues = _issues(plan)
    assert (8, "A (Raison sociale)", "error", "Ce champ est obligatoire : Raison sociale.") in issues
    assert (8, "F (N° ICE)", "error", "L'ICE doit comporter 15 chiffres (5 saisis).") in issues
    assert (8, "H (E-mail)", "error",
            "Adresse e-mail invalide : « pas-un-mail » (ex. nom@domaine.ma).") in issues
    assert (10, "J (Date de création)", "error", "Date impossible : « 31/02/2020 ».") in issues
    assert (11, "C (Secteur d'activité)", "error", "Valeur inconnue : « Services ».") in issues
    assert (5, "F (N° ICE)", "warning",
            "ICE complété par ses zéros initiaux (perdus par le tableur) : 002345678000031.") in issues
    assert [r.number for r in plan.refused] == [8, 10, 11]
    # row 9 repeats row 4 (same name, case aside, and same phone written another way)
    [duplicate] = plan.duplicates
    assert duplicate.number == 9 and duplicate.duplicate is not None
    assert (duplicate.duplicate.row, duplicate.duplicate.same_ice) == (4, False)
    assert _count(db, Company) == 0 and _count(db, SyncOutbox) == 0


def test_import_writes_companies_people_and_outbox_in_one_go(db: Database) -> None:
    plan = _plan(db, XLSX)
    result = iw.apply_import(db, plan)
    assert (result.created, result.merged, result.refused, result.people_added) == (3, 1, 3, 4)
    with db.sessions() as session:
        names = sorted(session.scalars(select(Company.name)))
        assert names == ["Atelier Béni Mellal Couture", "Boulangerie Atlas", "Coopérative Tifawin"]
        atlas = session.scalars(select(Company).where(Company.name == "Boulangerie Atlas")).one()
        people = {(p.first_name, p.last_name, str(p.role), p.phone) for p in atlas.people}
        # row 9 merged into row 4's company: its contact joins it (the owner is taken)
        assert people == {("Fatima", "El Idrissi", "owner", "+212612345678"),
                          ("Rachid", "El Idrissi", "employee", "+212661223344")}
        assert atlas.scope_region == "MA-06" and atlas.created_on == dt.date(2015, 3, 12)
        outbox = {(o.table_name, o.row_id) for o in session.scalars(select(SyncOutbox))}
        ids = set(session.scalars(select(Company.id))) | set(session.scalars(select(Person.id)))
        assert {row_id for _, row_id in outbox} == ids
        assert {table for table, _ in outbox} == {"company", "person"}
    assert [(n.row, n.column) for n in result.notes] == [(9, "Contact : rôle")]


def test_windows_1252_semicolon_csv_reads_like_the_workbook(db: Database) -> None:
    table = ic.read_file(CP1252)
    assert (table.encoding, table.delimiter, table.header_row) == ("cp1252", ";", 3)
    csv_plan, xlsx_plan = _plan(db, CP1252), _plan(db, XLSX)
    assert [r.company for r in csv_plan.rows] == [r.company for r in xlsx_plan.rows]
    assert _issues(csv_plan) == _issues(xlsx_plan)


def test_utf8_bom_csv_with_accents_dates_and_regions(db: Database) -> None:
    plan = _plan(db, BOM)
    assert plan.table.encoding == "utf-8-sig" and plan.table.delimiter == ","
    assert not plan.issues
    cafe, library = (r.company for r in plan.rows)
    assert (cafe["name"], cafe["region_code"], cafe["created_on"]) == (
        "Café Tétouan Médina", "MA-01", dt.date(2021, 5, 5))
    assert (library["region_code"], library["created_on"]) == ("MA-03", dt.date(2016, 2, 1))  # Ifrane
    assert [r.person["first_name"] for r in plan.rows if r.person] == ["Aïcha", "Noël"]
    iw.apply_import(db, plan)
    with db.sessions() as session:
        noel = session.scalars(select(Person).where(Person.first_name == "Noël")).one()
        # the one "E-mail" column is the company's
        assert noel.company.name == "Librairie Ifrane" and noel.company.email == "noel@librairie.ma"


def test_csv_converted_by_libreoffice_gives_real_dates_and_amounts(db: Database) -> None:
    plan = _plan(db, FROM_CSV)
    assert not plan.issues
    grocery, garage = plan.rows
    assert grocery.company["created_on"] == dt.date(2017, 9, 21)
    assert (grocery.company["turnover_band"], garage.company["turnover_band"]) == ("500k_3m", "3m_10m")
    assert grocery.person is not None
    assert (grocery.person["first_name"], grocery.person["last_name"], grocery.person["job_title"]) == (
        "Zineb", "Haddaoui", "Gérante")


def _existing(db: Database) -> str:
    form = company_service.empty_company_form(db)
    form.name, form.region_code, form.city = "BOULANGERIE ATLAS", "MA-06", "Mohammedia"
    form.ice = "001234567000062"
    form.people[0].first_name, form.people[0].last_name = "Fatima", "El Idrissi"
    return company_service.save_company(db, form)


def test_duplicate_of_a_saved_company_is_merged_without_overwriting(db: Database) -> None:
    company_id = _existing(db)
    plan = _plan(db, XLSX)
    by_row = {r.number: r for r in plan.rows}
    assert by_row[4].duplicate is not None and by_row[4].duplicate.company_id == company_id
    assert by_row[4].duplicate.describe() == "« BOULANGERIE ATLAS » (Mohammedia) déjà enregistrée (même ICE)"
    # row 9 repeats row 4 of the file (the saved company has no phone to compare)
    assert by_row[9].duplicate is not None and by_row[9].duplicate.row == 4
    result = iw.apply_import(db, plan, {9: ic.SKIP})
    assert (result.created, result.merged, result.skipped) == (2, 1, 1)
    with db.sessions() as session:
        atlas = session.get(Company, company_id)
        assert atlas is not None
        # empty fields filled; the city the company had is kept, and said
        assert (atlas.city, atlas.email, atlas.phone, atlas.employees) == (
            "Mohammedia", "contact@atlas.ma", "+212522123456", 7)
        [fatima] = [p for p in atlas.people]
        assert fatima.phone == "+212612345678"  # completed, not added twice
        assert session.scalar(select(func.count()).select_from(Company).where(
            Company.ice == "001234567000062")) == 1
    assert any(n.row == 4 and n.column == "Ville" and "« Casablanca » non reprise" in n.reason
               and "« Mohammedia »" in n.reason for n in result.notes)
    assert result.people_completed == 1


def test_create_anyway_makes_a_second_company(db: Database) -> None:
    _existing(db)
    plan = _plan(db, XLSX)
    iw.apply_import(db, plan, {4: ic.CREATE, 9: ic.CREATE})
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Company).where(
            Company.ice == "001234567000062")) == 2


def test_mapping_can_be_overridden(db: Database) -> None:
    table = ic.read_file(XLSX)
    mapping = ic.analyse(db, table).mapping
    email = table.headers.index("E-mail")
    mapping[email] = None  # ignore the e-mail column: row 8 loses one error
    plan = ic.analyse(db, table, mapping)
    assert not any(i.row == 8 and i.column.startswith("H ") for i in plan.issues)
    mapping[email] = "name"
    with pytest.raises(UserError, match="même champ"):
        ic.analyse(db, table, mapping)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("old.xls", b"\xd0\xcf\x11\xe0", "Format « .xls » non pris en charge"),
    ("broken.xlsx", b"PK\x03\x04 not a zip", "n'est pas un classeur Excel lisible"),
    ("empty.csv", b"\n;;\n", "ne contient aucune ligne"),
])
def test_unreadable_files_are_a_clear_user_error(tmp_path: Path, name: str, content: bytes,
                                                 message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        ic.read_file(path)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_a_csv_converted_by_libreoffice_now_imports(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_text("Titre de la liste;;\n;;\nSociété;Ville;Tél.\nHammam Al Baraka;Meknès;0535 52 11 00\n",
                      encoding="cp1252")
    subprocess.run(["soffice", "--headless", "--infilter=CSV:59,34,1,1", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    plan = _plan(db, tmp_path / "export.xlsx")
    assert plan.table.header_row == 3 and not plan.issues
    iw.apply_import(db, plan)
    with db.sessions() as session:
        hammam = session.scalars(select(Company)).one()
        assert (hammam.name, hammam.city, hammam.region_code) == ("Hammam Al Baraka", "Meknès", "MA-03")


def test_the_report_speaks_english_when_the_app_does(db: Database, english: None) -> None:
    plan = _plan(db, XLSX)
    reasons = {(i.row, i.reason) for i in plan.issues}
    assert (10, "Impossible date: “31/02/2020”.") in reasons
    assert (11, "Unknown value: “Services”.") in reasons
    assert plan.duplicates[0].duplicate is not None
    assert plan.duplicates[0].duplicate.describe() == "Row 4 of the file (same name and same phone)"


def test_the_sheet_with_known_headers_is_read_first_and_another_can_be_chosen(
        db: Database, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Fichier transmis par la CCIS, à vérifier"])
    data = book.create_sheet("Liste")
    data.append(["Raison sociale", "Ville", "Téléphone"])
    data.append(["Tannerie Chouara", "Fès", "0535 60 11 22"])
    other = book.create_sheet("Archives")
    other.append(["Société", "Ville"])
    other.append(["Riad Zitoun", "Marrakech"])
    path = tmp_path / "classeur.xlsx"
    book.save(path)
    table = ic.read_file(path)
    assert (table.sheet, table.sheets) == ("Liste", ["Notes", "Liste", "Archives"])
    assert ic.read_file(path, sheet="Archives").rows[0].values == ("Riad Zitoun", "Marrakech")


def test_analysis_reports_progress_and_can_be_interrupted(db: Database) -> None:
    table = ic.read_file(XLSX)
    heard: list[tuple[int, int]] = []
    ic.analyse(db, table, progress=lambda done, total: heard.append((done, total)))
    assert heard == [(0, 7)]
    with pytest.raises(UserError, match="Analyse interrompue"):
        ic.analyse(db, table, cancelled=lambda: True)
