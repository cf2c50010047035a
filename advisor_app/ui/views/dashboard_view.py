"""Tableau de bord: the advisor's portfolio in figures, then its flow (work in progress
and its age, lead time per stage as median and 85th percentile, completions per week),
overdue actions, half-days against budget, attendance and diagnostic progress per group,
and the year's targets of his region. Every chart bar, table row and marked figure opens
the list of the companies behind it; a double click there opens the company."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services.dashboard import (
    Dashboard,
    LeanBoard,
    companies_at_stage,
    companies_behind,
    dashboard,
    lean_board,
    operations_board,
)
from advisor_app.services.database import Database
from advisor_app.ui.dialogs.dashboard_companies_dialog import DashboardCompaniesDialog
from advisor_app.ui.models.rows_table import Row, RowsTableModel
from advisor_app.ui.printing import Printable, Section
from advisor_app.ui.widgets.charts import make_bars
from advisor_app.ui.widgets.display import fmt_date, fmt_num, fmt_pct, rows_view, view_title
from advisor_app.ui.widgets.operations_panel import (
    MONEY_HEADERS,
    QUALITY_HEADERS,
    OperationsPanel,
    money_rows,
    quality_rows,
)

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
FLOW_LABELS: dict[str, str] = {
    "wip": "Accompagnements en cours",
    "completed_in_weeks": "Terminés (12 dernières semaines)",
    "total_lead_median": "Délai total médian (jours)",
    "total_lead_p85": "Délai total, 85e centile (jours)",
    "overdue_companies": "Entreprises avec une action en retard",
    "half_days": "Demi-journées utilisées / budget",
    "over_budget": "Entreprises au-delà de leur budget",
    "attendance": "Assiduité (toutes séances)",
}
STAGE_HEADERS = ("Étape", "Entreprises", "Âge médian (j)", "Âge 85e centile (j)", "Délai médian (j)",
                 "Délai 85e centile (j)", "Passages mesurés")
GROUP_HEADERS = ("Groupe", "Membres", "Assiduité", "Demi-journées", "Diagnostic initial",
                 "Diagnostic final", "Progrès")
TARGET_HEADERS = ("Indicateur", "Objectif", "Réalisé", "Atteinte")
TARGET_LABELS = {"enrolments": "Entreprises inscrites", "completions": "Accompagnements terminés",
                 "attendance_rate": "Assiduité"}
COLUMNS = 4


def figure_text(board: Dashboard, key: str) -> str:
    value = getattr(board, key)
    if key == "attendance_rate_90_days":
        return fmt_pct(value)
    if isinstance(value, float):
        return fmt_num(value)
    return f"{value:,}".replace(",", "\u202f")


def days_text(value: float | None) -> str:
    return "—" if value is None else fmt_num(round(value, 1))


def points_text(value: float | None) -> str:
    return "—" if value is None else f"{fmt_num(round(value))}\u202f%"


def flow_texts(lean: LeanBoard) -> dict[str, str]:
    f = lean.indicators
    return {
        "wip": str(f.wip), "completed_in_weeks": str(f.completed_in_weeks),
        "total_lead_median": days_text(f.total_lead.median), "total_lead_p85": days_text(f.total_lead.p85),
        "overdue_companies": str(len(f.overdue_companies)),
        "half_days": f"{fmt_num(f.half_days_used)} / {fmt_num(f.half_days_budget)}",
        "over_budget": str(len(f.over_budget)), "attendance": fmt_pct(f.attendance_rate),
    }


class _Figure(QFrame):
    """A figure and its caption; when ``on_click`` is set, a click lists its companies."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel()
        self.value.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.on_click: Callable[[], None] | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set_clickable(self, on_click: Callable[[], None] | None) -> None:
        self.on_click = on_click
        self.setCursor(Qt.CursorShape.PointingHandCursor if on_click else Qt.CursorShape.ArrowCursor)
        self.setToolTip(tr("Cliquez pour voir les entreprises.") if on_click else "")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.on_click is not None and event.button() == Qt.MouseButton.LeftButton:
            self.on_click()
        super().mouseReleaseEvent(event)


def _box(title: str, *widgets: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for widget in widgets:
        layout.addWidget(widget)
    return box


class DashboardView(QWidget):
    open_company = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(parent)
        self._db = db
        self.board: Dashboard | None = None
        self.lean: LeanBoard | None = None
        self.companies_dialog: DashboardCompaniesDialog | None = None
        title = view_title(tr("Tableau de bord"))
        self.as_of = QLabel()
        self.figures: dict[str, _Figure] = {}
        grid = QGridLayout()
        for i, (key, caption) in enumerate(FIGURE_LABELS.items()):
            self.figures[key] = _Figure(tr(caption))
            grid.addWidget(self.figures[key], i // COLUMNS, i % COLUMNS)
        self.flow_figures: dict[str, _Figure] = {}
        flow_grid = QGridLayout()
        for i, (key, caption) in enumerate(FLOW_LABELS.items()):
            self.flow_figures[key] = _Figure(tr(caption))
            flow_grid.addWidget(self.flow_figures[key], i // COLUMNS, i % COLUMNS)
        flow_tiles = QWidget()
        flow_tiles.setLayout(flow_grid)

        self.stages = make_bars(horizontal=True)
        self.stages.clicked.connect(lambda _set, index: self._open_stage_bar(index))
        self.stage_model = RowsTableModel(STAGE_HEADERS, right_aligned=range(1, 7))
        self.stage_table = self._table(self.stage_model, self._stage_companies)
        self.lead_chart = make_bars(height=260)
        self.week_chart = make_bars(height=220)
        self.week_chart.clicked.connect(lambda _set, index: self._open_week(index))
        self.group_model = RowsTableModel(GROUP_HEADERS, right_aligned=range(1, 7))
        self.group_table = self._table(self.group_model, self._group_companies)
        self.target_model = RowsTableModel(TARGET_HEADERS, right_aligned=(1, 2, 3))
        self.target_table = rows_view(self.target_model)
        self.targets_note = QLabel()
        self.targets_note.setWordWrap(True)
        self.lead_box = _box(tr("Délai par étape : médiane et 85e centile (jours)"), self.lead_chart)
        self.week_box = _box(tr("Accompagnements terminés par semaine"), self.week_chart)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(title)
        layout.addWidget(self.as_of)
        layout.addLayout(grid)
        layout.addWidget(_box(tr("Flux de l'accompagnement"), flow_tiles))
        layout.addWidget(_box(tr("Entreprises par étape"), self.stages))
        layout.addWidget(_box(tr("Travail en cours et délais par étape"), self.stage_table))
        layout.addWidget(self.lead_box)
        layout.addWidget(self.week_box)
        layout.addWidget(_box(tr("Groupes : assiduité, demi-journées et progrès au diagnostic"),
                              self.group_table))
        self.target_box = _box("", self.targets_note, self.target_table)
        layout.addWidget(self.target_box)
        self.operations = OperationsPanel()
        layout.addWidget(self.operations)
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

    def _table(self, model: RowsTableModel,
               companies: Callable[[str], tuple[str, Sequence[str]]]) -> QTableView:
        table = rows_view(model)
        table.activated.connect(lambda index: self._open_row(model, index.row(), companies))
        return table

    # -- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        board = self.board = dashboard(self._db)
        lean = self.lean = lean_board(self._db, today=board.today)
        self.as_of.setText(tr("Situation au {date}, d'après les données de cet ordinateur.")
                           .format(date=fmt_date(board.today)))
        for key, figure in self.figures.items():
            figure.value.setText(figure_text(board, key))
        late = self.figures["late_actions"].value
        late.setStyleSheet("font-size: 22px; font-weight: bold;"
                           + (" color: #b3261e;" if board.late_actions else ""))
        self.stages.set_bars([(s.label, s.companies) for s in board.by_stage])
        self._fill_flow(lean)
        self.operations.show_board(operations_board(self._db, today=board.today))

    def _fill_flow(self, lean: LeanBoard) -> None:
        f = lean.indicators
        for key, text in flow_texts(lean).items():
            self.flow_figures[key].value.setText(text)
        lists = {"overdue_companies": (tr("Entreprises avec une action en retard"), f.overdue_companies),
                 "over_budget": (tr("Entreprises au-delà de leur budget de demi-journées"), f.over_budget)}
        for key, (caption, ids) in lists.items():
            self.flow_figures[key].set_clickable(self._lister(caption, ids) if ids else None)
        overdue_caption, overdue_ids = lists["overdue_companies"]
        self.figures["late_actions"].set_clickable(
            self._lister(overdue_caption, overdue_ids) if overdue_ids else None)
        self.stage_model.set_rows([
            Row(s.stage, (s.label, str(s.wip), days_text(s.age.median), days_text(s.age.p85),
                          days_text(s.lead.median), days_text(s.lead.p85), str(s.lead.count or "—")))
            for s in f.stages])
        open_stages = [s for s in f.stages if s.stage not in ("completed", "dropped")]
        self.lead_chart.set_data([s.label for s in open_stages], [
            (tr("Médiane"), [round(s.lead.median or 0, 1) for s in open_stages]),
            (tr("85e centile"), [round(s.lead.p85 or 0, 1) for s in open_stages])])
        self.week_chart.set_data([w.monday.strftime("%d/%m") for w in f.weeks],
                                 [(tr("Terminés"), [w.completed for w in f.weeks])])
        self.group_model.set_rows([
            Row(g.group_id, (g.name, str(g.members), fmt_pct(g.attendance_rate),
                             f"{fmt_num(g.half_days_used)} / {fmt_num(g.half_days_budget)}",
                             points_text(g.initial_percent), points_text(g.final_percent),
                             _gain(g.initial_percent, g.final_percent)),
                alert=g.half_days_used > g.half_days_budget > 0)
            for g in f.groups])
        self.target_box.setTitle(tr("Objectifs {year} de la région et réalisé").format(year=lean.year))
        self.targets_note.setText(lean.targets_error or tr("Régions : {regions}. Objectifs de "
                                                           "resources/targets.toml.")
                                  .format(regions=", ".join(lean.regions) or "—"))
        self.target_model.set_rows([Row(t.key, _target_cells(t.key, t.target, t.actual, t.ratio))
                                    for t in lean.targets])
        for table in (self.stage_table, self.group_table, self.target_table):
            _fit_height(table)

    # -- click-through ------------------------------------------------------------------------
    def show_companies(self, title: str, company_ids: Sequence[str]) -> DashboardCompaniesDialog:
        dialog = DashboardCompaniesDialog(title, companies_behind(self._db, company_ids), self)
        dialog.open_company.connect(self.open_company)
        self.companies_dialog = dialog
        dialog.open()
        return dialog

    def _lister(self, title: str, company_ids: Sequence[str]) -> Callable[[], None]:
        def show() -> None:
            self.show_companies(title, company_ids)
        return show

    def _open_row(self, model: RowsTableModel, row: int,
                  companies: Callable[[str], tuple[str, Sequence[str]]]) -> None:
        chosen = model.row_at(row)
        if chosen is not None:
            title, ids = companies(chosen.key)
            self.show_companies(title, ids)

    def _stage_companies(self, stage: str) -> tuple[str, Sequence[str]]:
        assert self.lean is not None
        line = self.lean.indicators.stage(stage)
        return tr("Entreprises à l'étape « {stage} »").format(stage=line.label), line.companies

    def _group_companies(self, group_id: str) -> tuple[str, Sequence[str]]:
        assert self.lean is not None
        group = next(g for g in self.lean.indicators.groups if g.group_id == group_id)
        return tr("Membres du groupe « {group} »").format(group=group.name), group.companies

    def _open_stage_bar(self, index: int) -> None:
        if self.board is not None and 0 <= index < len(self.board.by_stage):
            stage = self.board.by_stage[index]
            self.show_companies(tr("Entreprises à l'étape « {stage} »").format(stage=stage.label),
                                companies_at_stage(self._db, stage.stage))

    def _open_week(self, index: int) -> None:
        if self.lean is not None and 0 <= index < len(self.lean.indicators.weeks):
            week = self.lean.indicators.weeks[index]
            self.show_companies(tr("Accompagnements terminés la semaine du {date}")
                                .format(date=fmt_date(week.monday)), week.companies)

    def printable(self) -> Printable:
        board = self.board or dashboard(self._db)
        lean = self.lean or lean_board(self._db, today=board.today)
        figures = [[tr(caption), figure_text(board, key)] for key, caption in FIGURE_LABELS.items()]
        texts = flow_texts(lean)
        figures += [[tr(caption), texts[key]] for key, caption in FLOW_LABELS.items()]
        stages = [[s.label, str(s.wip), days_text(s.age.median), days_text(s.age.p85),
                   days_text(s.lead.median), days_text(s.lead.p85), str(s.lead.count or "—")]
                  for s in lean.indicators.stages]
        groups = [[g.name, str(g.members), fmt_pct(g.attendance_rate),
                   f"{fmt_num(g.half_days_used)} / {fmt_num(g.half_days_budget)}",
                   points_text(g.initial_percent), points_text(g.final_percent),
                   _gain(g.initial_percent, g.final_percent)] for g in lean.indicators.groups]
        weeks = [[fmt_date(w.monday), str(w.completed)] for w in lean.indicators.weeks]
        by_stage = [[s.label, str(s.companies)] for s in board.by_stage]
        ops = operations_board(self._db, today=board.today).operations
        operations = [] if ops is None else [
            Section(tr("Financement des accompagnements"), [tr(h) for h in MONEY_HEADERS],
                    [list(r.cells) for r in money_rows(ops)]),
            Section(tr("Réclamations et satisfaction : objectifs et réalisé"),
                    [tr(h) for h in QUALITY_HEADERS], [list(r.cells) for r in quality_rows(ops)])]
        return Printable(" — ".join((tr("Tableau de bord"), fmt_date(board.today))), [
            Section("", [tr("Indicateur"), tr("Valeur")], figures),
            Section(tr("Entreprises par étape"), [tr("Étape"), tr("Entreprises")], by_stage),
            Section(tr("Travail en cours et délais par étape"), [tr(h) for h in STAGE_HEADERS], stages),
            Section(tr("Accompagnements terminés par semaine"), [tr("Semaine du"), tr("Terminés")], weeks),
            Section(tr("Groupes : assiduité, demi-journées et progrès au diagnostic"),
                    [tr(h) for h in GROUP_HEADERS], groups), *operations])


def _fit_height(table: QTableView, most: int = 12) -> None:
    """As tall as its rows (``most`` at the very most, then it scrolls): the page scrolls,
    not a table squeezed into a few lines."""
    rows = max(1, min(table.model().rowCount(), most))
    row_height = table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(table.horizontalHeader().height() + rows * row_height + 2 * table.frameWidth() + 2)


def _gain(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return "—"
    gain = round(after - before)
    return tr("{sign}{points} pts").format(sign="+" if gain >= 0 else "−", points=fmt_num(abs(gain)))


def _target_cells(key: str, target: float | None, actual: float | None, ratio: float | None
                  ) -> tuple[str, ...]:
    if key == "attendance_rate":
        values = (fmt_pct(target), fmt_pct(actual))
    else:
        values = ("—" if target is None else fmt_num(target), "—" if actual is None else fmt_num(actual))
    return (tr(TARGET_LABELS[key]), *values, fmt_pct(ratio))

