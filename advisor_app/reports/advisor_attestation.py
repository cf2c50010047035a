"""The "Attestation de formation" (شهادة التكوين) HQ issues to an advisor, A4 landscape:
the second certificate template. French text, the advisor's Arabic name and the Arabic
title shaped and right to left, the training followed, the region, place and date, the
programme manager's signature block, the number and the QR code of HQ's verification URL.
Same frame, fonts and QR drawing as the companies' certificates (``reports.certificate``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from advisor_app.reports.certificate import (
    ACCENT,
    MUTED,
    PAGE,
    _frame,
    _Writer,
    long_date,
    verification_block,
)
from advisor_app.reports.fonts import register

TITLE_AR = "شهادة التكوين"
SUBTITLE_AR = "تكوين المستشارين في المواكبة الجماعية"
PROGRAMME_AR = "برنامج مواكبة المقاولات الصغيرة جدا"


@dataclass(frozen=True)
class AttestationData:
    number: str
    beneficiary: str
    beneficiary_ar: str
    training: str
    region: str
    programme: str
    place: str
    issued_on: dt.date
    verify_url: str

    @classmethod
    def from_facts(cls, facts: dict[str, Any], verify_url: str) -> AttestationData:
        return cls(number=str(facts["number"]), beneficiary=str(facts["beneficiary"]),
                   beneficiary_ar=str(facts.get("beneficiary_ar", "")), training=str(facts["training"]),
                   region=str(facts.get("region", "")), programme=str(facts.get("programme", "")),
                   place=str(facts.get("place", "")), issued_on=dt.date.fromisoformat(facts["issued_on"]),
                   verify_url=verify_url)


def _page(c: Canvas, d: AttestationData) -> None:
    w, h = PAGE
    out = _Writer(c)
    _frame(c)
    top = h - 24 * mm
    out.fitted(d.programme, 20 * mm, top, 9, w / 2 - 30 * mm, align="left", color=MUTED)
    out.fitted(PROGRAMME_AR, w - 20 * mm, top, 10, w / 2 - 30 * mm, align="right", color=MUTED)
    y = out.centred("ATTESTATION DE FORMATION", h - 39 * mm, 26, bold=True, color=ACCENT)
    out.fitted(TITLE_AR, w / 2, y - 4, 20, w - 80 * mm, bold=True, color=ACCENT)
    y -= 13 * mm
    y = out.centred("Le siège du programme atteste que", y, 11, color=MUTED)
    out.fitted(d.beneficiary, w / 2, y - 6, 20, w - 80 * mm, bold=True)
    y -= 6 + 10 * mm
    if d.beneficiary_ar:
        out.fitted(d.beneficiary_ar, w / 2, y, 16, w - 80 * mm, bold=True)
        y -= 9 * mm
    region = f" de la région {d.region}" if d.region else ""
    y = out.centred(f"conseiller(ère) du programme{region},", y, 12)
    y = out.centred(f"a suivi avec succès la formation « {d.training} ».", y - 2, 12.5, bold=True)
    out.fitted(SUBTITLE_AR, w / 2, y - 1, 11, w - 80 * mm, color=MUTED)
    y -= 8 * mm
    out.centred("Cette attestation l'habilite à animer des groupes d'entreprises dans les parcours "
                "d'accompagnement du programme.", y, 10.5, color=MUTED)
    base = 24 * mm
    out.fitted(f"Fait à {d.place or '—'}, le {long_date(d.issued_on)}", 22 * mm, base + 50 * mm, 10.5,
               110 * mm, align="left")
    out.fitted("Le responsable du programme", 22 * mm, base + 42 * mm, 10, 82 * mm, bold=True, align="left")
    c.setStrokeColor(MUTED)
    c.setLineWidth(0.5)
    c.line(22 * mm, base + 8 * mm, 100 * mm, base + 8 * mm)
    out.fitted("Signature et cachet", 22 * mm, base + 3 * mm, 7.5, 78 * mm, align="left", color=MUTED)
    verification_block(c, out, d.verify_url, d.number, w, base)


def render(data: AttestationData, target: Path | BinaryIO) -> None:
    register()
    c = Canvas(target if not isinstance(target, Path) else str(target), pagesize=PAGE,
               initialFontName=register()[0], pageCompression=1)
    c.setAuthor("Mowakaba")
    c.setCreator("Mowakaba")
    c.setTitle(f"Attestation de formation n° {data.number}")
    _page(c, data)
    c.showPage()
    c.save()
