"""Tableau de bord: the advisor's portfolio in a few figures and companies per stage."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services.dashboard import Dashboard, dashboard
from advisor_app.services.database import Database
from advisor_app.ui.printing import Printable, Section
from advisor_app.ui.widgets.bar_chart import BarChart
from advisor_app.ui.widgets.display import fmt_date, fmt_num, fmt_pct, view_title

# figure key -> caption (French source text)
FIGURE_LABELS: dict[str, str] = {
    "companies": "Entreprises du portefeuille",
    "active_groups": "Groupes actifs",
    "active_members": "Entreprises dans un groupe actif",
    "sessions_last_30_days": "Séances tenues (30 derniers jours)",
    "sessions_next_30_days": "Séances prévues (30 prochains jours)",
    "collective_half_days_this_year": "Demi-journées collectives (année en cours)",
    "individual_half_days_this_year": "Demi-journées individuelles (année en cours)",
    "attendance_rate_90_days": "Assiduité (90 derniers jours)",
    "open_actions": "Actions en cours",
    "late_actions": "Actions en retard",
    "done_actions": "Actions réalisées",
    "initial_diagnostics": "Diagnostics initiaux validés",
    "final_diagnostics": "Diagnostics finaux validés",
}
COLUMNS = 4


def figure_text(board: Dashboard, key: str) -> str:
    value = getattr(board, key)
    if key == "attendance_rate_90_days":
        return fmt_pct(value)
    if isinstance(value, float):
        return fmt_num(value)
    return f"{value:,}".replace(",", "\u202f")


class _Figure(QFrame):
    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel()
        self.value.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


class DashboardView(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(parent)
        self._db = db
        self.board: Dashboard | None = None
        title = view_title(tr("Tableau de bord"))
        self.as_of = QLabel()
        self.figures: dict[str, _Figure] = {}
        grid = QGridLayout()
        for i, (key, caption) in enumerate(FIGURE_LABELS.items()):
            self.figures[key] = _Figure(tr(caption))
            grid.addWidget(self.figures[key], i // COLUMNS, i % COLUMNS)
        self.stages = BarChart()
        stage_box = QGroupBox(tr("Entreprises par étape"))
        QVBoxLayout(stage_box).addWidget(self.stages)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(title)
        layout.addWidget(self.as_of)
        layout.addLayout(grid)
        layout.addWidget(stage_box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        if load:  # the main window loads a section when it is first shown
            self.reload()

    def reload(self) -> None:
        board = self.board = dashboard(self._db)
        self.as_of.setText(tr("Situation au {date}, d'après les données de cet ordinateur.")
                           .format(date=fmt_date(board.today)))
        for key, figure in self.figures.items():
            figure.value.setText(figure_text(board, key))
        late = self.figures["late_actions"].value
        late.setStyleSheet("font-size: 22px; font-weight: bold;"
                           + (" color: #b3261e;" if board.late_actions else ""))
        self.stages.set_bars([(s.label, s.companies) for s in board.by_stage])

    def printable(self) -> Printable:
        board = self.board or dashboard(self._db)
        figures = [[tr(caption), figure_text(board, key)] for key, caption in FIGURE_LABELS.items()]
        stages = [[s.label, str(s.companies)] for s in board.by_stage]
        return Printable(" — ".join((tr("Tableau de bord"), fmt_date(board.today))), [
            Section("", [tr("Indicateur"), tr("Valeur")], figures),
            Section(tr("Entreprises par étape"), [tr("Étape"), tr("Entreprises")], stages)])

