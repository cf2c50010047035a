"""PySide6 6.12 drops a reference to None whenever it hands back an empty QVariant (a combo
item without data, QSettings.value of a missing key...). The interpreter aborts once None's
count reaches zero, so a long working day of filtering would end in a crash. The screens
must never ask Qt for such a value: this drives them hard and watches None's count."""

from __future__ import annotations

import datetime as dt
import gc
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from advisor_app.services.database import Database
from advisor_app.ui.dialogs.add_member_dialog import AddMemberDialog
from advisor_app.ui.dialogs.company_dialog import CompanyDialog
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.views.companies_view import CompaniesView

ROUNDS = 1000
SLACK = 200  # ordinary noise; the bug costs at least one reference per call, ROUNDS and more


def _none_refs() -> int:
    # Garbage left by earlier tests holds references to None; collect it first so that
    # only what this test does moves the count.
    gc.collect()
    return sys.getrefcount(None)


def test_filtering_and_forms_do_not_drain_none(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    view = CompaniesView(db)
    qtbot.addWidget(view)
    dialog = CompanyDialog(db)
    qtbot.addWidget(dialog)
    before = _none_refs()
    for n in range(ROUNDS):
        view.region.setCurrentIndex(n % 2)  # "Toutes les régions", then a region
        view.apply_filter()
        dialog.current_form()
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    for _ in range(20):
        MainWindow(db, settings).deleteLater()
    assert _none_refs() > before - SLACK


def test_empty_candidate_list_is_read_safely(qtbot: QtBot, db: Database) -> None:
    from advisor_app.services import groups

    form = groups.empty_group_form(db)
    form.name, form.region_code = "Settat · G1", "MA-06"
    form.track_code, form.starts_on = "PERF-CIBLEE", dt.date(2026, 10, 1)
    group_id = groups.save_group(db, form)
    dialog = AddMemberDialog(db, group_id)
    qtbot.addWidget(dialog)
    before = _none_refs()
    for _ in range(ROUNDS):
        assert dialog.save() is False
    assert _none_refs() > before - SLACK
    assert dialog.error.text() == "Choisissez une entreprise et une date d'entrée."
