"""Exports to Excel (.xlsx): the companies of the current list, sessions with their
attendance, action plans and the dashboard tables.

Each sheet has French headers (in the advisor's language), a styled and frozen header row
with filters, column widths to fit, and real dates and numbers (sortable and summable in
the spreadsheet, not text). Sheets are written row by row (openpyxl's write-only mode), so
100 000 companies do not sit in memory as cells."""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from advisor_app.i18n import tr
from advisor_app.services.errors import UserError

TEXT, DATE, TIME, INT, DECIMAL, PERCENT = "text", "date", "time", "int", "decimal", "percent"
_FORMATS = {DATE: "DD/MM/YYYY", TIME: "HH:MM", INT: "0", DECIMAL: "0.0", PERCENT: "0%"}
MAX_WIDTH = 60
HEADER_FILL = "1F4E79"
SHEET_TITLE_MAX = 31  # Excel's limit


@dataclass(frozen=True)
class Column:
    header: str  # in the advisor's language
    kind: str = TEXT
    width: int | None = None  # characters; None: fitted to the header and the first rows


@dataclass(frozen=True)
class Value:
    """A value with its own format, in a column of mixed values (the dashboard's figures)."""

    value: Any
    kind: str = TEXT


@dataclass(frozen=True)
class Sheet:
    title: str  # in the advisor's language
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]


def _fitted(columns: Sequence[Column], sample: list[Sequence[Any]]) -> list[int]:
    widths = []
    for index, column in enumerate(columns):
        if column.width is not None:
            widths.append(column.width)
            continue
        longest = len(column.header)
        for row in sample:
            value = row[index] if index < len(row) else None
            value = value.value if isinstance(value, Value) else value
            shown = 10 if isinstance(value, dt.date) else len(str(value)) if value is not None else 0
            longest = max(longest, shown)
        widths.append(min(MAX_WIDTH, longest + 2))
    return widths


def _value(value: Any, kind: str) -> Any:
    if isinstance(value, Value):
        return Value(_value(value.value, value.kind), value.kind)
    if value is None or value == "":
        return None
    if kind == DATE and isinstance(value, dt.datetime):
        return value.date()
    return value


def write_workbook(path: Path, sheets: Sequence[Sheet], *, password: str | None = None) -> int:
    """Writes ``sheets`` to ``path`` (.xlsx); returns the number of data rows written. The
    file is written beside the target, then moved over it: an existing file is replaced
    whole or not at all. ``UserError`` when it cannot be written (folder read-only, file
    open in a spreadsheet...).

    With ``password`` the workbook is encrypted (Office agile encryption, AES-256): it is
    built in memory and only its encrypted form touches the disk."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=".export-", suffix=".xlsx")
        os.close(descriptor)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    temporary = Path(name)
    try:
        written = _save_encrypted(temporary, sheets, password) if password else _save(temporary, sheets)
        os.replace(temporary, path)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    finally:
        temporary.unlink(missing_ok=True)
    return written


def _cannot_write(path: Path, exc: OSError) -> UserError:
    return UserError(tr("Impossible d'écrire « {path} » : {error}. Le fichier est peut-être ouvert "
                        "dans un tableur.").format(path=path, error=exc.strerror or exc))


def _save_encrypted(target: Path, sheets: Sequence[Sheet], password: str) -> int:
    import msoffcrypto.format.ooxml

    plain = io.BytesIO()
    written = _save(plain, sheets)
    plain.seek(0)
    with target.open("wb") as handle:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt(password, handle)
    return written


def _save(target: Path | BinaryIO, sheets: Sequence[Sheet]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    font = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    written = 0
    for sheet in sheets:
        ws = book.create_sheet(title=_sheet_title(sheet.title))
        rows = iter(sheet.rows)
        sample: list[Sequence[Any]] = []
        for row in rows:
            sample.append(row)
            if len(sample) >= 200:
                break
        for index, width in enumerate(_fitted(sheet.columns, sample), start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(ws, value=column.header)
            cell.font, cell.fill = font, fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            header.append(cell)
        ws.append(header)
        count = 0
        for row in _chain(sample, rows):
            ws.append([_cell(ws, WriteOnlyCell, _value(value, column.kind), column.kind)
                       for value, column in zip(row, sheet.columns, strict=False)])
            count += 1
        if sheet.columns:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{count + 1}"
        written += count
    if not sheets:
        book.create_sheet(title=tr("Vide"))
    book.save(target)
    return written


def _chain(first: list[Sequence[Any]], rest: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
    yield from first
    yield from rest


def _cell(ws: Any, cell_type: Any, value: Any, kind: str) -> Any:
    if isinstance(value, Value):
        value, kind = value.value, value.kind
    if value is None or kind not in _FORMATS:
        return value
    cell = cell_type(ws, value=value)
    cell.number_format = _FORMATS[kind]
    return cell


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:SHEET_TITLE_MAX] or "Sheet"
