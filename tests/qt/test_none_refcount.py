"""PySide6 6.12 drops a reference to None whenever it hands back an empty QVariant (a combo
item without data, QSettings.value of a missing key...). The interpreter aborts once None's
count reaches zero, so a long working day of filtering would end in a crash. The screens
must never ask Qt for such a value: this drives them hard and watches None's count."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from advisor_app.services.database import Database
from advisor_app.ui.dialogs.add_member_dialog import AddMemberDialog
from advisor_app.ui.dialogs.company_dialog import CompanyDialog
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.views.companies_view import CompaniesView

ROUNDS = 300
SLACK = 100  # ordinary allocation noise; the bug costs one reference per read, ROUNDS and more


def test_filtering_and_forms_do_not_drain_none(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    view = CompaniesView(db)
    qtbot.addWidget(view)
    dialog = CompanyDialog(db)
    qtbot.addWidget(dialog)
    before = sys.getrefcount(None)
    for n in range(ROUNDS):
        view.region.setCurrentIndex(n % 2)  # "Toutes les régions", then a region
        view.apply_filter()
        dialog.current_form()
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    for _ in range(20):
        MainWindow(db, settings).deleteLater()
    assert sys.getrefcount(None) > before - SLACK


def test_empty_candidate_list_is_read_safely(qtbot: QtBot, db: Database) -> None:
    from advisor_app.services import groups

    form = groups.empty_group_form(db)
    form.name, form.region_code = "Settat · G1", "MA-06"
    form.track_code, form.starts_on = "PERF-CIBLEE", dt.date(2026, 10, 1)
    group_id = groups.save_group(db, form)
    dialog = AddMemberDialog(db, group_id)
    qtbot.addWidget(dialog)
    before = sys.getrefcount(None)
    for _ in range(ROUNDS):
        assert dialog.save() is False
    assert sys.getrefcount(None) > before - SLACK
    assert dialog.error.text() == "Choisissez une entreprise et une date d'entrée."
