"""The "Attestation de participation" (شهادة المشاركة), A4 landscape, one page per
certificate: French text, the beneficiary's Arabic name and the Arabic title shaped and
right to left, the company, track, group, region, period, half-days and attendance, the
themes worked on, place and date, two signature blocks, the certificate number and a QR
code holding HQ's verification URL (a signed code, see ``sync.device_key``).

Drawn straight on the canvas (no flowables): a group's certificates come out in a blink,
and the layout of a certificate must not move with its content anyway."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from advisor_app.reports.fonts import register, visual
from advisor_app.reports.qr import draw_qr

PAGE = landscape(A4)
INK = colors.HexColor("#1d2b36")
ACCENT = colors.HexColor("#1f5f7a")
MUTED = colors.HexColor("#5b6770")
TITLE_AR = "شهادة المشاركة"
CLOSING_BASE = 24 * mm
PLACE_DATE_Y = CLOSING_BASE + 50 * mm  # "Fait à ..., le ..."
BODY_BOTTOM = PLACE_DATE_Y + 6 * mm  # the body's last baseline stays above it
THEME_LEADING = 13.0
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


@dataclass(frozen=True)
class CertificateData:
    number: str
    beneficiary: str
    beneficiary_ar: str
    gender: str  # "F" / "M" / ""
    job_title: str
    company: str
    ice: str
    legal_form: str
    programme: str
    programme_ar: str
    track: str
    track_ar: str
    group: str
    region: str
    period_start: dt.date
    period_end: dt.date
    half_days: float
    half_days_planned: float
    attendance_rate: float | None
    sessions_attended: int
    sessions_expected: int
    place: str
    issued_on: dt.date
    advisor: str
    advisor_title: str
    manager_title: str
    verify_url: str
    supersedes: str = ""
    themes: list[str] = field(default_factory=list)

    @classmethod
    def from_facts(cls, facts: dict[str, Any], verify_url: str) -> CertificateData:
        """From the facts frozen in a certificate row."""
        day = dt.date.fromisoformat
        rate = facts.get("attendance_rate")
        return cls(
            number=str(facts["number"]), beneficiary=str(facts["beneficiary"]),
            beneficiary_ar=str(facts.get("beneficiary_ar", "")), gender=str(facts.get("gender", "")),
            job_title=str(facts.get("job_title", "")), company=str(facts["company"]),
            ice=str(facts.get("ice", "")), legal_form=str(facts.get("legal_form", "")),
            programme=str(facts.get("programme", "")), programme_ar=str(facts.get("programme_ar", "")),
            track=str(facts["track"]), track_ar=str(facts.get("track_ar", "")), group=str(facts["group"]),
            region=str(facts.get("region", "")), period_start=day(facts["period_start"]),
            period_end=day(facts["period_end"]), half_days=float(facts.get("half_days", 0)),
            half_days_planned=float(facts.get("half_days_planned", 0)),
            attendance_rate=float(rate) if rate is not None else None,
            sessions_attended=int(facts.get("sessions_attended", 0)),
            sessions_expected=int(facts.get("sessions_expected", 0)), place=str(facts.get("place", "")),
            issued_on=day(facts["issued_on"]), advisor=str(facts.get("advisor", "")),
            advisor_title=str(facts.get("advisor_title", "Le conseiller")),
            manager_title=str(facts.get("manager_title", "Le responsable du programme")),
            verify_url=verify_url, supersedes=str(facts.get("supersedes", "")),
            themes=[str(t) for t in facts.get("themes", [])])


def long_date(day: dt.date) -> str:
    """12 mars 2026; 1er mars 2026."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def _number(value: float) -> str:
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _civility(gender: str) -> str:
    return {"F": "Madame", "M": "Monsieur"}.get(gender.upper(), "")


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of at most ``width``, broken at plain spaces only: a no-break space (before a
    French ";" or ":") keeps its neighbours together."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


class _Writer:
    def __init__(self, canvas: Canvas) -> None:
        self.c = canvas
        self.regular, self.bold = register()

    def centred(self, text: str, y: float, size: float, *, bold: bool = False,
                color: Any = INK, width: float = PAGE[0] - 60 * mm, leading: float = 0,
                max_lines: int = 0) -> float:
        """Draws ``text`` centred, wrapped to ``width`` (at most ``max_lines`` lines, the
        last one cut with "…", when given); returns the y below it."""
        font = self.bold if bold else self.regular
        self.c.setFont(font, size)
        self.c.setFillColor(color)
        lines = _wrap(text, font, size, width)
        if max_lines and len(lines) > max_lines:
            lines = lines[:max_lines]
            last = lines[-1]
            while last and stringWidth(last + " …", font, size) > width:
                last = last[:-1]
            lines[-1] = last.rstrip(" ;,") + " …"
        for line in lines:
            self.c.drawCentredString(PAGE[0] / 2, y, visual(line))
            y -= leading or size * 1.35
        return y

    def fitted(self, text: str, x: float, y: float, size: float, width: float, *,
               bold: bool = False, align: str = "centre", color: Any = INK) -> None:
        """One line (right-to-left text must not wrap), smaller when it would not fit."""
        font = self.bold if bold else self.regular
        drawn = visual(text)
        needed = stringWidth(drawn, font, size)
        if needed > width:
            size = max(6.0, size * width / needed)
        self.c.setFont(font, size)
        self.c.setFillColor(color)
        if align == "centre":
            self.c.drawCentredString(x, y, drawn)
        elif align == "right":
            self.c.drawRightString(x, y, drawn)
        else:
            self.c.drawString(x, y, drawn)


def _frame(c: Canvas) -> None:
    w, h = PAGE
    c.setStrokeColor(ACCENT)
    c.setLineWidth(2.2)
    c.rect(10 * mm, 10 * mm, w - 20 * mm, h - 20 * mm)
    c.setLineWidth(0.6)
    c.rect(13 * mm, 13 * mm, w - 26 * mm, h - 26 * mm)


def _page(c: Canvas, d: CertificateData) -> None:
    w, h = PAGE
    out = _Writer(c)
    _frame(c)
    top = h - 24 * mm
    out.fitted(d.programme, 20 * mm, top, 9, w / 2 - 30 * mm, align="left", color=MUTED)
    out.fitted(d.programme_ar, w - 20 * mm, top, 10, w / 2 - 30 * mm, align="right", color=MUTED)
    y = out.centred("ATTESTATION DE PARTICIPATION", h - 39 * mm, 26, bold=True, color=ACCENT)
    out.fitted(TITLE_AR, w / 2, y - 4, 20, w - 80 * mm, bold=True, color=ACCENT)
    y -= 11 * mm
    y = out.centred("Nous soussignés attestons que", y, 11, color=MUTED)
    name = " ".join(part for part in (_civility(d.gender), d.beneficiary) if part)
    out.fitted(name, w / 2, y - 6, 20, w - 80 * mm, bold=True)
    y -= 6 + 10 * mm
    if d.beneficiary_ar:
        out.fitted(d.beneficiary_ar, w / 2, y, 16, w - 80 * mm, bold=True)
        y -= 9 * mm
    role = f"{d.job_title} de l'entreprise" if d.job_title else "de l'entreprise"
    company = ", ".join(part for part in (d.legal_form, f"ICE {d.ice}" if d.ice else "") if part)
    y = out.centred(f"{role} {d.company}" + (f" ({company})" if company else ""), y, 12, bold=True)
    programme = d.programme or "programme"
    if programme.startswith("Programme "):  # inside a sentence
        programme = "p" + programme[1:]
    y = out.centred(
        f"a participé au parcours « {d.track} » du {programme}, au sein du groupe "
        f"« {d.group} » (région {d.region}), du {long_date(d.period_start)} au {long_date(d.period_end)}.",
        y - 2, 11.5)
    if d.track_ar:
        out.fitted(d.track_ar, w / 2, y - 1, 11, w - 80 * mm, color=MUTED)
        y -= 6 * mm
    rate = (f" — assiduité : {round(d.attendance_rate * 100)} % ({d.sessions_attended} séance(s) sur "
            f"{d.sessions_expected})" if d.attendance_rate is not None else "")
    y = out.centred(f"Demi-journées suivies : {_number(d.half_days)} sur {_number(d.half_days_planned)}"
                    f"{rate}.", y - 2, 11)
    room = int((y - 1 - BODY_BOTTOM) // THEME_LEADING) + 1  # lines left above "Fait à"
    if d.themes and room > 0:
        # no-break space before ";" (French): a line never starts with it
        y = out.centred("Thèmes travaillés : " + "\u00a0; ".join(d.themes) + ".", y - 1, 10, color=MUTED,
                        leading=THEME_LEADING, max_lines=room)
    _closing(c, out, d)


def _closing(c: Canvas, out: _Writer, d: CertificateData) -> None:
    w = PAGE[0]
    base = CLOSING_BASE
    out.fitted(f"Fait à {d.place or '—'}, le {long_date(d.issued_on)}", 22 * mm, PLACE_DATE_Y, 10.5,
               110 * mm, align="left")
    blocks = ((22 * mm, d.advisor_title, d.advisor), (112 * mm, d.manager_title, ""))
    for x, title, who in blocks:
        out.fitted(title, x, base + 42 * mm, 10, 82 * mm, bold=True, align="left")
        if who:
            out.fitted(who, x, base + 37 * mm, 9.5, 82 * mm, align="left")
        c.setStrokeColor(MUTED)
        c.setLineWidth(0.5)
        c.line(x, base + 8 * mm, x + 78 * mm, base + 8 * mm)
        out.fitted("Signature et cachet", x, base + 3 * mm, 7.5, 78 * mm, align="left", color=MUTED)
    qr_x = verification_block(c, out, d.verify_url, d.number, w, base)
    if d.supersedes:
        out.fitted(f"Remplace l'attestation n° {d.supersedes}", qr_x - 4 * mm, base + 24 * mm, 8,
                   60 * mm, align="right", color=MUTED)


def verification_block(c: Canvas, out: _Writer, url: str, number: str, width: float, base: float) -> float:
    """The QR code of ``url`` at the bottom right, the number under it and how to verify;
    returns the QR's left edge (for text set beside it)."""
    size = 40 * mm
    qr_x: float = width - 24 * mm - size
    draw_qr(c, url, qr_x, base + 8 * mm, size)
    out.fitted(f"N° {number}", qr_x + size / 2, base + 3 * mm, 9, 70 * mm, bold=True)
    out.fitted("Vérifiez cette attestation en scannant le code", qr_x - 4 * mm, base + 34 * mm, 8,
               60 * mm, align="right", color=MUTED)
    out.fitted("ou sur le site de vérification du siège.", qr_x - 4 * mm, base + 30 * mm, 8,
               60 * mm, align="right", color=MUTED)
    return qr_x


def render(certificates: Iterable[CertificateData], target: Path | BinaryIO) -> int:
    """Writes one page per certificate to ``target`` (a path or a binary file); returns the
    number of pages."""
    register()
    c = Canvas(target if not isinstance(target, Path) else str(target), pagesize=PAGE,
               initialFontName=register()[0], pageCompression=1)
    c.setAuthor("Mowakaba")
    c.setCreator("Mowakaba")
    pages = 0
    for data in certificates:
        if not pages:
            c.setTitle(f"Attestation de participation n° {data.number}")
        _page(c, data)
        c.showPage()
        pages += 1
    c.save()
    return pages
