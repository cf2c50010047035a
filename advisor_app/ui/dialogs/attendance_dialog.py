"""The attendance sheet of a session: each person of each expected company present, absent,
excused or late (arrival time), "all present" in one click for the whole group, and each
company's half-days after the session, with a warning when it goes over budget. Saving a
changed entry records a correction (a new row), never an edit."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.budget import ATTENDED, format_half_days
from advisor_app.domain.enums import AttendanceStatus
from advisor_app.domain.labels import ATTENDANCE_LABELS, choices
from advisor_app.i18n import tr
from advisor_app.services import attendance
from advisor_app.services.attendance import MarkInput
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.ui.widgets.display import widget_table
from advisor_app.ui.widgets.forms import (
    ERROR_STYLE,
    combo,
    number_text,
    percent_text,
    save_cancel_buttons,
    selected,
)

SHEET_HEADERS = ("Entreprise", "Nom", "الاسم", "Rôle", "Émargement", "Arrivée", "Remarque", "Corrections")
BUDGET_HEADERS = ("Entreprise", "Prévu", "Utilisé avant", "Après la séance", "Restant", "Assiduité")
STATUS, ARRIVAL, NOTE = 4, 5, 6
WARNING_STYLE = "color: #8a5a00; font-weight: bold;"
OVERRUN = QColor("#b3261e")
MUTED = QColor("#777777")
LATE_BY = dt.timedelta(minutes=15)  # arrival proposed when someone is marked late


class AttendanceDialog(QDialog):
    def __init__(self, db: Database, session_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._session_id = session_id
        self.sheet = attendance.attendance_sheet(db, session_id)
        self.outcome: attendance.AttendanceResult | None = None
        s = self.sheet.session
        self.setWindowTitle(tr("Émargement — {title}").format(title=s.title))
        self.setMinimumSize(980, 620)
        self._start = dt.datetime.combine(s.held_on, s.starts_at)
        half_days = (tr("{count} demi-journées") if s.half_days >= 2 else tr("{count} demi-journée")
                     ).format(count=format_half_days(s.half_days))
        self.heading = QLabel(tr("{kind} — {for_whom}, le {date} de {start} à {end} ({half_days})").format(
            kind=s.kind_label, for_whom=s.for_whom, date=f"{s.held_on:%d/%m/%Y}",
            start=f"{s.starts_at:%H:%M}", end=f"{s.ends_at:%H:%M}", half_days=half_days))
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.notice = QLabel(self.sheet.reason)
        self.notice.setStyleSheet(WARNING_STYLE)
        self.notice.setVisible(bool(self.sheet.reason))
        self.all_present = QPushButton(tr("Tous présents"))
        self.counts = QLabel()
        self.table = widget_table(SHEET_HEADERS, stretch=1, select_rows=False)
        self.status_boxes: list[QComboBox] = []
        self.arrivals: list[QTimeEdit] = []
        self.notes: list[QLineEdit] = []
        self.budgets = widget_table(BUDGET_HEADERS, select_rows=False)
        self.budget_warning = QLabel()
        self.budget_warning.setStyleSheet(WARNING_STYLE)
        self.budget_warning.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        buttons = save_cancel_buttons(tr("Enregistrer l'émargement"))
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        bar = QHBoxLayout()
        bar.addWidget(self.all_present)
        bar.addStretch(1)
        bar.addWidget(self.counts)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.notice)
        layout.addLayout(bar)
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel(tr("Demi-journées des entreprises")))
        layout.addWidget(self.budgets, 1)
        layout.addWidget(self.budget_warning)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.editable = False
        self._fill()
        self.all_present.clicked.connect(self.mark_all_present)
        self.editable = self.sheet.editable and bool(self.sheet.participants)
        for widget in (self.all_present, self.save_button, *self.status_boxes, *self.notes):
            widget.setEnabled(self.editable)
        if not self.sheet.participants:
            self.notice.setText(tr("Personne n'est attendu à cette séance : ajoutez des entreprises au "
                                   "groupe, ou des personnes à l'entreprise."))
            self.notice.setVisible(True)
        self.refresh()

    def _fill(self) -> None:
        rows = self.sheet.participants
        self.table.setRowCount(len(rows))
        previous = None
        for r, p in enumerate(rows):
            company = p.company_name if p.company_name != previous else ""
            previous = p.company_name
            corrections = str(p.corrections) if p.corrections else ""
            for c, text in ((0, company), (1, p.full_name), (2, p.full_name_ar), (3, p.role_label),
                            (7, corrections)):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if not p.expected:
                    item.setForeground(MUTED)
                    item.setToolTip(tr("N'est plus attendu(e) à cette séance : l'émargement enregistré "
                                       "est conservé."))
                self.table.setItem(r, c, item)
            items = choices(ATTENDANCE_LABELS)
            box = combo(items if p.status else [("", "—"), *items], p.status)
            arrival = QTimeEdit()
            arrival.setDisplayFormat("HH:mm")
            arrival.setTime(QTime(p.arrived_at.hour, p.arrived_at.minute) if p.arrived_at else QTime(
                self._start.hour, self._start.minute))
            note = QLineEdit(p.note)
            note.setToolTip(tr("Remarque, par exemple le motif d'une absence"))
            self.table.setCellWidget(r, STATUS, box)
            holder = QWidget()  # the view shows its cell widgets again on scroll: hide inside one
            inner = QHBoxLayout(holder)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.addWidget(arrival)
            self.table.setCellWidget(r, ARRIVAL, holder)
            self.table.setCellWidget(r, NOTE, note)
            self.status_boxes.append(box)
            self.arrivals.append(arrival)
            self.notes.append(note)
            box.currentIndexChanged.connect(lambda _=0, row=r: self._status_changed(row))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)

    # -- entry -------------------------------------------------------------------------------
    def set_status(self, row: int, status: str, arrived_at: dt.time | None = None) -> None:
        box = self.status_boxes[row]
        box.setCurrentIndex(box.findData(status))
        if arrived_at is not None:
            self.arrivals[row].setTime(QTime(arrived_at.hour, arrived_at.minute))

    def mark_all_present(self) -> None:
        for row in range(len(self.status_boxes)):
            self.set_status(row, AttendanceStatus.PRESENT.value)

    def _status_changed(self, row: int) -> None:
        late = selected(self.status_boxes[row]) == AttendanceStatus.LATE
        arrival = self.arrivals[row]
        if late and not self.sheet.participants[row].arrived_at:
            proposed = self._start + LATE_BY
            arrival.setTime(QTime(proposed.hour, proposed.minute))
        self.refresh()

    def refresh(self) -> None:
        """Arrival times editable for late people only; counts; budgets after the session."""
        for box, arrival in zip(self.status_boxes, self.arrivals, strict=True):
            late = selected(box) == AttendanceStatus.LATE
            arrival.setVisible(late)  # an arrival time means something for late people only
            arrival.setEnabled(self.editable and late)
        chosen = [selected(box) for box in self.status_boxes]
        there = sum(1 for status in chosen if status in ATTENDED)
        self.counts.setText(tr("{there} présent(s) sur {total}, {missing} non renseigné(s)").format(
            there=there, total=len(chosen), missing=sum(1 for status in chosen if not status)))
        attended = {p.enrolment_id for p, status in zip(self.sheet.participants, chosen, strict=True)
                    if status in ATTENDED}
        self._show_budgets(attended)

    def _show_budgets(self, attended: set[str]) -> None:
        half_days = self.sheet.session.half_days
        lines = self.sheet.budgets
        self.budgets.setRowCount(len(lines))
        warnings = []
        for r, line in enumerate(lines):
            charged = half_days if line.enrolment_id in attended else 0.0
            warning = line.warning(charged) if charged else None
            if warning:
                warnings.append(tr("{company} : {message}").format(company=line.company_name,
                                                                  message=warning))
            values = (line.company_name, number_text(line.budget), number_text(line.used),
                      number_text(line.used + charged), number_text(line.remaining - charged),
                      percent_text(line.attendance_rate))
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if warning and c in (3, 4):
                    item.setForeground(OVERRUN)
                    item.setToolTip(warning)
                self.budgets.setItem(r, c, item)
        self.budget_warning.setText("\n".join(warnings))
        self.budget_warning.setVisible(bool(warnings))

    def marks(self) -> list[MarkInput]:
        """What the sheet says, for every person with a status chosen."""
        found = []
        for p, box, arrival, note in zip(self.sheet.participants, self.status_boxes, self.arrivals,
                                         self.notes, strict=True):
            status = selected(box)
            if not status:
                continue
            time = arrival.time()
            found.append(MarkInput(
                person_id=p.person_id, status=status, note=note.text(),
                arrived_at=dt.time(time.hour(), time.minute()) if status == AttendanceStatus.LATE else None))
        return found

    def save(self) -> bool:
        try:
            self.outcome = attendance.record_attendance(self._db, self._session_id, self.marks())
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        self.accept()
        return True
