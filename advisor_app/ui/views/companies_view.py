"""The portfolio: search as you type, filters, SQL-side sort; opens a company's page."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import companies
from advisor_app.services.companies import CompanyFilter
from advisor_app.services.database import Database
from advisor_app.ui.models.company_table import CompanyTableModel
from advisor_app.ui.widgets.forms import selected

COLUMN_WIDTHS = (300, 120, 150, 230, 150)  # the last column (group) takes the rest
SEARCH_DELAY_MS = 120  # coalesces fast typing into one query


class CompaniesView(QWidget):
    open_company = Signal(str)
    new_company = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.search = QLineEdit(
            placeholderText=tr("Rechercher : nom, ville, ICE, téléphone, personne…"))
        self.search.setClearButtonEnabled(True)
        self.region = QComboBox()
        self.segment = QComboBox()
        self.sector = QComboBox()
        self.stage = QComboBox()
        self.group = QComboBox()
        self.new_button = QPushButton(tr("Nouvelle entreprise"))
        self.title = QLabel()
        self.title.setObjectName("viewTitle")
        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)

        filters = QHBoxLayout()
        for label, combo in ((tr("Région"), self.region), (tr("Segment"), self.segment),
                             (tr("Secteur"), self.sector), (tr("Étape"), self.stage),
                             (tr("Groupe"), self.group)):
            combo.setAccessibleName(label)
            combo.setMinimumContentsLength(12)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            filters.addWidget(combo, 1)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.title)
        layout.addWidget(self.table)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._timer.start)
        for combo in (self.region, self.segment, self.sector, self.stage, self.group):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.activated.connect(lambda index: self._open_row(index.row()))
        self.new_button.clicked.connect(self.new_company)

        self.model = CompanyTableModel(
            lambda f, sort, desc, offset, limit, total: companies.search_companies(
                db, filter=f, sort=sort, descending=desc, offset=offset, limit=limit, total=total),
            lambda f: companies.count_companies(db, filter=f),
            self,
        )
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicator(0, header.sortIndicatorOrder())
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.reload_choices()
        self._update_title()

    def reload_choices(self) -> None:
        choices = companies.filter_choices(self._db)
        for combo, everything, values in (
            (self.region, tr("Toutes les régions"), choices.regions),
            (self.segment, tr("Tous les segments"), choices.segments),
            (self.sector, tr("Tous les secteurs"), choices.sectors),
            (self.stage, tr("Toutes les étapes"), choices.stages),
            (self.group, tr("Tous les groupes"), choices.groups),
        ):
            current = selected(combo) or ""
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, "")
            for value, label in values:
                combo.addItem(label, value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def current_filter(self) -> CompanyFilter:
        return CompanyFilter(
            text=self.search.text().strip(),
            region_code=selected(self.region),
            segment=selected(self.segment),
            sector_code=selected(self.sector),
            stage=selected(self.stage),
            group_id=selected(self.group),
        )

    def apply_filter(self) -> None:
        self._timer.stop()
        self.model.set_filter(self.current_filter())
        self._update_title()

    def reload(self) -> None:
        self.reload_choices()
        self.model.reload()
        self._update_title()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _update_title(self) -> None:
        total = self.model.total
        if total == 0 and self.current_filter() == CompanyFilter():
            self.title.setText(tr("Aucune entreprise pour l'instant : « Nouvelle entreprise » "
                                  "pour commencer."))
        elif total == 0:
            self.title.setText(tr("Aucune entreprise ne correspond à la recherche."))
        elif total == 1:
            self.title.setText(tr("1 entreprise"))
        else:
            self.title.setText(tr("{count} entreprises").format(count=total))

    def _open_row(self, row: int) -> None:
        company_id = self.model.company_id(row)
        if company_id is not None:
            self.open_company.emit(company_id)
