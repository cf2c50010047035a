"""The public page a certificate's QR code opens: ``GET /verify/{code}``, in French, no
login. It says whether the certificate is authentic, revoked, replaced or unknown, with its
key facts. Everything shown is escaped (facts come from laptops); the page loads nothing
from elsewhere (no script, inline style only) and is never cached by a proxy."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.

import datetime as dt
import html

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from advisor_app.hq import advisor_attestations, certificates
from advisor_app.hq.certificates import Verdict, Verification
from advisor_app.hq.db import HqDatabase

COLORS = {Verdict.VALID: ("#e7f4ea", "#1b6b33"), Verdict.REVOKED: ("#fbe9e7", "#b3261e"),
          Verdict.REPLACED: ("#fff4e0", "#8a5a00"), Verdict.UNKNOWN: ("#fbe9e7", "#b3261e")}
EXPLANATIONS = {
    Verdict.VALID: "Cette attestation a bien été délivrée par un conseiller du programme : "
                   "sa signature électronique est authentique.",
    Verdict.REVOKED: "Cette attestation a été délivrée puis révoquée par le siège : elle n'est plus valable.",
    Verdict.REPLACED: "Cette attestation a été remplacée par une nouvelle attestation : seule la plus "
                      "récente est valable.",
    Verdict.UNKNOWN: "Ce code ne correspond à aucune attestation délivrée par un conseiller du programme : "
                     "il est incomplet, a été modifié ou est contrefait.",
}
HQ_VALID = ("Cette attestation de formation a bien été délivrée par le siège du programme : sa signature "
            "électronique est authentique.")
HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex",
           "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}
STYLE = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; background: #f3f5f7; color: #1d2b36; margin: 0; }
main { max-width: 720px; margin: 32px auto; background: #fff; border-radius: 8px; padding: 28px 32px;
       box-shadow: 0 1px 4px rgba(0,0,0,.12); }
h1 { font-size: 20px; margin: 0 0 4px; color: #1f5f7a; }
p.sub { color: #5b6770; margin: 0 0 20px; }
.verdict { border-radius: 6px; padding: 14px 18px; margin-bottom: 20px; }
.verdict strong { font-size: 22px; display: block; margin-bottom: 4px; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; color: #5b6770; font-weight: normal; padding: 6px 12px 6px 0; width: 32%;
     vertical-align: top; }
td { padding: 6px 0; }
td.ar { direction: rtl; text-align: left; unicode-bidi: isolate; }
p.note { color: #5b6770; font-size: 13px; margin-top: 18px; }
"""


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return f"{dt.date.fromisoformat(value):%d/%m/%Y}"
    except ValueError:
        return value


def _rows(result: Verification) -> list[tuple[str, str, bool]]:
    """(heading, value, right-to-left) of the key facts."""
    f = result.facts
    rows: list[tuple[str, str, bool]] = [
        ("Numéro", result.number, False),
        ("Bénéficiaire", str(f.get("beneficiary") or result.beneficiary), False),
    ]
    if f.get("beneficiary_ar"):
        rows.append(("Nom en arabe", str(f["beneficiary_ar"]), True))
    if f.get("company"):
        company = str(f["company"]) + (f" — ICE {f['ice']}" if f.get("ice") else "")
        rows.append(("Entreprise", company, False))
    if f.get("training"):
        rows.append(("Formation", str(f["training"]), False))
        rows.append(("Délivrée par", "Le siège du programme", False))
    if f.get("track"):
        rows.append(("Parcours", str(f["track"]), False))
    if f.get("group"):
        rows.append(("Groupe", f"{f['group']} ({f.get('region', '')})", False))
    if f.get("period_start"):
        rows.append(("Période", f"du {_date(f['period_start'])} au {_date(f.get('period_end'))}", False))
    if f.get("half_days") is not None and f.get("half_days_planned"):
        half = f"{float(f['half_days']):g} sur {float(f['half_days_planned']):g}".replace(".", ",")
        rows.append(("Demi-journées suivies", half, False))
    if result.issued_on is not None:
        rows.append(("Délivrée le", f"{result.issued_on:%d/%m/%Y}", False))
    if result.advisor:
        rows.append(("Conseiller", result.advisor, False))
    if result.verdict == Verdict.REVOKED:
        when = f"{result.revoked_at:%d/%m/%Y}" if result.revoked_at else ""
        rows.append(("Révoquée le", when, False))
        rows.append(("Motif", result.reason, False))
    if result.verdict == Verdict.REPLACED:
        rows.append(("Remplacée par", result.replaced_by, False))
    return rows


def _explanation(result: Verification) -> str:
    if result.verdict == Verdict.VALID and result.facts.get("kind") == advisor_attestations.KIND:
        return HQ_VALID
    return EXPLANATIONS[result.verdict]


def render_page(result: Verification) -> str:
    esc = html.escape
    background, ink = COLORS[result.verdict]
    label = certificates.VERDICT_LABELS[result.verdict]
    parts = [
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<meta name='robots' content='noindex'>",
        f"<title>{esc(label)} — Vérification des attestations</title><style>{STYLE}</style></head><body>",
        "<main><h1>Vérification d'une attestation de participation</h1>",
        "<p class='sub'>Programme d'accompagnement — service de vérification du siège</p>",
        f"<div class='verdict' id='verdict' data-verdict='{result.verdict.value}' "
        f"style='background:{background};border-left:6px solid {ink}'>",
        f"<strong style='color:{ink}'>{esc(label)}</strong>{esc(_explanation(result))}</div>",
    ]
    if result.verdict != Verdict.UNKNOWN:
        parts.append("<table id='facts'>")
        for heading, value, rtl in _rows(result):
            cell = "<td class='ar' dir='rtl' lang='ar'>" if rtl else "<td>"
            parts.append(f"<tr><th>{esc(heading)}</th>{cell}{esc(value)}</td></tr>")
        parts.append("</table>")
        if not result.synced:
            parts.append("<p class='note'>La signature est vérifiée. Le détail de cette attestation "
                         "n'est pas encore parvenu au siège : l'ordinateur du conseiller ne s'est pas "
                         "encore synchronisé depuis sa délivrance.</p>")
    parts.append("</main></body></html>")
    return "".join(parts)


def router(db: HqDatabase) -> APIRouter:
    routes = APIRouter(tags=["vérification"])

    @routes.get("/verify/{code}", response_class=HTMLResponse, include_in_schema=True,
                summary="Page publique de vérification d'une attestation")
    def verify_page(code: str) -> HTMLResponse:
        with db.read() as session:
            result = certificates.verify(session, code)
        status = 404 if result.verdict == Verdict.UNKNOWN else 200
        return HTMLResponse(render_page(result), status_code=status, headers=HEADERS)

    return routes
