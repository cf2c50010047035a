"""The company page's Diagnostics tab: the enrolment's diagnostics, the radar chart (T0,
latest, group average), the comparison of axes with their change, the axes proposed as key
problems; new/open a diagnostic, print or save its report as PDF."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import plan_print
from advisor_app.services.database import Database
from advisor_app.services.diagnostic_scores import DiagnosticRow, DiagnosticsOverview, diagnostics_overview
from advisor_app.services.errors import UserError
from advisor_app.ui.dialogs.diagnostic_dialog import DiagnosticDialog
from advisor_app.ui.printing import print_pdf_file
from advisor_app.ui.widgets.display import fmt_date, widget_table
from advisor_app.ui.widgets.forms import ERROR_STYLE, percent_text
from advisor_app.ui.widgets.radar_chart import RadarChart, RadarSeries

LIST_HEADERS = ("Diagnostic", "Date", "Version", "État", "Score", "Items notés")
AXIS_HEADERS = ("Axe", "T0", "Dernier", "Évolution", "Moyenne du groupe")
GAIN, LOSS = Qt.GlobalColor.darkGreen, Qt.GlobalColor.darkRed


def _pct(value: float | None) -> str:
    return percent_text(value / 100) if value is not None else "—"


def _points(value: float | None) -> str:
    if value is None:
        return "—"
    if round(value) == 0:
        return tr("0 pt")
    return tr("{n} pts").format(n=f"{value:+.0f}".replace("-", "\u2212"))


class DiagnosticsTab(QWidget):
    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.enrolment_id: str | None = None
        self.overview: DiagnosticsOverview | None = None
        self.list = widget_table(LIST_HEADERS, stretch=0)
        self.list.setMaximumHeight(120)
        self.axes = widget_table(AXIS_HEADERS, stretch=0, select_rows=False)
        self.radar = RadarChart()
        self.proposals = QLabel()
        self.proposals.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.new_button = QPushButton(tr("Nouveau diagnostic"))
        self.open_button = QPushButton(tr("Ouvrir"))
        self.print_button = QPushButton(tr("Imprimer le rapport"))
        self.pdf_button = QPushButton(tr("Enregistrer le rapport en PDF"))
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.print_button, self.pdf_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.axes, 1)
        right_layout.addWidget(self.proposals)
        split = QSplitter()
        split.addWidget(self.radar)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 520])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.list)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        self.new_button.clicked.connect(self.new_diagnostic)
        self.open_button.clicked.connect(self.open_selected)
        self.list.doubleClicked.connect(self.open_selected)
        self.list.itemSelectionChanged.connect(self._enable)
        self.print_button.clicked.connect(self.print_report)
        self.pdf_button.clicked.connect(self.save_report_pdf)

    # -- data -----------------------------------------------------------------------------------
    def show_enrolment(self, enrolment_id: str | None) -> None:
        self.enrolment_id = enrolment_id
        self.overview = diagnostics_overview(self._db, enrolment_id) if enrolment_id else None
        self._render()

    def reload(self) -> None:
        self.show_enrolment(self.enrolment_id)

    def _render(self) -> None:
        view = self.overview
        rows = view.rows if view else ()
        self.list.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = (
                row.kind_label,
                fmt_date(row.conducted_on),
                str(row.version),
                row.status_label,
                _pct(row.percent),
                f"{row.answered} / {row.items}",
            )
            for c, value in enumerate(values):
                self.list.setItem(r, c, QTableWidgetItem(value))
        if rows:
            self.list.selectRow(0)
        lines = view.axes if view else ()
        compared = bool(view and view.t0 and view.latest and view.t0.id != view.latest.id)
        self.axes.setRowCount(len(lines) + (1 if lines else 0))
        for r, line in enumerate(lines):
            change = line.change if compared else None
            self._axis_row(
                r, (line.label, _pct(line.t0), _pct(line.latest), _points(change), _pct(line.group)), change
            )
        if view and lines:
            overall = (
                None
                if view.overall_t0 is None or view.overall_latest is None or not compared
                else view.overall_latest - view.overall_t0
            )
            self._axis_row(
                len(lines),
                (
                    tr("Score global"),
                    _pct(view.overall_t0),
                    _pct(view.overall_latest),
                    _points(overall),
                    _pct(view.overall_group),
                ),
                overall,
                bold=True,
            )
        self._radar(view)
        if view and view.proposals:
            self.proposals.setText(
                tr("Problèmes clés proposés (axes les plus faibles) : {axes}").format(
                    axes=" ; ".join(f"{p.axis_label} ({_pct(p.percent)})" for p in view.proposals)
                )
            )
        else:
            self.proposals.setText("")
        self.message.setText(
            ""
            if self.enrolment_id
            else tr("Inscrivez l'entreprise dans un parcours pour saisir un diagnostic.")
        )
        self._enable()

    def _axis_row(self, r: int, values: tuple[str, ...], change: float | None, *, bold: bool = False) -> None:
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if c == 3 and change is not None and round(change):
                item.setForeground(GAIN if change > 0 else LOSS)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.axes.setItem(r, c, item)

    def _radar(self, view: DiagnosticsOverview | None) -> None:
        if view is None or view.latest is None:
            self.radar.set_data([], [])
            return
        series = []
        if view.t0 is not None and view.t0.id != view.latest.id:
            series.append(
                RadarSeries(
                    tr("T0 ({date})").format(date=fmt_date(view.t0.conducted_on)),
                    [a.t0 for a in view.axes],
                    dashed=True,
                    colour=0,
                )
            )
        series.append(
            RadarSeries(
                tr("Dernier ({date})").format(date=fmt_date(view.latest.conducted_on)),
                [a.latest for a in view.axes],
            )
        )
        if view.group_size:
            series.append(
                RadarSeries(
                    tr("Moyenne du groupe ({n})").format(n=view.group_size),
                    [a.group for a in view.axes],
                    dashed=True,
                    colour=2,
                )
            )
        self.radar.set_data([a.label for a in view.axes], series)

    def selected(self) -> DiagnosticRow | None:
        rows = self.overview.rows if self.overview else ()
        r = self.list.currentRow()
        return rows[r] if 0 <= r < len(rows) else None

    def _enable(self) -> None:
        self.new_button.setEnabled(self.enrolment_id is not None)
        has = self.selected() is not None
        for button in (self.open_button, self.print_button, self.pdf_button):
            button.setEnabled(has)

    # -- actions --------------------------------------------------------------------------------
    def new_diagnostic(self) -> None:
        if self.enrolment_id is None:
            return
        kinds = {r.kind for r in self.overview.rows} if self.overview else set()
        kind = "initial" if "initial" not in kinds else "intermediate"
        self._run(DiagnosticDialog(self._db, self.enrolment_id, kind=kind, parent=self))

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None and self.enrolment_id is not None:
            self._run(DiagnosticDialog(self._db, self.enrolment_id, row.id, parent=self))

    def _run(self, dialog: DiagnosticDialog) -> None:
        if dialog.exec():
            self.reload()
            self.changed.emit()

    def _file_name(self, row: DiagnosticRow) -> str:
        return plan_print.diagnostic_file_name(
            self.overview.company_name if self.overview else "", row.conducted_on
        )

    def print_report(self) -> None:
        row = self.selected()
        if row is None:
            return
        with tempfile.TemporaryDirectory(prefix="mowakaba-") as folder:
            try:
                path = plan_print.write_diagnostic_report(
                    self._db, row.id, Path(folder) / self._file_name(row)
                )
                print_pdf_file(path, tr("Rapport d'autodiagnostic"), self)
            except (UserError, OSError) as exc:
                self._error(str(exc))

    def save_report_pdf(self) -> None:
        row = self.selected()
        if row is None:
            return
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        proposed = Path(documents or Path.home()) / self._file_name(row)
        name, _ = QFileDialog.getSaveFileName(
            self, tr("Enregistrer le rapport d'autodiagnostic"), str(proposed), tr("Documents PDF (*.pdf)")
        )
        if name:
            self.write_report(row.id, Path(name))

    def write_report(self, diagnostic_id: str, path: Path) -> bool:
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            plan_print.write_diagnostic_report(self._db, diagnostic_id, path)
        except UserError as exc:
            self._error(str(exc))
            return False
        self.message.setStyleSheet("")
        self.message.setText(tr("Rapport enregistré : {path}").format(path=path))
        return True

    def _error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
