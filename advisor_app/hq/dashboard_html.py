"""HTML of HQ's dashboard (French only): figures per region and per agency, then the
indicators of the chosen perimeter (everything, a region or an agency): targets against
actuals, the pipeline stage by stage, weekly completions, the cumulative flow diagram and
the groups. Everything shown is escaped (names come from laptops)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from advisor_app.hq.dashboard_svg import cumulative_flow_svg, weekly_bars_svg
from advisor_app.services.indicators import Indicators
from advisor_app.services.targets import TargetLine

if TYPE_CHECKING:
    from advisor_app.hq.dashboard_ops_html import RegionLoad
    from advisor_app.services.ops_facts import Operations

STYLE = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; background: #f3f5f7; color: #1d2b36; margin: 0; }
header { background: #1f5f7a; color: #fff; padding: 12px 28px; display: flex; align-items: center; }
header h1 { font-size: 19px; margin: 0; flex: 1; }
header form { margin: 0 0 0 16px; }
header button { background: transparent; color: #fff; border: 1px solid #fff; border-radius: 4px;
                padding: 4px 10px; cursor: pointer; }
main { max-width: 1100px; margin: 20px auto; padding: 0 20px; }
section { background: #fff; border-radius: 8px; padding: 16px 22px; margin-bottom: 18px;
          box-shadow: 0 1px 4px rgba(0,0,0,.12); }
h2 { font-size: 16px; margin: 0 0 10px; color: #1f5f7a; }
p.sub { color: #5b6770; margin: 4px 0 12px; font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th { text-align: left; color: #5b6770; font-weight: normal; border-bottom: 1px solid #dde3e8;
     padding: 5px 8px; }
td { padding: 5px 8px; border-bottom: 1px solid #eef1f4; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; }
.late { color: #b3261e; font-weight: bold; }
.good { color: #1b6b33; }
form.filter { display: flex; gap: 12px; align-items: end; flex-wrap: wrap; }
form.filter label { font-size: 13px; color: #5b6770; display: flex; flex-direction: column; gap: 3px; }
select, input { font: inherit; padding: 4px 6px; box-sizing: border-box; }
button.go { background: #1f5f7a; color: #fff; border: 0; border-radius: 4px; padding: 6px 14px; }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; }
.tile { border: 1px solid #dde3e8; border-radius: 6px; padding: 10px 12px; }
.tile strong { display: block; font-size: 22px; }
.tile span { color: #5b6770; font-size: 12px; }
.bar { background: #e6edf2; border-radius: 3px; height: 10px; width: 120px; display: inline-block; }
.bar i { background: #2e6f9e; display: block; height: 10px; border-radius: 3px; }
p.empty { color: #5b6770; }
"""


@dataclass(frozen=True)
class Row:
    """One line of the per-region / per-agency tables."""

    key: str  # query string value ("" for no link)
    param: str  # "region" or "agency"
    name: str
    figures: Indicators


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")
    return text


def pct(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}\u202f%"


def half(value: float) -> str:
    """Half-days: 3 -> "3", 1.5 -> "1,5"."""
    return num(value, 0 if value == round(value) else 1)


def percent(value: float | None) -> str:
    """A diagnostic score, 0-100."""
    return "—" if value is None else f"{num(value)}\u202f%"


def gain(value: float | None) -> str:
    """Points gained from the initial to the final diagnostic."""
    return "—" if value is None else f"{'+' if value >= 0 else '−'}{num(abs(value))} pts"


def days(value: float | None) -> str:
    return "—" if value is None else f"{num(value, 1)}\u202fj"


def _summary_cells(f: Indicators) -> str:
    cells = [num(len(f.companies)), num(f.wip), days(f.total_lead.median), days(f.total_lead.p85),
             num(f.completed_in_weeks), num(f.overdue_actions), pct(f.attendance_rate),
             f"{half(f.half_days_used)} / {half(f.half_days_budget)}", gain(f.diagnostic_gain)]
    return "".join(f"<td class='n'>{esc(c)}</td>" for c in cells)


SUMMARY_HEADINGS = ("Entreprises", "En cours", "Délai total médian", "Délai total 85e centile",
                    "Terminées (12 sem.)", "Actions en retard", "Assiduité",
                    "Demi-journées utilisées / budget", "Progrès au diagnostic")


def summary_table(table_id: str, first: str, rows: Sequence[Row], total: Indicators) -> str:
    head = "".join(f"<th class='n'>{esc(h)}</th>" for h in SUMMARY_HEADINGS)
    parts = [f"<table id='{table_id}'><thead><tr><th>{esc(first)}</th>{head}</tr></thead><tbody>"]
    for row in rows:
        name = (f"<a href='?{row.param}={esc(row.key)}'>{esc(row.name)}</a>" if row.key else esc(row.name))
        parts.append(f"<tr data-key='{esc(row.key)}'><td>{name}</td>{_summary_cells(row.figures)}</tr>")
    parts.append(f"<tr class='total'><td>Total</td>{_summary_cells(total)}</tr></tbody></table>")
    return "".join(parts)


TARGET_LABELS = {"enrolments": "Entreprises inscrites", "completions": "Accompagnements terminés",
                 "attendance_rate": "Assiduité"}


def targets_table(lines: Sequence[TargetLine], year: int) -> str:
    parts = ["<table id='targets'><thead><tr><th>Indicateur</th><th class='n'>Objectif</th>"
             "<th class='n'>Réalisé</th><th>Atteinte</th></tr></thead><tbody>"]
    for line in lines:
        is_rate = line.key == "attendance_rate"
        target = pct(line.target) if is_rate else num(line.target)
        actual = pct(line.actual) if is_rate else num(line.actual)
        ratio = line.ratio
        bar = ("—" if ratio is None else
               f"<span class='bar'><i style='width:{min(100, round(ratio * 100))}%'></i></span> {pct(ratio)}")
        parts.append(f"<tr data-key='{line.key}'><td>{esc(TARGET_LABELS[line.key])} ({year})</td>"
                     f"<td class='n'>{esc(target)}</td><td class='n'>{esc(actual)}</td><td>{bar}</td></tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def stages_table(f: Indicators) -> str:
    parts = ["<table id='stages'><thead><tr><th>Étape</th><th class='n'>Entreprises</th>"
             "<th class='n'>Âge médian</th><th class='n'>Âge 85e centile</th>"
             "<th class='n'>Délai médian</th><th class='n'>Délai 85e centile</th>"
             "<th class='n'>Passages mesurés</th></tr></thead><tbody>"]
    for s in f.stages:
        parts.append(f"<tr data-stage='{s.stage}'><td>{esc(s.label)}</td><td class='n'>{num(s.wip)}</td>"
                     f"<td class='n'>{days(s.age.median)}</td><td class='n'>{days(s.age.p85)}</td>"
                     f"<td class='n'>{days(s.lead.median)}</td><td class='n'>{days(s.lead.p85)}</td>"
                     f"<td class='n'>{num(s.lead.count) if s.lead.count else '—'}</td></tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def groups_table(f: Indicators) -> str:
    if not f.groups:
        return "<p class='empty'>Aucun groupe actif.</p>"
    parts = ["<table id='groups'><thead><tr><th>Groupe</th><th class='n'>Membres</th>"
             "<th class='n'>Assiduité</th><th class='n'>Demi-journées</th>"
             "<th class='n'>Diagnostic initial</th>"
             "<th class='n'>Diagnostic final</th><th class='n'>Progrès</th></tr></thead><tbody>"]
    for g in f.groups:
        gain_text = gain(None if g.initial_percent is None or g.final_percent is None
                         else g.final_percent - g.initial_percent)
        parts.append(f"<tr><td>{esc(g.name)}</td><td class='n'>{g.members}</td>"
                     f"<td class='n'>{pct(g.attendance_rate)}</td>"
                     f"<td class='n'>{half(g.half_days_used)} / {half(g.half_days_budget)}</td>"
                     f"<td class='n'>{percent(g.initial_percent)}</td>"
                     f"<td class='n'>{percent(g.final_percent)}</td>"
                     f"<td class='n'>{esc(gain_text)}</td></tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _select(name: str, label: str, choices: Sequence[Choice], current: str) -> str:
    options = ["<option value=''>Toutes</option>"] + [
        f"<option value='{esc(c.value)}'{' selected' if c.value == current else ''}>{esc(c.label)}</option>"
        for c in choices]
    return f"<label>{esc(label)}<select name='{name}' id='{name}'>{''.join(options)}</select></label>"


@dataclass(frozen=True)
class Page:
    staff_name: str
    perimeter: str  # "Tout le programme", "Région ...", "Agence ..."
    regions: Sequence[Choice]
    agencies: Sequence[Choice]
    region: str
    agency: str
    by_region: Sequence[Row]
    by_agency: Sequence[Row]
    total: Indicators
    chosen: Indicators
    targets: Sequence[TargetLine]
    year: int
    operations: Operations | None = None  # None: programme_ops.toml could not be read
    regions_load: Sequence[RegionLoad] = ()
    operations_error: str = ""


def _operations_html(page: Page) -> str:
    # imported here: the operations sections reuse this module's formatting helpers
    from advisor_app.hq.dashboard_ops_html import render_operations

    if page.operations is None:
        return (f"<section id='financing'><h2>Exploitation du programme</h2><p class='late'>"
                f"{esc(page.operations_error)}</p></section>")
    return render_operations(page.operations, page.regions_load)


def render_dashboard(page: Page) -> str:
    f = page.chosen
    tiles = [(num(len(f.companies)), "Entreprises"), (num(f.wip), "Accompagnements en cours"),
             (num(f.completed_in_weeks), "Terminés sur 12 semaines"),
             (num(f.overdue_actions), "Actions en retard"), (pct(f.attendance_rate), "Assiduité"),
             (f"{half(f.half_days_used)} / {half(f.half_days_budget)}", "Demi-journées utilisées / budget"),
             (days(f.total_lead.median), "Délai total médian"),
             (days(f.total_lead.p85), "Délai total 85e centile")]
    tile_html = "".join(f"<div class='tile'><strong>{esc(v)}</strong><span>{esc(c)}</span></div>"
                        for v, c in tiles)
    return "".join([
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>Tableau de bord du siège — {esc(page.perimeter)}</title><style>{STYLE}</style></head><body>",
        "<header><h1>Mowakaba — tableau de bord du siège</h1>",
        f"<span id='who'>{esc(page.staff_name)}</span>",
        "<form method='post' action='/deconnexion'><button type='submit' id='logout'>Se déconnecter</button>"
        "</form></header><main>",
        "<section><form class='filter' method='get' action='/tableau-de-bord'>",
        _select("region", "Région", page.regions, page.region),
        _select("agency", "Agence", page.agencies, page.agency),
        "<button class='go' type='submit'>Afficher</button></form>",
        f"<p class='sub'>Situation au {f.today:%d/%m/%Y}, d'après les données synchronisées au siège. "
        "Délais en jours : médiane et 85e centile (interpolation linéaire), jamais de moyenne.</p></section>",
        f"<section id='perimeter'><h2>{esc(page.perimeter)}</h2>",
        f"<div class='tiles'>{tile_html}</div></section>",
        f"<section><h2>Objectifs et réalisé {page.year}</h2>", targets_table(page.targets, page.year),
        "</section>",
        "<section><h2>Étapes : travail en cours et délais</h2>"
        "<p class='sub'>Âge : depuis l'entrée dans l'étape, des entreprises qui y sont. Délai : durée des "
        "passages terminés dans l'étape.</p>", stages_table(f), "</section>",
        "<section><h2>Diagramme de flux cumulé (12 semaines)</h2>"
        "<p class='sub'>Entreprises dans chaque étape à la fin de chaque semaine.</p>",
        cumulative_flow_svg(f.flow), "</section>",
        "<section><h2>Accompagnements terminés par semaine</h2>", weekly_bars_svg(f.weeks), "</section>",
        "<section><h2>Groupes : assiduité, demi-journées et progrès au diagnostic</h2>", groups_table(f),
        "</section>", _operations_html(page),
        "<section><h2>Par région</h2>",
        summary_table("by-region", "Région", page.by_region, page.total), "</section>",
        "<section><h2>Par agence</h2><p class='sub'>Agence du conseiller qui suit l'entreprise.</p>",
        summary_table("by-agency", "Agence", page.by_agency, page.total), "</section>",
        "</main></body></html>",
    ])


def render_login(message: str = "", email: str = "", next_path: str = "") -> str:
    error = f"<p id='error' class='late' role='alert'>{esc(message)}</p>" if message else ""
    return "".join([
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>Connexion — tableau de bord du siège</title><style>{STYLE}</style></head><body>",
        "<main style='max-width:420px'><section><h2>Tableau de bord du siège</h2>",
        "<p class='sub'>Réservé au personnel du siège.</p>", error,
        "<form method='post' action='/connexion' id='login'>",
        f"<input type='hidden' name='suite' value='{esc(next_path)}'>",
        "<p><label>Adresse e-mail<br><input type='email' name='email' id='email' required "
        f"autocomplete='username' value='{esc(email)}' style='width:100%'></label></p>",
        "<p><label>Mot de passe<br><input type='password' name='password' id='password' required "
        "autocomplete='current-password' style='width:100%'></label></p>",
        "<p><button class='go' type='submit' id='submit'>Se connecter</button></p></form>",
        "</section></main></body></html>",
    ])
