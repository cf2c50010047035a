"""What the diagnostic report and the action plan share: styles, paragraphs with Arabic
shaped right to left, tables with a shaded heading, "page n / N" footers, numbers in French."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from advisor_app.i18n import tr
from advisor_app.reports.fonts import has_rtl, register, visual

MARGIN = 15 * mm
GRID = colors.HexColor("#8a949c")
HEAD_BACKGROUND = colors.HexColor("#e8eef3")
MUTED = colors.HexColor("#666666")
ALERT = colors.HexColor("#b3261e")
GAIN = colors.HexColor("#1e7b34")


def styles() -> dict[str, ParagraphStyle]:
    regular, bold = register()
    base = ParagraphStyle("base", fontName=regular, fontSize=9, leading=11.5)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=16, leading=20),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, leading=14),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=bold, fontSize=11.5, leading=14, spaceBefore=8, spaceAfter=4
        ),
        "h3": ParagraphStyle(
            "h3", parent=base, fontName=bold, fontSize=10, leading=12.5, spaceBefore=6, spaceAfter=2
        ),
        "key": ParagraphStyle("key", parent=base, fontName=bold),
        "cell": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "head": ParagraphStyle("head", parent=base, fontName=bold, fontSize=8, leading=10),
        "alert": ParagraphStyle("alert", parent=base, fontSize=8, leading=10, textColor=ALERT),
        "muted": ParagraphStyle("muted", parent=base, textColor=MUTED, fontSize=8, leading=10),
        "rtl": ParagraphStyle("rtl", parent=base, alignment=TA_RIGHT),
    }


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph; Arabic is shaped and put in visual order, an all-Arabic text right-aligned."""
    if has_rtl(text) and not any(ch.isascii() and ch.isalpha() for ch in text):
        style = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
    return Paragraph(escape(visual(text)).replace("\n", "<br/>"), style)


def num(value: float | None, digits: int = 0, suffix: str = "") -> str:
    """French number: comma for decimals, narrow no-break space for thousands; "—" for None."""
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")
    return text + suffix


def pct(value: float | None) -> str:
    return num(value, 0, "\u202f%")


def signed(value: float | None) -> str:
    """A change in points: "+12 pts", "−3 pts", "0 pt"."""
    if value is None:
        return "—"
    rounded = round(value)
    if rounded == 0:
        return tr("0 pt")
    sign = "+" if rounded > 0 else "\u2212"
    return tr("{sign}{n} pts").format(sign=sign, n=abs(rounded))


def grid_table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    extra: Sequence[tuple[Any, ...]] = (),
    repeat: bool = True,
) -> Table:
    table = Table(
        [list(r) for r in rows], colWidths=list(widths), repeatRows=1 if repeat else 0, hAlign="LEFT"
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), register()[0], 8.5),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_BACKGROUND),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                *extra,
            ]
        )
    )
    return table


def facts_table(facts: Sequence[tuple[str, str]], width: float, st: dict[str, ParagraphStyle]) -> Table:
    table = Table(
        [[para(k, st["key"]), para(v or "—", st["cell"])] for k, v in facts],
        colWidths=[38 * mm, width - 38 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
    """Draws "footer — page n / N" once the number of pages is known (a subclass sets
    ``footer``, and ``margin`` if its pages have another)."""

    footer = ""
    margin = MARGIN

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(register()[0], 7.5)
            self.setFillColor(MUTED)
            text = tr("{footer} — page {page} / {pages}").format(
                footer=self.footer, page=self._pageNumber, pages=total
            )
            self.drawRightString(A4[0] - self.margin, self.margin / 2, visual(text))
            super().showPage()
        super().save()


def build(path: Path, story: list[Flowable], *, title: str, footer: str) -> None:
    regular, _ = register()
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=visual(title),
        author="Mowakaba",
        creator="Mowakaba",
        initialFontName=regular,
    )
    canvas = type("ReportCanvas", (NumberedCanvas,), {"footer": footer})
    doc.build(story, canvasmaker=canvas)


WIDTH = A4[0] - 2 * MARGIN
