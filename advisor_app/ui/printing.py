"""Ctrl+P: what the current screen shows, as a printed A4 document (tables with a title and
the date), through the system print dialog or straight into a PDF file.

Screens describe what they print as plain data (``Printable``); this module lays it out."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from advisor_app.i18n import tr

STYLE = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; }
h1 { font-size: 14pt; margin-bottom: 2pt; }
h2 { font-size: 11pt; margin-top: 10pt; margin-bottom: 3pt; }
p.meta { color: #555555; font-size: 8pt; }
table { border-collapse: collapse; }
th { background-color: #e8eef3; text-align: left; padding: 3px; white-space: nowrap; }
td { padding: 3px; }
"""


@dataclass(frozen=True)
class Section:
    heading: str
    headers: list[str]
    rows: list[list[str]]
    rtl_columns: tuple[int, ...] = ()  # Arabic names
    alert_rows: frozenset[int] = frozenset()  # printed in red (late, overrun)


@dataclass(frozen=True)
class Printable:
    title: str
    sections: list[Section] = field(default_factory=list)
    note: str = ""  # under the title, e.g. "the first 1,000 of 100,000 companies"


def table_section(title: str, headers: list[str], rows: list[list[str]]) -> Printable:
    """A screen that is one table prints as one section under its title."""
    return Printable(title, [Section("", headers, rows)])


def to_html(printable: Printable, *, printed_on: dt.date | None = None) -> str:
    printed_on = printed_on or dt.date.today()
    esc = html.escape
    parts = [f"<html><head><style>{STYLE}</style></head><body>",
             f"<h1>{esc(printable.title)}</h1>",
             "<p class='meta'>" + esc(tr("Imprimé le {date} — Mowakaba").format(
                 date=printed_on.strftime("%d/%m/%Y"))) + "</p>"]
    if printable.note:
        parts.append(f"<p>{esc(printable.note)}</p>")
    for section in printable.sections:
        if section.heading:
            parts.append(f"<h2>{esc(section.heading)}</h2>")
        if not section.rows:
            parts.append(f"<p>{esc(tr('Rien à afficher.'))}</p>")
            continue
        parts.append("<table border='1' cellspacing='0' width='100%'><tr>")
        parts.extend(f"<th>{esc(h)}</th>" for h in section.headers)
        parts.append("</tr>")
        for r, row in enumerate(section.rows):
            color = " style='color:#b3261e'" if r in section.alert_rows else ""
            parts.append(f"<tr{color}>")
            parts.extend(
                f"<td dir='rtl' align='right'>{esc(cell)}</td>" if c in section.rtl_columns
                else f"<td>{esc(cell)}</td>"
                for c, cell in enumerate(row))
            parts.append("</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def _printer(printer: QPrinter) -> QPrinter:
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                      QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter))
    return printer


def _document(printable: Printable) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(to_html(printable))
    return document


def save_pdf(printable: Printable, path: Path) -> None:
    """Write ``printable`` to the PDF file ``path`` (A4 landscape)."""
    printer = _printer(QPrinter(QPrinter.PrinterMode.HighResolution))
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setDocName(printable.title)
    _document(printable).print_(printer)


def print_with_dialog(printable: Printable, parent: QWidget | None = None) -> bool:
    """The system print dialog (a printer, or a PDF file); False when the user cancels."""
    printer = _printer(QPrinter(QPrinter.PrinterMode.HighResolution))
    printer.setDocName(printable.title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr("Imprimer — {title}").format(title=printable.title))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    _document(printable).print_(printer)
    return True


PDF_PRINT_DPI = 300  # pages of a PDF file are rendered at most this fine for the printer


def paint_pdf(printer: QPrinter, path: Path) -> int:
    """Prints the pages of the PDF file ``path`` (a reportlab document) on ``printer``, each
    scaled to the page; returns the number of pages."""
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    if document.load(str(path)) != QPdfDocument.Error.None_:
        raise OSError(tr("Impossible de lire « {path} ».").format(path=path))
    painter = QPainter(printer)
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            area = QRectF(painter.viewport())
            scale = min(area.width() / points.width(), area.height() / points.height())
            target = QRectF(area.x(), area.y(), points.width() * scale, points.height() * scale)
            dpi = min(printer.resolution(), PDF_PRINT_DPI)
            image = document.render(page, QSize(round(points.width() / 72 * dpi),
                                                round(points.height() / 72 * dpi)))
            painter.drawImage(target, image)
    finally:
        painter.end()
    return document.pageCount()


def print_pdf_file(path: Path, title: str, parent: QWidget | None = None) -> bool:
    """The system print dialog for a PDF file the app wrote (A4 portrait, whole page: the
    document has its own margins); False when the user cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
    printer.setFullPage(True)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr("Imprimer — {title}").format(title=title))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    paint_pdf(printer, path)
    return True
