"""The printed attendance sheet (feuille d'émargement) of a session, A4 portrait.

Heading: programme, group (or visited company), module title, kind, date, hours and
half-days, place, facilitator(s). Then one line per participant: company, name, Arabic name
(right to left), arrival time when late, and a signature box per half-day (one box for a
session shorter than a half-day). A box holds the recorded absence ("Absent(e)",
"Excusé(e)") when there is one, so a sheet printed after the session reads as recorded. A few
blank lines follow for people who were not expected, then the facilitator's signature.
Every page repeats the column headings and says "page n / N".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from advisor_app.domain.budget import format_half_days
from advisor_app.i18n import tr
from advisor_app.reports.common import NumberedCanvas
from advisor_app.reports.fonts import register, visual

MARGIN = 14 * mm
ROW_HEIGHT = 12 * mm  # room to sign
NAME_SIZE = 9.0
MIN_NAME_SIZE = 6.0
GRID = colors.HexColor("#555555")
HEAD_BACKGROUND = colors.HexColor("#e8eef3")
MUTED = colors.HexColor("#666666")


@dataclass(frozen=True)
class SheetLine:
    company: str
    name: str
    name_ar: str = ""
    arrived_at: str = ""  # "09:40" when late
    absence: str = ""  # "Absent(e)" / "Excusé(e)" printed in the boxes; "" for boxes to sign


@dataclass(frozen=True)
class SheetData:
    title: str  # the module
    kind_label: str
    programme: str  # the track
    for_whom: str  # the group, or the visited company
    held_on: dt.date
    starts_at: dt.time
    ends_at: dt.time
    half_days: float
    place: str
    facilitators: str
    lines: list[SheetLine] = field(default_factory=list)
    blank_lines: int = 3


def signature_headings(half_days: float) -> list[str]:
    """One box per half-day, at least one."""
    count = max(1, int(half_days))
    if count == 1:
        return [tr("Signature")]
    return [tr("Signature demi-journée {n}").format(n=n) for n in range(1, count + 1)]


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=regular, fontSize=9, leading=11)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=16, leading=20),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, leading=14),
        "key": ParagraphStyle("key", parent=base, fontName=bold),
        "cell": base,
        "head": ParagraphStyle("head", parent=base, fontName=bold, fontSize=8, leading=10),
        "head_rtl": ParagraphStyle("head_rtl", parent=base, fontName=bold, fontSize=8, leading=10,
                                   alignment=TA_RIGHT),
        "muted": ParagraphStyle("muted", parent=base, textColor=MUTED, fontSize=8, leading=10),
        "rtl": ParagraphStyle("rtl", parent=base, alignment=TA_RIGHT),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(visual(text)).replace("\n", "<br/>"), style)


def _fitted(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """One line, the font made smaller when it would not fit: a wrapped right-to-left name
    would come out with its lines in the wrong order."""
    drawn = visual(text)
    size = style.fontSize
    needed = stringWidth(drawn, style.fontName, size)
    if needed > width:
        size = max(MIN_NAME_SIZE, size * width / needed)
    fitted = ParagraphStyle(f"{style.name}-{size:.2f}", parent=style, fontSize=size, leading=size + 2)
    return Paragraph(escape(drawn), fitted)


def _hours(data: SheetData) -> str:
    half_days = format_half_days(data.half_days)
    count = (tr("{count} demi-journées") if data.half_days >= 2 else tr("{count} demi-journée")).format(
        count=half_days)
    return tr("{start} – {end} ({half_days})").format(
        start=f"{data.starts_at:%H:%M}", end=f"{data.ends_at:%H:%M}", half_days=count)


def _heading(data: SheetData, st: dict[str, ParagraphStyle], width: float) -> list[Any]:
    facts = [
        (tr("Module"), data.title), (tr("Type de séance"), data.kind_label),
        (tr("Date"), f"{data.held_on:%d/%m/%Y}"), (tr("Horaire"), _hours(data)),
        (tr("Lieu"), data.place or "—"), (tr("Animateur(s)"), data.facilitators or "—"),
    ]
    table = Table([[_p(k, st["key"]), _p(v, st["cell"])] for k, v in facts],
                  colWidths=[32 * mm, width - 32 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), st["cell"].fontName, 9),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                               ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    subtitle = " — ".join(part for part in (data.programme, data.for_whom) if part)
    return [_p(tr("Feuille d'émargement"), st["title"]), _p(subtitle, st["subtitle"]),
            Spacer(1, 3 * mm), table, Spacer(1, 4 * mm)]


def _grid(data: SheetData, st: dict[str, ParagraphStyle], width: float) -> Table:
    boxes = signature_headings(data.half_days)
    fixed = [8 * mm, 36 * mm, 38 * mm, 32 * mm, 15 * mm]
    box = (width - sum(fixed)) / len(boxes)
    widths = [*fixed, *([box] * len(boxes))]
    headings = [tr("N°"), tr("Entreprise"), tr("Nom et prénom"), "الاسم", tr("Arrivée"), *boxes]
    rows: list[list[Any]] = [[_p(h, st["head_rtl"] if column == 3 else st["head"])
                              for column, h in enumerate(headings)]]
    pad = 6  # cell padding, both sides
    for number, line in enumerate(data.lines, start=1):
        signature: Any = _p(line.absence, st["muted"]) if line.absence else ""
        rows.append([str(number), _p(line.company, st["cell"]), _p(line.name, st["cell"]),
                     _fitted(line.name_ar, st["rtl"], widths[3] - pad) if line.name_ar else "",
                     line.arrived_at, *([signature] * len(boxes))])
    for number in range(len(data.lines) + 1, len(data.lines) + 1 + data.blank_lines):
        rows.append([str(number), "", "", "", "", *([""] * len(boxes))])
    table = Table(rows, colWidths=widths, rowHeights=[None, *([ROW_HEIGHT] * (len(rows) - 1))],
                  repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), st["cell"].fontName, 9),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BACKGROUND),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("ALIGN", (4, 1), (4, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad / 2), ("RIGHTPADDING", (0, 0), (-1, -1), pad / 2),
    ]))
    return table


def _closing(st: dict[str, ParagraphStyle], width: float) -> Any:
    box = Table([[_p(tr("Signature de l'animateur"), st["key"]), ""]],
                colWidths=[width - 70 * mm, 70 * mm], rowHeights=[18 * mm])
    box.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), st["cell"].fontName, 9),
                             ("BOX", (1, 0), (1, 0), 0.5, GRID), ("ALIGN", (0, 0), (0, 0), "RIGHT"),
                             ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return KeepTogether([Spacer(1, 6 * mm), box])


def render(data: SheetData, path: Path) -> None:
    """Writes the sheet to the PDF file ``path``."""
    regular, bold = register()
    st = _styles(regular, bold)
    width = A4[0] - 2 * MARGIN
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN,
                            title=tr("Feuille d'émargement — {title}").format(title=data.title),
                            author="Mowakaba", creator="Mowakaba",
                            initialFontName=regular)  # no stray Helvetica in the file
    footer = tr("Feuille d'émargement — {title} — {date}").format(
        title=data.title, date=f"{data.held_on:%d/%m/%Y}")
    canvas = type("SheetCanvas", (NumberedCanvas,), {"footer": footer, "margin": MARGIN})
    doc.build([*_heading(data, st, width), _grid(data, st, width), _closing(st, width)],
              canvasmaker=canvas)
