"""Séances: the advisor's upcoming and past sessions, per group, with attendance and open
commitments at a glance. A double click opens the visited company or the group."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from advisor_app.i18n import tr
from advisor_app.services.database import Database
from advisor_app.services.sessions_overview import ALL, PAST, UPCOMING, SessionRow, list_sessions
from advisor_app.ui.models.rows_table import KEY_ROLE, Row, RowsTableModel
from advisor_app.ui.printing import Printable, table_section
from advisor_app.ui.widgets.display import fmt_date, fmt_num, fmt_time, rows_view
from advisor_app.ui.widgets.forms import selected
from advisor_app.ui.widgets.group_filter import GroupFilter

HEADERS = ("Date", "Horaire", "Type", "Intitulé", "Groupe ou entreprise", "Lieu",
           "Demi-journées", "Présents", "Engagements ouverts")
PERIOD_LABELS = {UPCOMING: "À venir", PAST: "Passées", ALL: "Toutes"}
EMPTY_LABELS = {UPCOMING: "Aucune séance à venir.", PAST: "Aucune séance passée.", ALL: "Aucune séance."}


def session_row(s: SessionRow) -> Row:
    attended = f"{s.attended} / {s.recorded}" if s.recorded else "—"
    return Row(
        key=s.company_id or s.group_id or "",
        cells=(fmt_date(s.held_on), f"{fmt_time(s.starts_at)}–{fmt_time(s.ends_at)}", s.kind_label,
               s.title, s.group_name or s.company_name, s.place, fmt_num(s.half_days), attended,
               str(s.open_commitments) if s.open_commitments else ""))


class SessionsView(QWidget):
    open_company = Signal(str)
    open_group = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._rows: list[SessionRow] = []
        self.period = QComboBox()
        for code, text in PERIOD_LABELS.items():
            self.period.addItem(tr(text), code)
        self.group = GroupFilter(db)
        self.count = QLabel()
        self.model = RowsTableModel(HEADERS, right_aligned=(6, 7, 8))
        self.table = rows_view(self.model, stretch=3)
        self.empty = QLabel()
        self.empty.setObjectName("empty_state")

        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Période :")))
        bar.addWidget(self.period)
        bar.addWidget(QLabel(tr("Groupe :")))
        bar.addWidget(self.group)
        bar.addStretch(1)
        bar.addWidget(self.count)
        layout = QVBoxLayout(self)
        title = QLabel(tr("Séances"))
        title.setObjectName("view_title")
        title.setStyleSheet("font-size: 16px; font-weight: bold;")
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

        self.period.currentIndexChanged.connect(self.reload)
        self.group.currentIndexChanged.connect(self.reload)
        self.table.doubleClicked.connect(self._open)
        self.reload()

    def reload(self) -> None:
        self.group.refill()  # groups created elsewhere appear in the filter
        period = selected(self.period) or UPCOMING
        self._rows = list_sessions(self._db, period=period, group_id=self.group.group_id())
        self.model.set_rows([session_row(s) for s in self._rows])
        self.count.setText(tr("{n} séance(s)").format(n=len(self._rows)))
        self.empty.setText(tr(EMPTY_LABELS[period]))
        self.empty.setVisible(not self._rows)

    def printable(self) -> Printable:
        title = " — ".join((tr("Séances"), self.period.currentText(), self.group.currentText()))
        return table_section(title, [tr(h) for h in HEADERS],
                             [list(session_row(s).cells) for s in self._rows])

    def _open(self, index: QModelIndex) -> None:
        s = self._rows[index.row()] if 0 <= index.row() < len(self._rows) else None
        if s is None:
            return
        key = self.model.data(index, KEY_ROLE)
        if s.company_id:
            self.open_company.emit(key)
        elif s.group_id:
            self.open_group.emit(key)
