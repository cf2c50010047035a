"""Editable table of a company's people: owner and internal pilots, names in both scripts.

Arabic columns are edited and shown right-to-left."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.labels import GENDER_LABELS, ROLE_LABELS
from advisor_app.i18n import tr
from advisor_app.services.companies import PersonForm
from advisor_app.ui.widgets.forms import selected

# Labels and headers hold French source texts, passed through tr() when shown. The Arabic
# headers name the Arabic-script columns in every language.
ROLES = tuple((str(role), text) for role, text in ROLE_LABELS.items())
GENDERS = (("", "—"), *GENDER_LABELS.items())
COLUMNS = ("role", "first_name", "last_name", "first_name_ar", "last_name_ar", "gender",
           "job_title", "phone", "email")
HEADERS = ("Rôle", "Prénom", "Nom", "الاسم الشخصي", "الاسم العائلي", "Genre", "Fonction",
           "Téléphone", "E-mail")
ARABIC_COLUMNS = (3, 4)
_CHOICES = {0: ROLES, 5: GENDERS}


def _choice_label(column: int, value: str) -> str:
    """The label of a choice column's value in the current language (unknown: as is)."""
    text = dict(_CHOICES[column]).get(value)
    return value if text is None else tr(text)


def blank_person(role: str) -> PersonForm:
    return PersonForm(id=None, role=role, first_name="", last_name="", first_name_ar="",
                      last_name_ar="", gender=None, job_title="", phone="", email="")


class _RightToLeftDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        editor.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        return editor


class _ChoiceDelegate(QStyledItemDelegate):
    def __init__(self, choices: tuple[tuple[str, str], ...], parent: QWidget) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        for value, label in self._choices:
            combo.addItem(tr(label), value)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.UserRole)), 0))

    def setModelData(self, editor: QWidget, model: object,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        table_model = index.model()
        table_model.setData(index, selected(editor) or "", Qt.ItemDataRole.UserRole)
        table_model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)


class PeopleEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(header) for header in HEADERS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((120, 110, 110, 110, 110, 70, 120, 120)):
            self.table.setColumnWidth(column, width)
        for column in ARABIC_COLUMNS:
            self.table.setItemDelegateForColumn(column, _RightToLeftDelegate(self.table))
        for column, choices in _CHOICES.items():
            self.table.setItemDelegateForColumn(column, _ChoiceDelegate(choices, self.table))
        self.add_button = QPushButton(tr("Ajouter une personne"))
        self.remove_button = QPushButton(tr("Retirer"))
        self.errors = QLabel()
        self.errors.setObjectName("fieldError")
        self.errors.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.errors)
        self._ids: list[str | None] = []
        self._removed: list[PersonForm] = []
        self.add_button.clicked.connect(lambda: self.add_person(blank_person("pilot")))
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())

    def set_people(self, people: list[PersonForm]) -> None:
        self.table.setRowCount(0)
        self._ids.clear()
        self._removed.clear()
        for person in people:
            self.add_person(person, notify=False)

    def add_person(self, person: PersonForm, *, notify: bool = True) -> int:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        for column, name in enumerate(COLUMNS):
            value = getattr(person, name) or ""
            item = QTableWidgetItem()
            if column in _CHOICES:
                item.setData(Qt.ItemDataRole.UserRole, value)
                item.setText(_choice_label(column, value))
            else:
                item.setText(value)
            if column in ARABIC_COLUMNS:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self._ids.append(person.id)
        if notify:
            self.changed.emit()
        return row

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            person = self._person_at(row)
            if person.id is not None:
                person.remove = True
                self._removed.append(person)
            self.table.removeRow(row)
            del self._ids[row]
        if rows:
            self.changed.emit()

    def set_cell(self, row: int, name: str, value: str) -> None:
        """Sets a cell as if typed (tests and programmatic fills)."""
        column = COLUMNS.index(name)
        item = self._item(row, column)
        if column in _CHOICES:
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setText(_choice_label(column, value))
        else:
            item.setText(value)

    def people(self) -> list[PersonForm]:
        return [self._person_at(row) for row in range(self.table.rowCount())] + list(self._removed)

    def show_issues(self, messages: dict[int, list[str]]) -> None:
        lines = [tr("Personne {number} : {message}").format(number=row + 1, message=message)
                 for row, row_messages in sorted(messages.items()) for message in row_messages]
        self.errors.setText("\n".join(lines))
        self.errors.setVisible(bool(lines))

    def _item(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None  # every cell gets an item in add_person
        return item

    def _person_at(self, row: int) -> PersonForm:
        values: dict[str, str | None] = {}
        for column, name in enumerate(COLUMNS):
            item = self._item(row, column)
            if column in _CHOICES:
                values[name] = item.data(Qt.ItemDataRole.UserRole) or None
            else:
                values[name] = item.text()
        return PersonForm(id=self._ids[row], **values)  # type: ignore[arg-type]
