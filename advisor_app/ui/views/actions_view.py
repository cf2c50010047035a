"""Plans d'action: every action of the portfolio, late ones first and in red. A double
click opens the company (its page holds the whole plan)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from advisor_app.i18n import tr
from advisor_app.services.actions_overview import ALL, LATE, OPEN, ActionRow, list_actions
from advisor_app.services.database import Database
from advisor_app.ui.models.rows_table import KEY_ROLE, Row, RowsTableModel
from advisor_app.ui.printing import Printable, Section
from advisor_app.ui.widgets.display import fmt_date, fmt_pct, rows_view, view_title
from advisor_app.ui.widgets.forms import selected
from advisor_app.ui.widgets.group_filter import GroupFilter

HEADERS = ("Entreprise", "Problème clé", "Action", "Responsable", "Début", "Échéance", "Statut",
           "Avancement", "Retard")
SCOPE_LABELS = {OPEN: "En cours (non réalisées)", LATE: "En retard", ALL: "Toutes"}
EMPTY_LABELS = {OPEN: "Aucune action en cours.", LATE: "Aucune action en retard.", ALL: "Aucune action."}


def action_row(a: ActionRow) -> Row:
    late = tr("{n} j").format(n=a.days_late) if a.late else ""
    return Row(key=a.company_id,
               cells=(a.company_name, a.problem_title, a.title, a.owner_name, fmt_date(a.starts_on),
                      fmt_date(a.due_on), a.status_label, fmt_pct(a.progress / 100), late),
               alert=a.late)


class ActionsView(QWidget):
    open_company = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(parent)
        self._db = db
        self._rows: list[ActionRow] = []
        self.scope = QComboBox()
        for code, text in SCOPE_LABELS.items():
            self.scope.addItem(tr(text), code)
        self.group = GroupFilter(db)
        self.count = QLabel()
        self.model = RowsTableModel(HEADERS, right_aligned=(7, 8))
        self.table = rows_view(self.model, stretch=2)
        self.empty = QLabel()
        self.empty.setObjectName("empty_state")

        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Actions :")))
        bar.addWidget(self.scope)
        bar.addWidget(QLabel(tr("Groupe :")))
        bar.addWidget(self.group)
        bar.addStretch(1)
        bar.addWidget(self.count)
        layout = QVBoxLayout(self)
        title = view_title(tr("Plans d'action"))
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

        self.scope.currentIndexChanged.connect(self.reload)
        self.group.currentIndexChanged.connect(self.reload)
        self.table.doubleClicked.connect(self._open)
        if load:  # the main window loads a section when it is first shown
            self.reload()

    def reload(self) -> None:
        self.group.refill()  # groups created elsewhere appear in the filter
        scope = selected(self.scope) or OPEN
        self._rows = list_actions(self._db, scope=scope, group_id=self.group.group_id())
        self.model.set_rows([action_row(a) for a in self._rows])
        late = sum(a.late for a in self._rows)
        self.count.setText(tr("{n} action(s), dont {late} en retard").format(n=len(self._rows), late=late))
        self.empty.setText(tr(EMPTY_LABELS[scope]))
        self.empty.setVisible(not self._rows)

    def printable(self) -> Printable:
        title = " — ".join((tr("Plans d'action"), self.scope.currentText(), self.group.currentText()))
        rows = [action_row(a) for a in self._rows]
        late = frozenset(i for i, row in enumerate(rows) if row.alert)
        return Printable(title, [Section("", [tr(h) for h in HEADERS], [list(r.cells) for r in rows],
                                         alert_rows=late)])

    def _open(self, index: QModelIndex) -> None:
        key = self.model.data(index, KEY_ROLE)
        if key:
            self.open_company.emit(key)
