"""The programme operations part of the advisor's dashboard: financing of the portfolio
(per group and per advisor), complaints and satisfaction against the programme's targets,
the distribution of satisfaction scores, the advisor's capacity this month and the
companies waiting for a group."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLabel, QTableView, QVBoxLayout, QWidget

from advisor_app.domain.ops_metrics import FinancingTotals
from advisor_app.i18n import tr
from advisor_app.services.dashboard import OperationsBoard
from advisor_app.services.ops_facts import Named, Operations
from advisor_app.ui.models.rows_table import Row, RowsTableModel
from advisor_app.ui.widgets.charts import make_bars
from advisor_app.ui.widgets.display import fmt_num, fmt_pct, rows_view

MONEY_HEADERS = ("Nom", "Inscriptions", "Prix des parcours", "Subvention publique",
                 "Participation attendue", "Participation reçue", "Reste à recevoir")
QUALITY_HEADERS = ("Indicateur", "Objectif", "Réalisé", "Atteinte")
CAPACITY_HEADERS = ("Conseiller", "Disponibles", "Réalisées", "Prévues", "Charge", "État")
QUALITY_LABELS = {"complaint_rate": "Réclamations pour 100 inscriptions",
                  "handling_p85": "Délai de traitement, 85e centile (jours)",
                  "satisfaction": "Satisfaction moyenne (1 à 5)",
                  "response_rate": "Taux de réponse au questionnaire"}
STATUS_LABELS = {"over": "Surcharge", "under": "Sous-charge", "ok": "Équilibrée"}


def money(value: float, currency: str) -> str:
    """12880 -> "12 880 MAD" (narrow no-break spaces: never wraps inside an amount)."""
    return f"{round(value):,}\u202f{currency}".replace(",", "\u202f")


def money_cells(name: str, t: FinancingTotals, currency: str) -> tuple[str, ...]:
    return (name, str(t.enrolments), money(t.price, currency), money(t.subsidy, currency),
            money(t.company_share, currency), money(t.received, currency), money(t.outstanding, currency))


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else fmt_num(round(value, digits))


def quality_rows(o: Operations) -> list[Row]:
    """Targets against actuals; lower is better for complaints and handling time."""
    t, c, s = o.targets, o.complaints, o.satisfaction
    lines = [("complaint_rate", None if t is None else t.complaint_rate, c.rate_per_100, False, False),
             ("handling_p85", None if t is None else t.handling_days, c.handling_p85, False, False),
             ("satisfaction", None if t is None else t.satisfaction_mean, s.mean, True, False),
             ("response_rate", None if t is None else t.survey_response_rate, s.response_rate, True, True)]
    rows = []
    for key, target, actual, higher, is_rate in lines:
        show = fmt_pct if is_rate else _num
        reached = (None if target is None or actual is None
                   else actual >= target if higher else actual <= target)
        verdict = "—" if reached is None else tr("atteint") if reached else tr("non atteint")
        rows.append(Row(key, (tr(QUALITY_LABELS[key]), show(target), show(actual), verdict),
                        alert=reached is False))
    return rows


def money_rows(o: Operations) -> list[Row]:
    """Financing per group, per advisor, then the total (red when a track has no tariff)."""
    cur = o.currency
    rows = [Row(f"group:{n.key}", money_cells(tr("Groupe {name}").format(name=n.name), n.totals, cur))
            for n in o.by_group]
    rows += [Row(f"advisor:{n.key}", money_cells(_advisor(n), n.totals, cur)) for n in o.by_advisor]
    rows.append(Row("total", money_cells(tr("Total"), o.financing, cur), alert=o.financing.unpriced > 0))
    return rows


def _box(title: str, *widgets: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for widget in widgets:
        layout.addWidget(widget)
    return box


class OperationsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.money_model = RowsTableModel(MONEY_HEADERS, right_aligned=range(1, 7))
        self.money_table = rows_view(self.money_model)
        self.quality_model = RowsTableModel(QUALITY_HEADERS, right_aligned=(1, 2))
        self.quality_table = rows_view(self.quality_model)
        self.complaints_note = QLabel()
        self.complaints_note.setWordWrap(True)
        self.scores_caption = QLabel(tr("Répartition des notes de satisfaction (réponses par note)"))
        self.scores = make_bars(height=180)
        self.capacity_note = QLabel()
        self.capacity_note.setWordWrap(True)
        self.capacity_model = RowsTableModel(CAPACITY_HEADERS, right_aligned=range(1, 5))
        self.capacity_table = rows_view(self.capacity_model)
        self.queue = QLabel()
        self.queue.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_box(tr("Financement des accompagnements"), self.summary, self.money_table))
        layout.addWidget(_box(tr("Réclamations et satisfaction : objectifs et réalisé"),
                              self.complaints_note, self.quality_table, self.scores_caption, self.scores))
        layout.addWidget(_box(tr("Capacité et file d'attente"), self.capacity_note, self.capacity_table,
                              self.queue))

    def show_board(self, board: OperationsBoard) -> None:
        o = board.operations
        if o is None:
            self.summary.setText(board.error)
            for model in (self.money_model, self.quality_model, self.capacity_model):
                model.set_rows([])
            return
        f, cur = o.financing, o.currency
        self.summary.setText(tr("{count} inscription(s) : prix des parcours {price}, dont subvention "
                                "publique {subsidy} et participation des entreprises {share} ; reçu "
                                "{received}, reste à recevoir {outstanding}.").format(
            count=f.enrolments, price=money(f.price, cur), subsidy=money(f.subsidy, cur),
            share=money(f.company_share, cur), received=money(f.received, cur),
            outstanding=money(f.outstanding, cur)))
        self.money_model.set_rows(money_rows(o))
        c = o.complaints
        self.complaints_note.setText(tr("{received} réclamation(s), dont {open} en cours ; délai de "
                                        "traitement médian {median} jour(s) ; {answers} réponse(s) au "
                                        "questionnaire de satisfaction.").format(
            received=c.received, open=c.open, median=_num(c.handling_median), answers=o.satisfaction.answers))
        self.quality_model.set_rows(quality_rows(o))
        self.scores.set_data(["1", "2", "3", "4", "5"],
                             [(tr("Réponses"), [float(n) for n in o.satisfaction.distribution])])
        self.capacity_model.set_rows([
            Row(a.line.advisor_id, (a.name, _num(a.line.available), _num(a.line.used), _num(a.line.planned),
                                    fmt_pct(a.line.load), tr(STATUS_LABELS[a.line.status])),
                alert=a.line.status == "over") for a in o.capacity])
        self.capacity_note.setText(
            tr("Demi-journées du mois : réalisées (jusqu'à aujourd'hui) et prévues, contre les demi-journées "
               "disponibles.") if o.capacity else
            tr("Aucun conseiller connu sur cet ordinateur : la capacité s'affiche après la première "
               "synchronisation."))
        q = o.queue
        self.queue.setText(tr("Entreprises inscrites en attente d'un groupe : {count} ; attente médiane "
                              "{median} j, 85e centile {p85} j, la plus ancienne {oldest} j.").format(
            count=q.waiting, median=_num(q.median_days), p85=_num(q.p85_days),
            oldest="—" if q.oldest_days is None else q.oldest_days))
        for table in (self.money_table, self.quality_table, self.capacity_table):
            _fit(table)


def _advisor(n: Named) -> str:
    return tr("Conseiller {name}").format(name=n.name)


def _fit(table: QTableView, most: int = 10) -> None:
    rows = max(1, min(table.model().rowCount(), most))
    height = table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(table.horizontalHeader().height() + rows * height + 2 * table.frameWidth() + 2)
