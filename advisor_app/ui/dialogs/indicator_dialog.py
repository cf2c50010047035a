"""An indicator of a key problem: name, unit, means or result, baseline and target (value
and date), and its dated readings (one per date), added or removed in a small table."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.enums import IndicatorKind
from advisor_app.domain.labels import label
from advisor_app.i18n import tr
from advisor_app.services import action_plans
from advisor_app.services.action_plans import INDICATOR_KIND_LABELS, IndicatorForm, IndicatorView, Reading
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.ui.widgets.forms import FormDialog, combo, date_edit, from_qdate, selected


def number_of(text: str, field: str) -> float | None:
    """ "12,5" or "12.5" -> 12.5; "" -> None; anything else a UserError naming ``field``."""
    value = text.strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise UserError(
            tr("{field} : « {text} » n'est pas un nombre.").format(field=field, text=text)
        ) from None


def number_text(value: float | None) -> str:
    if value is None:
        return ""
    return (f"{value:.0f}" if float(value).is_integer() else f"{value:g}").replace(".", ",")


class ReadingsEditor(QWidget):
    HEADERS = ("Date", "Valeur", "Note")

    def __init__(self, readings: tuple[Reading, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([tr(h) for h in self.HEADERS])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(140)
        self.add_button = QPushButton(tr("Ajouter une mesure"))
        self.remove_button = QPushButton(tr("Retirer la mesure"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        for reading in readings:
            self.add_row(reading)
        self.add_button.clicked.connect(lambda: self.add_row(None))
        self.remove_button.clicked.connect(self.remove_row)

    def add_row(self, reading: Reading | None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setCellWidget(row, 0, date_edit(reading.read_on if reading else dt.date.today()))
        self.table.setCellWidget(row, 1, QLineEdit(number_text(reading.value) if reading else ""))
        self.table.setCellWidget(row, 2, QLineEdit(reading.note if reading else ""))
        self.table.setColumnWidth(0, 120)
        return row

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def line(self, row: int, column: int) -> QLineEdit:
        widget = self.table.cellWidget(row, column)
        assert isinstance(widget, QLineEdit)
        return widget

    def date_at(self, row: int) -> QDateEdit:
        widget = self.table.cellWidget(row, 0)
        assert isinstance(widget, QDateEdit)
        return widget

    def readings(self) -> tuple[Reading, ...]:
        result = []
        for row in range(self.table.rowCount()):
            day = from_qdate(self.date_at(row).date())
            value = number_of(self.line(row, 1).text(), tr("Mesure {n}").format(n=row + 1))
            if day is None or value is None:
                raise UserError(tr("Mesure {n} : indiquez la date et la valeur.").format(n=row + 1))
            result.append(Reading(day, value, self.line(row, 2).text()))
        return tuple(result)


class IndicatorDialog(FormDialog):
    def __init__(
        self,
        db: Database,
        problem_id: str,
        *,
        indicator: IndicatorView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self._db = db
        self._problem_id = problem_id
        self._indicator = indicator
        i = indicator
        self.name = QLineEdit(i.name if i else "")
        self.name.setPlaceholderText(tr("ex. Marge brute"))
        self.unit = QLineEdit(i.unit if i else "")
        self.unit.setPlaceholderText(tr("%, MAD, jours, nombre…"))
        self.kind = combo(
            [(k.value, label(INDICATOR_KIND_LABELS, k)) for k in IndicatorKind],
            i.kind if i else IndicatorKind.RESULT.value,
        )
        self.baseline = QLineEdit(number_text(i.baseline_value) if i else "")
        self.baseline_on = date_edit(i.baseline_on if i else None, optional=True)
        self.target = QLineEdit(number_text(i.target_value) if i else "")
        self.target_on = date_edit(i.target_on if i else None, optional=True)
        self.readings = ReadingsEditor(i.readings if i else ())
        super().__init__(
            tr("Modifier l'indicateur") if i else tr("Nouvel indicateur"),
            [
                (tr("Indicateur"), self.name),
                (tr("Unité"), self.unit),
                (tr("Type"), self.kind),
                (tr("Valeur de référence"), self.baseline),
                (tr("Date de référence"), self.baseline_on),
                (tr("Valeur cible"), self.target),
                (tr("Date cible"), self.target_on),
                (tr("Mesures"), self.readings),
            ],
            parent=parent,
        )
        self.setMinimumWidth(560)

    def save(self) -> bool:
        try:
            form = IndicatorForm(
                key_problem_id=self._problem_id,
                name=self.name.text(),
                unit=self.unit.text(),
                kind=selected(self.kind) or IndicatorKind.RESULT.value,
                baseline_value=number_of(self.baseline.text(), tr("Valeur de référence")),
                baseline_on=from_qdate(self.baseline_on.date()),
                target_value=number_of(self.target.text(), tr("Valeur cible")),
                target_on=from_qdate(self.target_on.date()),
                readings=self.readings.readings(),
                id=self._indicator.id if self._indicator else None,
            )
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        return self.run_service(lambda: action_plans.save_indicator(self._db, form))
