"""Sync in the desktop app against a real HQ on loopback: enrol through the dialog, create a
company, sync with the button (in a worker thread) and find it at HQ; a conflict shows in
the conflicts screen with both values and who made HQ's, and the decision reaches HQ."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, func, select

from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enums import PersonRole
from advisor_app.domain.local import SyncOutbox
from advisor_app.hq.admin import NewAdvisor
from advisor_app.services.database import Database, device_id
from advisor_app.sync import credentials
from advisor_app.sync.engine import SyncReport
from advisor_app.ui.dialogs.company_dialog import CompanyDialog
from advisor_app.ui.main_window import SECTIONS, MainWindow
from advisor_app.ui.views.sync_view import SyncView
from advisor_app.ui.widgets.people_editor import blank_person
from tests.hq.harness import REGION, Laptop, LiveHq, new_laptop

SYNC = SECTIONS.index("Synchronisation")
WAIT_MS = 60_000


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[LiveHq]:
    server = LiveHq(f"sqlite:///{tmp_path / 'hq.sqlite'}")
    yield server
    server.stop()


@pytest.fixture
def samira(hq: LiveHq) -> NewAdvisor:
    return hq.add_advisor("Samira Alaoui", "samira@example.ma")


@pytest.fixture
def window(qtbot: QtBot, db: Database, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(db, settings)
    qtbot.addWidget(main)
    main.show()
    main.show_section(SYNC)
    return main


def _enrol(qtbot: QtBot, view: SyncView, url: str, code: str) -> None:
    view.enrol_button.click()
    dialog = view.enrol_dialog
    assert dialog is not None
    dialog.server.setText(url)
    dialog.code.setText(code)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def _sync(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.sync_controller.idle, timeout=WAIT_MS):
        window.sync.sync_button.click()


def _pending(db: Database) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(SyncOutbox)
                              .where(SyncOutbox.acked_at.is_(None))) or 0


def _new_company(qtbot: QtBot, db: Database, name: str) -> str:
    dialog = CompanyDialog(db)
    qtbot.addWidget(dialog)
    dialog.name.setText(name)
    dialog.region.setCurrentIndex(dialog.region.findData(REGION))
    dialog.city.setText("Settat")
    row = dialog.people.add_person(blank_person("owner"))
    for field, value in (("first_name", "Khadija"), ("last_name", "Bennani")):
        dialog.people.set_cell(row, field, value)
    assert dialog.save() is True and dialog.saved_id
    return dialog.saved_id


def test_enrol_with_mistakes_at_the_fields_then_create_a_company_and_sync_it_to_hq(
        qtbot: QtBot, window: MainWindow, db: Database, hq: LiveHq, samira: NewAdvisor) -> None:
    view = window.sync
    assert view.enrol_button.isVisible() and not view.sync_button.isEnabled()
    view.enrol_button.click()
    dialog = view.enrol_dialog
    assert dialog is not None
    dialog.server.setText("siege sans schema")
    dialog.code.setText("ABC")
    assert dialog.save() is False
    assert dialog.errors["server"].text().startswith("Adresse du siège invalide")
    assert dialog.errors["code"].text().startswith("Code d'inscription mal formé")
    dialog.server.setText(hq.url)
    dialog.code.setText("AAAA-BBBB-CCCC")  # well formed, unknown at HQ: HQ says so at the code
    with qtbot.waitSignal(dialog.worker_done, timeout=WAIT_MS):
        assert dialog.save() is True
    assert "déjà utilisé" in dialog.errors["code"].text() and dialog.isVisible()
    assert not dialog.errors["server"].isVisible()
    dialog.code.setText(samira.code.lower())
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    assert f"Inscrit auprès du siège : {hq.url}" in view.enrolment.text()
    assert "Samira Alaoui" in view.enrolment.text() and "(MA-06)" in view.enrolment.text()
    assert view.forget_button.isVisible() and view.sync_button.isEnabled()
    assert window.sync_bar.sync_button.isVisible()

    company = _new_company(qtbot, db, "Menuiserie Atlas")
    window.data_changed()
    assert "Changements à synchroniser : 2" in window.status_label.text()
    assert window.sync.pending_box.title() == "Changements à envoyer : 2"
    _sync(qtbot, window)
    at_hq = hq.rows("company")[company]
    assert (at_hq.name, at_hq.updated_by) == ("Menuiserie Atlas", samira.advisor_id)
    assert _pending(db) == 0
    assert "Synchronisation terminée : 2 changement(s) envoyé(s)" in view.outcome.text()
    assert view.pending_box.title() == "Changements à envoyer : 0"
    assert "Changements à synchroniser : 0" in window.status_label.text()
    assert window.sync_bar.last_sync.text() == "Dernière synchronisation réussie : à l'instant"
    assert not window.sync_bar.error.isVisible()


def _two_laptops_in_conflict(qtbot: QtBot, window: MainWindow, db: Database, hq: LiveHq,
                             samira: NewAdvisor, tmp_path: Path) -> tuple[Laptop, str]:
    """The window's laptop and Karim's both change the city of one company; Karim's change
    is the later one and reaches HQ first: the window's laptop hears of the conflict."""
    _enrol(qtbot, window.sync, hq.url, samira.code)
    company = _new_company(qtbot, db, "Tissage Fès")
    _sync(qtbot, window)
    karim = hq.add_advisor("Karim Bennani", "karim@example.ma")
    other = new_laptop(hq, tmp_path / "karim.sqlite", "karim", karim)
    other.advisor_id = karim.advisor_id
    other.sync()
    with db.unit_of_work() as session:  # what the company page would save
        row = session.get(Company, company)
        assert row is not None
        row.city = "Meknès"
    time.sleep(0.01)
    other.edit(Company, company, city="Fès")
    other.sync()
    _sync(qtbot, window)
    return other, company


def test_conflict_shown_side_by_side_and_keeping_mine_reaches_hq(
        qtbot: QtBot, window: MainWindow, db: Database, hq: LiveHq, samira: NewAdvisor,
        tmp_path: Path) -> None:
    other, company = _two_laptops_in_conflict(qtbot, window, db, hq, samira, tmp_path)
    try:
        assert hq.rows("company")[company].city == "Fès"  # the later change won
        bar = window.sync_bar
        assert bar.conflicts.isVisible() and bar.conflicts.text() == "Conflits à résoudre : 1"
        bar.conflicts.click()
        view = window.conflicts
        assert window.stack.currentWidget() is view
        assert view.model.rowCount() == 1
        assert view.heading.text() == "Entreprises — Tissage Fès : champ « Ville »"
        assert view.mine.value.text() == "Meknès" and view.theirs.value.text() == "Fès"
        assert view.theirs.who.text().startswith("Changée par Karim Bennani le ")
        assert view.mine.who.text().startswith("Changée sur cet ordinateur le ")
        assert view.theirs.in_force.isVisible() and not view.mine.in_force.isVisible()
        view.mine.keep.click()
        assert "« Meknès » gardé" in view.message.text()
        assert view.model.rowCount() == 0 and view.empty.isVisible()
        assert _pending(db) == 1  # the decision waits in the outbox like any edit
        with qtbot.waitSignal(window.sync_controller.idle, timeout=WAIT_MS):
            view.sync_button.click()
        assert hq.rows("company")[company].city == "Meknès"
        other.sync()
        assert other.get(Company, company).city == "Meknès"
        assert not bar.conflicts.isVisible()
    finally:
        other.db.close()


def test_a_typed_value_resolves_the_conflict_and_bad_input_is_refused_at_the_field(
        qtbot: QtBot, window: MainWindow, db: Database, hq: LiveHq, samira: NewAdvisor,
        tmp_path: Path) -> None:
    other, company = _two_laptops_in_conflict(qtbot, window, db, hq, samira, tmp_path)
    try:
        window.open_conflicts()
        view = window.conflicts
        assert view.edit.text() == "Fès"  # the value in force, ready to be corrected
        view.edit.setText("x" * 200)
        assert view.resolve("edit") is False
        assert view.edit_error.text().startswith("Valeur invalide pour ce champ")
        assert view.model.rowCount() == 1  # nothing decided
        view.edit.setText("Fès-Médina")
        view.edit_button.click()
        assert view.model.rowCount() == 0
        _sync(qtbot, window)
        assert hq.rows("company")[company].city == "Fès-Médina"
    finally:
        other.db.close()


def test_after_a_sync_only_the_sections_showing_changed_tables_reload(
        qtbot: QtBot, window: MainWindow, db: Database, hq: LiveHq, samira: NewAdvisor,
        tmp_path: Path) -> None:
    _enrol(qtbot, window.sync, hq.url, samira.code)
    company = _new_company(qtbot, db, "Poterie Safi")
    _sync(qtbot, window)
    for row in range(len(SECTIONS)):  # every section read once
        window.show_section(row)
    window.show_section(SYNC)
    assert not window._stale
    other = new_laptop(hq, tmp_path / "b.sqlite", "b", samira, hq.new_code(samira.advisor_id))
    try:
        other.sync()
        with other.db.unit_of_work() as session:
            person = Person(company_id=company, role=PersonRole.PILOT, first_name="Omar", last_name="Safi")
            person.set_scope(region=REGION, advisor=samira.advisor_id)
            session.add(person)
        other.sync()
    finally:
        other.db.close()
    reports: list[SyncReport] = []
    window.sync_controller.finished.connect(reports.append)
    _sync(qtbot, window)
    assert reports[0].changed_tables == {"person"}
    assert window.companies in window._stale and window.groups in window._stale
    assert window.sessions not in window._stale and window.action_plans not in window._stale


def test_unreachable_hq_is_said_plainly_and_the_window_stays_usable(
        qtbot: QtBot, window: MainWindow, db: Database, hq: LiveHq, samira: NewAdvisor) -> None:
    _enrol(qtbot, window.sync, hq.url, samira.code)
    hq.stop()
    _new_company(qtbot, db, "Huilerie Atlas")
    controller = window.sync_controller
    with qtbot.waitSignal(controller.idle, timeout=WAIT_MS):
        assert controller.start(automatic=True) is True
        assert controller.start() is False  # never two at once
        window.show_section(0)  # the GUI answers while the worker waits for HQ
    assert window.sync_bar.error.text() == "Siège injoignable"
    assert "vérifiez la connexion Internet" in window.sync_bar.error.toolTip()
    assert window.sync.error.text().startswith(f"Le siège est injoignable ({hq.url})")
    assert _pending(db) == 2  # nothing lost
    assert window.sync.sync_button.isEnabled()


def test_a_sync_can_be_cancelled(qtbot: QtBot, window: MainWindow, db: Database, hq: LiveHq,
                                 samira: NewAdvisor) -> None:
    _enrol(qtbot, window.sync, hq.url, samira.code)
    _new_company(qtbot, db, "Coopérative Nour")
    view = window.sync
    shown: list[bool] = []

    def press_cancel() -> None:  # as soon as the sync starts, before its first batch
        shown.append(view.cancel_button.isVisible() and view.progress.isVisible())
        view.cancel_button.click()

    window.sync_controller.started.connect(press_cancel)
    with qtbot.waitSignal(window.sync_controller.idle, timeout=WAIT_MS):
        view.sync_button.click()
    assert shown == [True]
    assert view.outcome.text() == "Synchronisation interrompue : ce qui a été échangé est gardé."
    assert not view.error.text() and not window.sync_bar.error.isVisible()
    assert not view.cancel_button.isVisible() and view.sync_button.isEnabled()
    assert _pending(db) == 2


def test_forgetting_the_laptop_warns_with_the_changes_waiting_and_keeps_them(
        qtbot: QtBot, window: MainWindow, db: Database, hq: LiveHq, samira: NewAdvisor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    view = window.sync
    _enrol(qtbot, view, hq.url, samira.code)
    _new_company(qtbot, db, "Atelier Amal")
    asked: list[int] = []
    answer = [False]

    def ask(pending: int) -> bool:
        asked.append(pending)
        return answer[0]

    monkeypatch.setattr(view, "ask_forget", ask)
    view.forget_button.click()
    assert asked == [2] and view.forget_button.isVisible()  # declined: still enrolled
    answer[0] = True
    view.forget_button.click()
    assert asked == [2, 2]
    assert "inscrit auprès d'aucun siège" in view.enrolment.text() and view.enrol_button.isVisible()
    assert credentials.load_token(device_id(db)) is None
    assert _pending(db) == 2  # kept: they leave after the next enrolment
    _enrol(qtbot, view, hq.url, hq.new_code(samira.advisor_id))
    _sync(qtbot, window)
    assert _pending(db) == 0 and any(c.name == "Atelier Amal" for c in hq.rows("company").values())


def test_automatic_sync_interval_is_kept_with_the_database(
        qtbot: QtBot, window: MainWindow, db: Database, hq: LiveHq, samira: NewAdvisor,
        tmp_path: Path) -> None:
    view = window.sync
    _enrol(qtbot, view, hq.url, samira.code)
    view.auto.setCurrentIndex(view.auto.findData("30"))
    view.auto.activated.emit(view.auto.currentIndex())
    assert window.sync_controller.timer.isActive()
    assert window.sync_controller.timer.interval() == 30 * 60_000
    again = MainWindow(db, QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    assert again.sync_controller.timer.interval() == 30 * 60_000
    with qtbot.waitSignal(window.sync_controller.idle, timeout=WAIT_MS):
        window.sync_controller.timer.timeout.emit()  # a tick of the timer
    assert window.sync_bar.last_sync.text() == "Dernière synchronisation réussie : à l'instant"


def test_a_revoked_laptop_is_told_in_plain_french_and_keeps_its_changes(
        qtbot: QtBot, window: MainWindow, db: Database, hq: LiveHq, samira: NewAdvisor,
        tmp_path: Path) -> None:
    from advisor_app.hq import admin

    _enrol(qtbot, window.sync, hq.url, samira.code)
    _sync(qtbot, window)
    with hq.db.write() as session:
        [device] = admin.list_devices(session)
        admin.revoke_device(session, device.id)
    _new_company(qtbot, db, "Après révocation")
    _sync(qtbot, window)
    assert window.sync_bar.error.text() == "Ordinateur révoqué par le siège"
    assert window.sync.error.text().startswith("Cet ordinateur a été révoqué par le siège")
    assert _pending(db) == 2
    # the failure is remembered with the database
    again = MainWindow(db, QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    assert again.sync_bar.error.text() == "Ordinateur révoqué par le siège"


def test_check_against_hq_offers_a_full_resync_that_sends_back_what_hq_lost(
        qtbot: QtBot, window: MainWindow, db: Database, hq: LiveHq, samira: NewAdvisor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    view = window.sync
    _enrol(qtbot, view, hq.url, samira.code)
    company = _new_company(qtbot, db, "Tissage Fès")
    with qtbot.waitSignal(window.sync_controller.idle, timeout=WAIT_MS):
        view.check_button.click()
    assert "Vérification : identique au siège." in view.outcome.text()

    with hq.db.write() as session:  # HQ loses the row behind the sync's back
        session.execute(delete(Person).where(Person.company_id == company))
        session.execute(delete(Company).where(Company.id == company))
    asked: list[list[str]] = []

    def answer(tables: list[str]) -> bool:  # as a person does: after the checking sync is over
        qtbot.waitUntil(lambda: not window.sync_controller.running, timeout=WAIT_MS)
        asked.append(tables)
        return True

    monkeypatch.setattr(view, "ask_start_over", answer)
    idle: list[bool] = []
    window.sync_controller.idle.connect(lambda: idle.append(True))
    view.check_button.click()
    qtbot.waitUntil(lambda: len(idle) == 2, timeout=WAIT_MS)  # the check, then the full resync
    assert asked == [["company", "person"]]
    assert hq.rows("company")[company].name == "Tissage Fès"
    assert "Vérification : identique au siège." in view.outcome.text()
    assert view.sync_button.isEnabled() and view.check_button.isEnabled()
