"""The whole questionnaire filled through the dialog as an advisor would: the entrepreneur's
scores, an N/A, importances and evidence, a draft, the advisor's validation; the stored
answers and the scores the Diagnostics tab shows; a validated diagnostic reopened read-only
and corrected into a new version; the report saved as PDF from the tab."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from advisor_app.domain.companies import Company, Person
from advisor_app.domain.diagnostics import Diagnostic, DiagnosticAnswer
from advisor_app.domain.enums import LegalForm, PersonRole, Segment
from advisor_app.domain.questionnaires import NOT_APPLICABLE
from advisor_app.services.database import Database
from advisor_app.services.enrolments import enrol_company
from advisor_app.ui.dialogs.diagnostic_dialog import DiagnosticDialog
from advisor_app.ui.views import diagnostics_tab
from advisor_app.ui.views.company_page import CompanyPage

SHOTS = os.environ.get("MOWAKABA_SHOTS")


@pytest.fixture
def enrolled(db: Database) -> tuple[str, str]:
    """(company id, enrolment id)."""
    with db.unit_of_work() as session:
        row = Company(
            name="Atelier Amal", legal_form=LegalForm.SARL, segment=Segment.TPE, region_code="MA-06"
        )
        row.people = [Person(role=PersonRole.OWNER, first_name="Fatima", last_name="Amal")]
        session.add(row)
        session.flush()
        company_id = row.id
    return company_id, enrol_company(
        db, company_id=company_id, track_code="PERF-CIBLEE", enrolled_on=dt.date(2025, 1, 2)
    )


def _text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def _pick(box: object, value: int | None) -> None:
    index = box.findData("" if value is None else str(value))  # type: ignore[attr-defined]
    assert index >= 0
    box.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_fill_validate_and_correct(
    qtbot: QtBot, db: Database, enrolled: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    company_id, enrolment = enrolled
    dialog = DiagnosticDialog(db, enrolment)
    qtbot.addWidget(dialog)
    assert len(dialog.rows) == 32
    dialog.conducted_on.setDate(QDate(2025, 1, 15))
    dialog.notes.setPlainText("Entretien sur site.")
    rows = list(dialog.rows.values())
    # the entrepreneur: axis k (0-7) scores k % 5 on each item (0, 1, 2, 3, 4, 0, 1, 2); the first item N/A
    for n, row in enumerate(rows):
        _pick(row.entrepreneur, NOT_APPLICABLE if n == 0 else (n // 4) % 5)
        _pick(row.importance, 1 + n % 3)
    rows[5].evidence.setText("Pas de tableau de bord")
    assert "31 / 32 items notés" in dialog.score.text()
    assert dialog.save(validate=True) is False  # the advisor has not scored yet
    assert "note validée par le conseiller manque" in dialog.error.text()
    assert dialog.error.text().startswith(f"Item {rows[0].item_code} :")  # the first item, named
    dialog.show()
    assert dialog.focusWidget() is rows[0].advisor  # the cursor waits at that item's validated score
    assert dialog.save(validate=False)  # a draft: every item scored by the entrepreneur
    draft_id = dialog.saved_id
    assert draft_id is not None
    with db.sessions() as session:
        d = session.get(Diagnostic, draft_id)
        assert d is not None and d.status == "submitted" and d.notes == "Entretien sur site."
    # the advisor reopens it, takes the entrepreneur's scores and lowers one
    dialog = DiagnosticDialog(db, enrolment, draft_id)
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    rows = list(dialog.rows.values())
    _pick(rows[30].advisor, 0)  # the last axis: 2, 2, 0, 1
    _pick(rows[31].advisor, 1)
    assert dialog.save(validate=True), dialog.error.text()
    with db.sessions() as session:
        answers = session.scalars(
            select(DiagnosticAnswer).where(
                DiagnosticAnswer.diagnostic_id == draft_id, DiagnosticAnswer.deleted_at.is_(None)
            )
        ).all()
        assert len(answers) == 32
        by_score = sorted((a.entrepreneur_score, a.advisor_score) for a in answers)
        assert by_score[0] == (NOT_APPLICABLE, NOT_APPLICABLE)
        assert (2, 0) in by_score and (2, 1) in by_score
        assert {a.evidence for a in answers} == {"", "Pas de tableau de bord"}
        assert sorted({a.importance for a in answers}) == [1, 2, 3]
        assert session.get(Diagnostic, draft_id).status == "validated"  # type: ignore[union-attr]
    page = CompanyPage(db)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show_company(company_id)
    tab = page.diagnostics_tab
    view = tab.overview
    assert view is not None and view.latest is not None and view.latest.id == draft_id
    # axis 0: N/A, 0, 0, 0 -> 0 %; axis 7: 2, 2, 0, 1 -> 1.25 -> 31.25 %
    assert view.axes[0].latest == 0.0 and view.axes[7].latest == pytest.approx(31.25)
    # overall: 31 items; axes 1-6 sum 4 * (1 + 2 + 3 + 4 + 0 + 1) = 44, axis 7 sums 5
    assert view.overall_latest == pytest.approx(49 / 31 / 4 * 100)
    assert _text(tab.axes, 7, 2) == "31\u202f%"
    # Performance ciblée: one proposal; axes 0 and 5 both at 0 %, axis 5's priority is higher
    # (importances 3, 1, 2, 3 -> 12, 4, 8, 12: 9 against axis 0's 2, 3, 1 -> 8, 12, 4: 8)
    assert [p.axis_code for p in view.proposals] == [view.axes[5].code]
    assert view.axes[5].label in tab.proposals.text()
    if SHOTS:
        page.tabs.setCurrentWidget(tab)
        page.grab().save(f"{SHOTS}/diagnostics_tab.png")
        dialog.grab().save(f"{SHOTS}/diagnostic_dialog.png")
    # reopened: read-only; "Corriger" writes version 2 superseding it
    dialog = DiagnosticDialog(db, enrolment, draft_id)
    qtbot.addWidget(dialog)
    assert dialog.read_only and not dialog.validate_button.isEnabled()
    assert not next(iter(dialog.rows.values())).advisor.isEnabled()
    assert dialog.correct_button.isVisibleTo(dialog)
    dialog.correct_button.click()
    assert dialog.validate_button.isEnabled() and dialog.validate_button.text() == "Valider la correction"
    _pick(list(dialog.rows.values())[1].advisor, 2)
    assert dialog.save(validate=True), dialog.error.text()
    new_id = dialog.saved_id
    with db.sessions() as session:
        new = session.get(Diagnostic, new_id)
        assert new is not None and (new.version, new.supersedes_id) == (2, draft_id)
    page.reload()
    assert [r.id for r in page.diagnostics_tab.overview.rows] == [new_id]  # type: ignore[union-attr]
    assert page.diagnostics.rowCount() == 1 and _text(page.diagnostics, 0, 2) == "2"
    printed: list[str] = []

    def fake_print(path: Path, title: str, parent: object = None) -> bool:
        printed.append(" ".join(p.extract_text() for p in PdfReader(path).pages))
        return True

    monkeypatch.setattr(diagnostics_tab, "print_pdf_file", fake_print)
    page.diagnostics_tab.print_button.click()
    assert len(printed) == 1 and "Rapport d'autodiagnostic" in printed[0]
    assert page.diagnostics_tab.write_report(str(new_id), tmp_path / "rapport")  # ".pdf" added
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "rapport.pdf").pages)
    assert "Rapport d'autodiagnostic" in text and "Diagnostic initial (T0) — version 2" in text
    assert "Rapport enregistré" in page.diagnostics_tab.message.text()
