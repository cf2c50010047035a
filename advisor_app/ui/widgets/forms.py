"""Small helpers shared by the forms: dates that may be empty, combo boxes of codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from advisor_app import i18n
from advisor_app.domain.budget import format_half_days
from advisor_app.i18n import tr
from advisor_app.services.errors import UserError

ERROR_STYLE = "color: #b3261e;"
NO_DATE = QDate(1900, 1, 1)


def number_text(value: float) -> str:
    """A count of half-days or hours as the current language writes it: 1,5 / 1.5."""
    return format_half_days(value)


def percent_text(value: float | None) -> str:
    """0.456 -> "46 %" in French, "46%" in English; "" for None."""
    if value is None:
        return ""
    text = f"{value:.0%}"
    # French: a narrow no-break space before "%" (never wraps away from the number)
    return text if i18n.language() == "en" else text.replace("%", "\u202f%")


def to_qdate(value: dt.date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else NO_DATE


def from_qdate(value: QDate) -> dt.date | None:
    return None if value == NO_DATE else dt.date(value.year(), value.month(), value.day())


def date_edit(value: dt.date | None = None, *, optional: bool = False) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    if optional:
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText("—")
    edit.setDate(to_qdate(value) if value or optional else QDate.currentDate())
    return edit


def selected(box: QComboBox) -> str | None:
    """The current item's code, or None for "all"/"none" (stored as "").

    Never give a combo item None as data and never read currentData() of an empty combo:
    PySide6 6.12 drops a reference to None each time it returns an empty QVariant, and the
    interpreter aborts once None's count reaches zero (tests/qt/test_none_refcount.py)."""
    if box.currentIndex() < 0:
        return None
    value = box.currentData()
    return str(value) if value else None


def combo(items: list[tuple[str, str]], current: str | None = None) -> QComboBox:
    box = QComboBox()
    for value, label in items:
        box.addItem(label, value)
    box.setCurrentIndex(max(box.findData(current or ""), 0))
    return box


def save_cancel_buttons(save_text: str | None = None) -> QDialogButtonBox:
    """Save / Cancel; ``save_text`` (already translated) renames Save."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(save_text or tr("Enregistrer"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Annuler"))
    return buttons


class FormDialog(QDialog):
    """A short dialog: labelled rows, an error line, save/cancel. Subclasses give the title,
    ``rows`` and ``save_text`` already translated, and implement ``save`` (True when done;
    else it sets ``self.error``)."""

    def __init__(self, title: str, rows: list[tuple[str, QWidget]], *, save_text: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)  # room for the placeholders and long error lines
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        form = QFormLayout()
        for label, widget in rows:
            form.addRow(label, widget)
        buttons = save_cancel_buttons(save_text)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> bool:
        raise NotImplementedError

    def run_service(self, call: Callable[[], object]) -> bool:
        """Runs one service call; a UserError is shown on the error line, not raised."""
        try:
            call()
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        self.accept()
        return True
