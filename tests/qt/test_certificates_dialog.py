"""The certificates dialog, opened from the Groupes screen: rules per participant and why
not, issuing for the selection and for the whole group (rows in the database), reissuing,
saving the PDFs to a folder and the print preview of every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from advisor_app.domain.certificates import Certificate
from advisor_app.services.database import Database
from advisor_app.ui.dialogs.certificates_dialog import CertificatesDialog
from advisor_app.ui.views.groups_view import GroupsView
from tests.certificate_scenario import Scenario, build_group, enrol_for_signing


@pytest.fixture
def scenario(db: Database) -> Scenario:
    return build_group(db)


def _numbers(db: Database) -> dict[str, str]:
    """beneficiary -> number of every certificate row."""
    with db.sessions() as session:
        return {c.number: c.facts["beneficiary"] for c in session.scalars(select(Certificate))}


def _dialog(qtbot: QtBot, db: Database, scenario: Scenario) -> CertificatesDialog:
    dialog = CertificatesDialog(db, scenario.group_id)
    qtbot.addWidget(dialog)
    return dialog


def _select(dialog: CertificatesDialog, *names: str) -> None:
    dialog.table.clearSelection()
    dialog.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
    for row in range(dialog.table.rowCount()):
        if dialog.table.item(row, 1).text() in names:
            dialog.table.selectRow(row)
    dialog.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)


def test_the_groups_screen_opens_the_dialog(qtbot: QtBot, db: Database, scenario: Scenario,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    view = GroupsView(db)
    qtbot.addWidget(view)
    assert view.certificates_button.isEnabled()
    opened: list[CertificatesDialog] = []
    monkeypatch.setattr(CertificatesDialog, "exec", lambda self: opened.append(self) or 0)
    view.certificates_button.click()
    assert opened and opened[0].overview is not None
    assert opened[0].overview.group_id == scenario.group_id


def test_without_enrolment_the_dialog_explains_and_issues_nothing(qtbot: QtBot, db: Database,
                                                                  scenario: Scenario) -> None:
    dialog = _dialog(qtbot, db, scenario)
    assert not dialog.signing.isHidden() and "pas inscrit auprès du siège" in dialog.signing.text()
    assert not dialog.issue_all_button.isEnabled()
    _select(dialog, "Salma Idrissi")
    assert "✗ Assiduité d'au moins 80 % — 62 % : présent à 5 séance(s) sur 8." in dialog.details.text()
    assert dialog.table.item(2, 3).text().startswith("3 non remplie(s)")
    dialog.grab().save("/tmp/certificates-dialog-unenrolled.png")


def test_issue_for_the_selection_then_the_group_then_reissue(qtbot: QtBot, db: Database, scenario: Scenario,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    enrol_for_signing(db)
    dialog = _dialog(qtbot, db, scenario)
    assert dialog.signing.isHidden()
    _select(dialog, "Salma Idrissi")
    assert not dialog.issue_button.isEnabled()  # she does not meet the rules
    _select(dialog, "Youssef Bennani")
    assert dialog.issue_button.isEnabled()
    dialog.issue_button.click()
    assert sorted(_numbers(db).values()) == ["Youssef Bennani"]
    assert "1 attestation(s) délivrée(s)" in dialog.message.text()
    dialog.issue_all_button.click()  # the rest of the eligible: Khadija only
    assert sorted(_numbers(db).values()) == ["Khadija Bennani", "Youssef Bennani"]
    assert not dialog.issue_all_button.isEnabled()
    assert dialog.table.item(0, 4).text().startswith("N° ATT-")

    _select(dialog, "Khadija Bennani")
    asked: list[str] = []
    monkeypatch.setattr(CertificatesDialog, "confirm_reissue",
                        lambda self, p: asked.append(p.person_name) or True)
    dialog.reissue_button.click()
    assert asked == ["Khadija Bennani"]
    assert list(_numbers(db).values()).count("Khadija Bennani") == 2
    assert "elle remplace le n°" in dialog.message.text()
    dialog.grab().save("/tmp/certificates-dialog.png")


def test_save_and_print_preview(qtbot: QtBot, db: Database, scenario: Scenario, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    enrol_for_signing(db)
    dialog = _dialog(qtbot, db, scenario)
    dialog.issue_all_button.click()
    dialog.table.clearSelection()
    monkeypatch.setattr(CertificatesDialog, "ask_folder", lambda self: tmp_path / "attestations")
    dialog.save_button.click()
    files = sorted(p.name for p in (tmp_path / "attestations").glob("*.pdf"))
    assert files == sorted(f"attestation-{n}.pdf" for n in _numbers(db))
    assert "2 fichier(s) PDF enregistré(s)" in dialog.message.text()

    pages: list[int] = []

    def preview(self: CertificatesDialog, shown: QPrintPreviewDialog) -> None:
        # what the preview (and its Print button) paints: every certificate, landscape
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        printer.setPageLayout(shown.printer().pageLayout())
        shown.paintRequested.emit(printer)
        pages.append(len(PdfReader(tmp_path / "printed.pdf").pages))
        assert shown.printer().pageLayout().orientation().name == "Landscape"

    monkeypatch.setattr(CertificatesDialog, "show_preview", preview)
    dialog.print_button.click()
    assert pages == [2]


def test_a_laptop_enrolled_before_certificates_creates_its_key_from_the_dialog(
        qtbot: QtBot, tmp_path: Path) -> None:
    from sqlalchemy import delete

    from advisor_app.domain.hq_records import HqDevice
    from advisor_app.domain.local import LocalSetting
    from advisor_app.services.database import device_id, get_setting
    from advisor_app.sync import device_key
    from tests.hq.harness import LiveHq, new_laptop

    hq = LiveHq(f"sqlite:///{tmp_path / 'hq.sqlite'}")
    laptop = None
    try:
        laptop = new_laptop(hq, tmp_path / "amina.sqlite", "amina",
                            hq.add_advisor("Samira Alaoui", "samira@example.ma"))
        db = laptop.db
        with hq.db.write() as session:  # as an enrolment made by an older version left things
            session.scalars(select(HqDevice)).one().public_key = None
            session.scalars(select(HqDevice)).one().key_prefix = None
        device_key.forget_private_key(device_id(db))
        with db.unit_of_work() as session:
            session.execute(delete(LocalSetting).where(LocalSetting.key == device_key.PUBLIC_KEY_SETTING))
        scenario = build_group(db)
        dialog = _dialog(qtbot, db, scenario)
        assert not dialog.key_button.isHidden() and "avant l'arrivée" in dialog.signing.text()
        assert not dialog.issue_all_button.isEnabled()
        dialog.key_button.click()
        assert dialog.key_button.isHidden() and dialog.signing.isHidden()
        assert "Clé de signature créée" in dialog.message.text()
        with db.sessions() as session:
            public = get_setting(session, device_key.PUBLIC_KEY_SETTING)
        with hq.db.read() as session:
            assert session.scalars(select(HqDevice)).one().public_key == public
        dialog.issue_all_button.click()
        assert sorted(_numbers(db).values()) == ["Khadija Bennani", "Youssef Bennani"]
    finally:
        if laptop is not None:
            laptop.db.close()
        hq.stop()


def test_the_dialog_speaks_english(qtbot: QtBot, db: Database, scenario: Scenario, english: None) -> None:
    dialog = _dialog(qtbot, db, scenario)
    assert dialog.issue_all_button.text() == "Issue to the whole group"
    assert dialog.table.horizontalHeaderItem(3).text() == "Completion rules"
    assert "not enrolled with headquarters" in dialog.signing.text()
    _select(dialog, "Hassan Ait Lahcen")
    assert "✓ Attendance of at least 80% — 100%: present at 8 of 8 session(s)." in dialog.details.text()
    assert "✗ Action plan approved — 0 of 1 expected key problem(s) validated." in dialog.details.text()
    assert dialog.table.item(3, 3).text() == "1 not met: Action plan approved"
