"""The printed attendance sheet (reportlab): what it says, read back from the PDF with pypdf,
Arabic names included, on A4 with the shipped font."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enums import LegalForm, PersonRole, Segment, SessionKind
from advisor_app.reports import attendance_sheet as report
from advisor_app.reports.fonts import visual
from advisor_app.services import attendance, attendance_print, sessions
from advisor_app.services.attendance import MarkInput
from advisor_app.services.database import Database
from advisor_app.services.enrolments import enrol_company
from advisor_app.services.errors import UserError
from advisor_app.services.groups import GroupForm, add_member, save_group
from advisor_app.services.sessions import SessionForm

D, T = dt.date, dt.time
PEOPLE = {  # company -> (first, last, first in Arabic, last in Arabic)
    "Atelier Amal": [("Fatima", "Zahra", "فاطمة", "الزهراء"), ("Youssef", "Alami", "يوسف", "العلمي")],
    "Boulangerie Nour": [("Abdallah", "Idrissi", "عبد الله", "الإدريسي"), ("Salma", "Tazi", "", "")],
}


def _text(path: Path) -> str:
    """Every word of the PDF, Arabic presentation forms folded back to letters."""
    pages = PdfReader(path).pages
    return unicodedata.normalize("NFKC", " ".join(" ".join(p.extract_text().split()) for p in pages))


@pytest.fixture
def workshop(db: Database) -> tuple[str, dict[str, str]]:
    """A whole-day workshop of a two-company group (09:00-16:30, two half-days), with Fatima
    late (09:40), Salma excused, the others present. Returns (session id, name -> person id)."""
    group = save_group(db, GroupForm(id=None, name="Settat · Agro · G1", track_code="PERF-CIBLEE",
                                     sector_code="AGRO", region_code="MA-06", starts_on=D(2025, 1, 6)))
    ids: dict[str, str] = {}
    for name, people in PEOPLE.items():
        with db.unit_of_work() as session:
            company = Company(name=name, legal_form=LegalForm.SARL, segment=Segment.TPE,
                              region_code="MA-06", city="Settat")
            company.people = [Person(role=PersonRole.OWNER if i == 0 else PersonRole.PILOT, first_name=f,
                                     last_name=last, first_name_ar=fa, last_name_ar=la)
                              for i, (f, last, fa, la) in enumerate(people)]
            session.add(company)
            session.flush()
            ids.update({p.first_name: p.id for p in company.people})
            company_id = company.id
        enrolment = enrol_company(db, company_id=company_id, track_code="PERF-CIBLEE",
                                  enrolled_on=D(2025, 1, 2))
        add_member(db, group_id=group, enrolment_id=enrolment, joined_on=D(2025, 1, 6))
    session_id = sessions.save_session(db, SessionForm(
        id=None, kind=SessionKind.GROUP_WORKSHOP.value, group_id=group, held_on=D(2025, 3, 11),
        starts_at=T(9), ends_at=T(16, 30), title="Calculer son coût de revient",
        place="Chambre de commerce, Settat", facilitators="Samira Alaoui, Karim Bennis"))
    attendance.record_attendance(db, session_id, [
        MarkInput(ids["Fatima"], "late", T(9, 40)), MarkInput(ids["Youssef"], "present"),
        MarkInput(ids["Abdallah"], "present"), MarkInput(ids["Salma"], "excused", note="Malade")])
    return session_id, ids


def test_the_sheet_says_who_when_where_and_has_a_box_per_half_day(
        db: Database, workshop: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    session_id, _ = workshop
    path = attendance_print.write_attendance_sheet(db, session_id, tmp_path / "sheet.pdf")
    text = _text(path)
    for words in ("Feuille d'émargement", "Performance ciblée — Settat · Agro · G1",
                  "Module Calculer son coût de revient", "Type de séance Atelier collectif",
                  "Date 11/03/2025", "Horaire 09:00 – 16:30 (2 demi-journées)",
                  "Lieu Chambre de commerce, Settat", "Animateur(s) Samira Alaoui, Karim Bennis",
                  "Signature demi-journée 1", "Signature demi-journée 2", "Nom et prénom", "Arrivée",
                  "Signature de l'animateur", "page 1 / 1"):
        assert words in text, f"{words!r} not printed:\n{text}"
    # participants by company, then owner before pilot; Fatima's arrival, Salma's absence
    order = [text.index(name) for name in ("Fatima Zahra", "Youssef Alami", "Abdallah Idrissi",
                                            "Salma Tazi")]
    assert order == sorted(order)
    assert re.search(r"Fatima Zahra .*09:40", text)
    assert re.search(r"Salma Tazi (\S+ )?Excusé\(e\) Excusé\(e\)", text)  # one per half-day box
    # Arabic names, printed right to left in joined letters, read back as the names
    for name in ("فاطمة الزهراء", "يوسف العلمي", "عبد الله الإدريسي"):
        assert name in text, f"{name} not printed:\n{text}"
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVuSans" in f for f in fonts), fonts


def test_arabic_is_shaped_and_in_visual_order() -> None:
    drawn = visual("عبد الله")
    assert drawn != "عبد الله" and all(0xFE70 <= ord(c) <= 0xFEFF or c == " " for c in drawn)
    assert unicodedata.normalize("NFKC", drawn[::-1]) == "عبد الله"  # no "Allah" ligature glyph
    assert visual("Atelier Amal") == "Atelier Amal"


def test_a_long_sheet_repeats_its_headings_on_every_page(tmp_path: Path) -> None:
    lines = [report.SheetLine(company=f"Entreprise {n:02d}", name=f"Personne {n:02d}") for n in range(40)]
    data = report.SheetData(title="Module", kind_label="Atelier collectif", programme="Performance ciblée",
                            for_whom="G1", held_on=D(2025, 3, 11), starts_at=T(14), ends_at=T(16),
                            half_days=0.0, place="", facilitators="", lines=lines)
    report.render(data, tmp_path / "long.pdf")
    reader = PdfReader(tmp_path / "long.pdf")
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) >= 2
    assert all("Nom et prénom" in p for p in pages)
    assert f"page {len(pages)} / {len(pages)}" in pages[-1]
    assert "Personne 39" in pages[-1] and "(0 demi-journée)" in pages[0]
    assert pages[0].count("Signature") >= 1 and "demi-journée 1" not in pages[0]  # one box


def test_the_sheet_speaks_english(db: Database, workshop: tuple[str, dict[str, str]], tmp_path: Path,
                                  english: None) -> None:
    session_id, _ = workshop
    text = _text(attendance_print.write_attendance_sheet(db, session_id, tmp_path / "en.pdf"))
    for words in ("Attendance sheet", "Kind of session Group workshop", "Signature, half-day 2",
                  "Targeted performance — Settat · Agro · G1", "Excused"):
        assert words in text, f"{words!r} not printed:\n{text}"


def test_an_unwritable_file_is_a_user_error(db: Database, workshop: tuple[str, dict[str, str]],
                                            tmp_path: Path) -> None:
    session_id, _ = workshop
    with pytest.raises(UserError, match="Impossible d'écrire"):
        attendance_print.write_attendance_sheet(db, session_id, tmp_path / "missing" / "sheet.pdf")
    sheet = attendance.attendance_sheet(db, session_id)
    assert attendance_print.default_file_name(sheet) == "emargement-2025-03-11-settat-agro-g1.pdf"
