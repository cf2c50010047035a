"""The companies behind a dashboard figure: a list (name, city, region, stage, group);
a double click (or Enter) opens the company's page and closes the list."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from advisor_app.i18n import tr
from advisor_app.services.dashboard import CompanyLine
from advisor_app.ui.models.rows_table import Row, RowsTableModel
from advisor_app.ui.widgets.display import rows_view

HEADERS = ("Entreprise", "Ville", "Région", "Étape", "Groupe")


class DashboardCompaniesDialog(QDialog):
    open_company = Signal(str)

    def __init__(self, title: str, companies: Sequence[CompanyLine], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 420)
        self.model = RowsTableModel(HEADERS)
        self.model.set_rows([Row(c.id, (c.name, c.city, c.region, c.stage, c.group)) for c in companies])
        self.table = rows_view(self.model, stretch=0)
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        count = QLabel(tr("{count} entreprise(s) — double-cliquez pour ouvrir sa fiche.")
                       .format(count=len(companies)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{html.escape(title)}</b>"))
        layout.addWidget(count)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def open_row(self, row: int) -> None:
        chosen = self.model.row_at(row)
        if chosen is not None:
            self.accept()
            self.open_company.emit(chosen.key)
