"""HTML sections of HQ's dashboard for programme operations (French only): financing,
complaints and satisfaction against the programme's targets, advisors' capacity and the
queue of companies waiting for a group. Everything shown is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from advisor_app.domain.ops_metrics import FinancingTotals, QueueFigures
from advisor_app.hq.dashboard_html import days, esc, num, pct
from advisor_app.services.ops_facts import Named, Operations

STATUS = {"over": ("Surcharge", "late"), "under": ("Sous-charge", "under"), "ok": ("Équilibrée", "good")}
STYLE = """
.under { color: #8a5a00; font-weight: bold; }
.dist { display: flex; gap: 6px; align-items: end; height: 70px; }
.dist div { text-align: center; font-size: 12px; color: #5b6770; width: 40px; }
.dist b { display: block; background: #2e6f9e; margin: 0 auto 3px; width: 26px; }
"""


@dataclass(frozen=True)
class RegionLoad:
    """One line of the per-region capacity and queue table."""

    code: str
    name: str
    advisors: int
    over: int
    under: int
    queue: QueueFigures


def money(value: float, currency: str) -> str:
    return f"{num(value)}\u202f{currency}"


def _money_cells(t: FinancingTotals, currency: str) -> str:
    cells = [num(t.enrolments), money(t.price, currency), money(t.subsidy, currency),
             money(t.company_share, currency), money(t.received, currency),
             money(t.outstanding, currency)]
    return "".join(f"<td class='n'>{esc(c)}</td>" for c in cells)


MONEY_HEADINGS = ("Inscriptions", "Prix des parcours", "Subvention publique",
                  "Participation attendue", "Participation reçue", "Reste à recevoir")


def financing_table(table_id: str, first: str, rows: Sequence[Named], total: FinancingTotals,
                    currency: str) -> str:
    if not rows:
        return f"<p class='empty' id='{table_id}'>Aucune inscription.</p>"
    head = "".join(f"<th class='n'>{esc(h)}</th>" for h in MONEY_HEADINGS)
    parts = [f"<table id='{table_id}'><thead><tr><th>{esc(first)}</th>{head}</tr></thead><tbody>"]
    parts.extend(f"<tr data-key='{esc(r.key)}'><td>{esc(r.name)}</td>{_money_cells(r.totals, currency)}</tr>"
                 for r in rows)
    parts.append(f"<tr class='total'><td>Total</td>{_money_cells(total, currency)}</tr></tbody></table>")
    return "".join(parts)


def _ratio_bar(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    return f"<span class='bar'><i style='width:{min(100, round(ratio * 100))}%'></i></span> {pct(ratio)}"


def quality_table(o: Operations) -> str:
    """Targets against actuals. Lower is better for complaints and handling time: the
    "Atteinte" column says whether the actual is within the target."""
    t, c, s = o.targets, o.complaints, o.satisfaction
    rows = [
        ("complaint_rate", "Réclamations pour 100 inscriptions",
         None if t is None else t.complaint_rate, c.rate_per_100, 2, False),
        ("handling_p85", "Délai de traitement, 85e centile (jours)",
         None if t is None else t.handling_days, c.handling_p85, 1, False),
        ("satisfaction", "Satisfaction moyenne (1 à 5)",
         None if t is None else t.satisfaction_mean, s.mean, 2, True),
        ("response_rate", "Taux de réponse au questionnaire",
         None if t is None else t.survey_response_rate, s.response_rate, -1, True),
    ]
    parts = ["<table id='quality'><thead><tr><th>Indicateur</th><th class='n'>Objectif</th>"
             "<th class='n'>Réalisé</th><th>Atteinte</th></tr></thead><tbody>"]
    for key, label, target, actual, digits, higher in rows:
        def show(v: float | None, d: int = digits) -> str:
            return pct(v) if d < 0 else num(v, d)
        if target is None or actual is None:
            verdict = "—"
        else:
            ok = actual >= target if higher else actual <= target
            verdict = "<span class='good'>atteint</span>" if ok else "<span class='late'>non atteint</span>"
        parts.append(f"<tr data-key='{key}'><td>{esc(label)}</td><td class='n'>{esc(show(target))}</td>"
                     f"<td class='n'>{esc(show(actual))}</td><td>{verdict}</td></tr>")
    parts.append("</tbody></table>")
    if t is not None:
        parts.append(f"<p class='sub'>Objectif de réclamations : {num(t.complaint_rate_baseline, 1)} "
                     f"pour 100 avant le programme, divisé par {num(t.complaint_rate_divisor)}.</p>")
    return "".join(parts)


def distribution(o: Operations) -> str:
    counts = o.satisfaction.distribution
    top = max(counts) or 1
    bars = "".join(f"<div data-score='{score}'><b style='height:{round(50 * n / top)}px'></b>"
                   f"{score}&#8239;: {n}</div>" for score, n in zip(range(1, 6), counts, strict=True))
    return f"<div class='dist' id='satisfaction-distribution'>{bars}</div>"


def capacity_table(o: Operations) -> str:
    if not o.capacity:
        return "<p class='empty' id='capacity'>Aucun conseiller actif dans ce périmètre.</p>"
    parts = ["<table id='capacity'><thead><tr><th>Conseiller</th><th>Région</th>"
             "<th class='n'>Disponibles</th><th class='n'>Réalisées</th><th class='n'>Prévues</th>"
             "<th class='n'>Charge</th><th>État</th></tr></thead><tbody>"]
    for a in sorted(o.capacity, key=lambda a: (-(a.line.load or 0), a.name)):
        label, css = STATUS[a.line.status]
        parts.append(f"<tr data-status='{a.line.status}'><td>{esc(a.name)}</td><td>{esc(a.region_code)}</td>"
                     f"<td class='n'>{num(a.line.available, 1)}</td><td class='n'>{num(a.line.used, 1)}</td>"
                     f"<td class='n'>{num(a.line.planned, 1)}</td><td class='n'>{pct(a.line.load)}</td>"
                     f"<td class='{css}'>{label}</td></tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def regions_load_table(rows: Sequence[RegionLoad]) -> str:
    parts = ["<table id='regions-load'><thead><tr><th>Région</th><th class='n'>Conseillers</th>"
             "<th class='n'>En surcharge</th><th class='n'>En sous-charge</th>"
             "<th class='n'>En attente d'un groupe</th><th class='n'>Attente médiane</th>"
             "<th class='n'>Attente 85e centile</th><th class='n'>Plus ancienne</th></tr></thead><tbody>"]
    for r in rows:
        q = r.queue
        over = f"<span class='late'>{r.over}</span>" if r.over else "0"
        under = f"<span class='under'>{r.under}</span>" if r.under else "0"
        parts.append(f"<tr data-key='{esc(r.code)}'><td>{esc(r.name)}</td><td class='n'>{r.advisors}</td>"
                     f"<td class='n'>{over}</td><td class='n'>{under}</td><td class='n'>{q.waiting}</td>"
                     f"<td class='n'>{days(q.median_days)}</td><td class='n'>{days(q.p85_days)}</td>"
                     f"<td class='n'>{days(q.oldest_days)}</td></tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def render_operations(o: Operations, regions_load: Sequence[RegionLoad]) -> str:
    f, cur = o.financing, o.currency
    tiles = [(money(f.price, cur), "Prix des parcours"), (money(f.subsidy, cur), "Subvention publique"),
             (money(f.received, cur), "Participation reçue"), (money(f.outstanding, cur), "Reste à recevoir")]
    tile_html = "".join(f"<div class='tile'><strong>{esc(v)}</strong><span>{esc(c)}</span></div>"
                        for v, c in tiles)
    c, q = o.complaints, o.queue
    month = f"{o.today:%m/%Y}"
    unpriced = (f"<p class='sub late'>{f.unpriced} inscription(s) d'un parcours sans tarif dans "
                "programme_ops.toml.</p>" if f.unpriced else "")
    return "".join([
        f"<style>{STYLE}</style>",
        "<section id='financing'><h2>Financement des accompagnements</h2>",
        f"<p class='sub'>Par inscription : prix du parcours = participation de l'entreprise + subvention "
        f"publique (tarifs de programme_ops.toml, en {esc(cur)}). {f.paid} participation(s) réglée(s) "
        f"sur {f.enrolments}.</p>", unpriced, f"<div class='tiles'>{tile_html}</div>",
        "<h2 style='margin-top:14px'>Par région</h2>",
        financing_table("financing-region", "Région", o.by_region, f, cur),
        "<h2 style='margin-top:14px'>Par conseiller</h2>",
        financing_table("financing-advisor", "Conseiller", o.by_advisor, f, cur),
        "<h2 style='margin-top:14px'>Par groupe</h2>",
        financing_table("financing-group", "Groupe", o.by_group, f, cur), "</section>",
        "<section id='complaints'><h2>Réclamations et satisfaction : objectifs et réalisé</h2>",
        f"<p class='sub'>{c.received} réclamation(s) pour {o.enrolments} inscription(s), dont {c.open} "
        f"en cours (la plus ancienne : {days(c.oldest_open_days)}). Délai de traitement médian : "
        f"{days(c.handling_median)}. {o.satisfaction.answers} réponse(s) au questionnaire.</p>",
        quality_table(o), "<p class='sub'>Répartition des notes de satisfaction</p>", distribution(o),
        "</section>",
        f"<section id='capacity-section'><h2>Capacité des conseillers ({month})</h2>"
        "<p class='sub'>Demi-journées du mois : réalisées (jusqu'à aujourd'hui) et prévues, contre les "
        "demi-journées disponibles. Surcharge au-delà de 100 %.</p>",
        regions_load_table(regions_load),
        "<h2 style='margin-top:14px'>Par conseiller</h2>", capacity_table(o), "</section>",
        "<section id='queue'><h2>File d'attente</h2>",
        f"<p class='sub'>Entreprises inscrites qui attendent un groupe : <strong id='queue-count'>"
        f"{q.waiting}</strong>. Ancienneté de l'attente : médiane {days(q.median_days)}, 85e centile "
        f"{days(q.p85_days)}, la plus ancienne {days(q.oldest_days)}.</p></section>",
    ])
