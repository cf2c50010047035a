"""Create or edit a company and its people, with messages at each field.

Saving is one transaction (``companies.save_company``); closing with unsaved changes asks."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from PySide6.QtCore import QDate
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.labels import LEGAL_FORM_LABELS, SEGMENT_LABELS, TURNOVER_LABELS, choices
from advisor_app.domain.validation import Report, Severity
from advisor_app.i18n import tr
from advisor_app.services import companies
from advisor_app.services.companies import CompanyForm, CompanyValidationError
from advisor_app.services.database import Database
from advisor_app.ui.widgets.forms import NO_DATE, date_edit, selected
from advisor_app.ui.widgets.people_editor import PeopleEditor

_PERSON_FIELD = re.compile(r"people\[(\d+)\]\.(\w+)")
ERROR_STYLE = "color: #b3261e;"
WARNING_STYLE = "color: #8a5a00;"


class CompanyDialog(QDialog):
    def __init__(self, db: Database, company_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.saved_id: str | None = None
        self._form = (companies.load_company_form(db, company_id) if company_id
                      else companies.empty_company_form(db))
        self.setWindowTitle(tr("Modifier l'entreprise") if company_id else tr("Nouvelle entreprise"))
        self.resize(980, 720)
        reference = companies.filter_choices(db)

        self.name = QLineEdit()
        self.legal_form = self._combo(choices(LEGAL_FORM_LABELS))
        self.segment = self._combo(choices(SEGMENT_LABELS))
        self.sector = self._combo([("", "—"), *reference.sectors])
        self.region = self._combo(reference.regions)
        self.city = QLineEdit()
        self.address = QLineEdit()
        self.ice = QLineEdit(placeholderText=tr("15 chiffres"))
        self.phone = QLineEdit(placeholderText="06 12 34 56 78")
        self.email = QLineEdit(placeholderText=tr("contact@entreprise.ma"))
        self.employees = QLineEdit()
        self.turnover = self._combo([("", "—"), *choices(TURNOVER_LABELS)])
        self.created_on = date_edit(optional=True)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.people = PeopleEditor()

        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, name, widget in (
            (tr("Raison sociale *"), "name", self.name),
            (tr("Forme juridique *"), "legal_form", self.legal_form),
            (tr("Segment *"), "segment", self.segment), (tr("Secteur"), "sector_code", self.sector),
            (tr("Région *"), "region_code", self.region), (tr("Ville"), "city", self.city),
            (tr("Adresse"), "address", self.address), (tr("ICE"), "ice", self.ice),
            (tr("Téléphone"), "phone", self.phone), (tr("E-mail"), "email", self.email),
            (tr("Effectif"), "employees", self.employees),
            (tr("Chiffre d'affaires"), "turnover_band", self.turnover),
            (tr("Date de création"), "created_on", self.created_on),
            (tr("Notes"), "notes", self.notes),
        ):
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget)
            error = QLabel()
            error.setWordWrap(True)
            error.setVisible(False)
            box.addWidget(error)
            self.errors[name] = error
            form.addRow(label, box)
        people_box = QGroupBox(tr("Personnes : dirigeant(e) et pilotes internes"))
        QVBoxLayout(people_box).addWidget(self.people)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Enregistrer"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Annuler"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(people_box, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        self._fill(self._form)
        self._dirty = False
        for line in (self.name, self.city, self.address, self.ice, self.phone, self.email,
                     self.employees):
            line.textEdited.connect(self._mark_dirty)
            line.editingFinished.connect(self.validate)
        for combo in (self.legal_form, self.segment, self.sector, self.region, self.turnover):
            combo.currentIndexChanged.connect(self._mark_dirty)
        self.created_on.dateChanged.connect(self._mark_dirty)
        self.notes.textChanged.connect(self._mark_dirty)
        self.people.changed.connect(self._mark_dirty)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

    # -- filling and reading ------------------------------------------------------------------
    @staticmethod
    def _combo(items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        for value, label in items:
            combo.addItem(label, value)
        return combo

    @staticmethod
    def _select(combo: QComboBox, value: str | None) -> None:
        combo.setCurrentIndex(max(combo.findData(value or ""), 0))

    def _fill(self, form: CompanyForm) -> None:
        self.name.setText(form.name or "")
        self._select(self.legal_form, form.legal_form)
        self._select(self.segment, form.segment)
        self._select(self.sector, form.sector_code)
        self._select(self.region, form.region_code)
        for widget, value in ((self.city, form.city), (self.address, form.address),
                              (self.ice, form.ice), (self.phone, form.phone),
                              (self.email, form.email), (self.employees, form.employees)):
            widget.setText("" if value is None else str(value))
        self._select(self.turnover, form.turnover_band)
        created = form.created_on
        self.created_on.setDate(QDate(created.year, created.month, created.day) if created else NO_DATE)
        self.notes.setPlainText(form.notes or "")
        self.people.set_people(form.people)

    def current_form(self) -> CompanyForm:
        date = self.created_on.date()
        created = None if date == NO_DATE else dt.date(date.year(), date.month(), date.day())
        return CompanyForm(
            id=self._form.id, name=self.name.text(), legal_form=selected(self.legal_form),
            segment=selected(self.segment), sector_code=selected(self.sector),
            region_code=selected(self.region), city=self.city.text(),
            address=self.address.text(), ice=self.ice.text(), phone=self.phone.text(),
            email=self.email.text(), employees=self.employees.text(),
            turnover_band=selected(self.turnover), created_on=created,
            notes=self.notes.toPlainText(), people=self.people.people(),
        )

    # -- validation and saving ----------------------------------------------------------------
    def _mark_dirty(self) -> None:
        self._dirty = True

    @property
    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def validate(self) -> Report:
        report = companies.validate_company_form(self._db, self.current_form())
        self.show_report(report)
        return report

    def show_report(self, report: Report) -> None:
        for name, label in self.errors.items():
            issues = report.for_field(name)
            label.setVisible(bool(issues))
            label.setText("\n".join(issue.message for issue in issues))
            worst = any(issue.severity is Severity.ERROR for issue in issues)
            label.setStyleSheet(ERROR_STYLE if worst else WARNING_STYLE)
        per_person: dict[int, list[str]] = defaultdict(list)
        general: list[str] = []
        for issue in report.issues:
            match = _PERSON_FIELD.fullmatch(issue.field)
            if match:
                per_person[int(match.group(1))].append(issue.message)
            elif issue.field not in self.errors:
                general.append(issue.message)
        self.people.show_issues(per_person)
        self.general_error.setText("\n".join(general))

    def error_text(self, field: str) -> str:
        return self.errors[field].text()

    def save(self) -> bool:
        try:
            self.saved_id = companies.save_company(self._db, self.current_form())
        except CompanyValidationError as exc:
            self.show_report(exc.report)
            if not exc.report.issues:
                self.general_error.setText(str(exc))
            return False
        self._dirty = False
        self.accept()
        return True

    # -- never lose an edit -------------------------------------------------------------------
    def reject(self) -> None:
        if self._dirty and not self._confirm_discard():
            return
        self._dirty = False
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._dirty and not self._confirm_discard():
            event.ignore()
            return
        super().closeEvent(event)

    def _confirm_discard(self) -> bool:
        """True if the dialog may close (saved, or changes knowingly dropped)."""
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        box = QMessageBox(QMessageBox.Icon.Question, tr("Modifications non enregistrées"),
                          tr("Cette fiche a des modifications non enregistrées."), parent=self)
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Save).setText(tr("Enregistrer"))
        box.button(QMessageBox.StandardButton.Discard).setText(tr("Ne pas enregistrer"))
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("Continuer la saisie"))
        return QMessageBox.StandardButton(box.exec())


