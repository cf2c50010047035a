"""An .xlsx or .csv file -> a table: its header row and its data rows, each with the row
number the spreadsheet shows.

What office suites write is taken as it comes: title rows and merged group headings above
the real header (the header is the row naming the most known fields), empty lines
anywhere, CSV separated by ',' or ';' (or tabs) in UTF-8 with or without BOM or in
Windows-1252 (Excel's "CSV" on a French Windows)."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from advisor_app.i18n import tr
from advisor_app.importing.mapping import header_score

HEADER_SEARCH_ROWS = 30  # title rows above the header: a handful at most
MAX_ROWS = 100_000
MIN_HEADER_FIELDS = 2
CSV_ENCODINGS = ("utf-8", "cp1252")


class UnreadableFile(Exception):
    """The file cannot be read as a table; ``str(exc)`` says why, in the user's language."""


@dataclass(frozen=True)
class SourceRow:
    number: int  # as the spreadsheet shows it (1 = first line of the file)
    values: tuple[object, ...]


@dataclass(frozen=True)
class SourceTable:
    path: Path
    headers: list[str]
    rows: list[SourceRow]
    header_row: int  # 0: no header row was found (columns named A, B, C...)
    sheet: str = ""  # the sheet read (xlsx)
    sheets: list[str] = field(default_factory=list)  # every sheet of the workbook (xlsx)
    encoding: str = ""  # csv
    delimiter: str = ""  # csv


def column_letter(index: int) -> str:
    """0 -> "A", 26 -> "AA": how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(path: Path, *, sheet: str | None = None, encoding: str | None = None) -> SourceTable:
    """Raises ``UnreadableFile`` for a missing, empty, foreign or damaged file."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(tr("Fichier introuvable : {path}").format(path=path))
    suffix = path.suffix.casefold()
    if suffix in (".xlsx", ".xlsm") or (suffix not in (".csv", ".txt") and zipfile.is_zipfile(path)):
        return _read_xlsx(path, sheet)
    if suffix in (".xls", ".ods"):
        raise UnreadableFile(tr("Format « {suffix} » non pris en charge : enregistrez le fichier au "
                                "format Excel (.xlsx) ou CSV, puis importez-le.").format(suffix=suffix))
    return _read_csv(path, encoding)


def _cell(value: object) -> object:
    if isinstance(value, str):
        text = value.strip()
        return text or None
    return value


def _table(path: Path, raw_rows: list[tuple[int, tuple[object, ...]]], *, sheet: str = "",
           sheets: list[str] | None = None, encoding: str = "", delimiter: str = "") -> SourceTable:
    rows = [(number, tuple(_cell(v) for v in values)) for number, values in raw_rows]
    rows = [(number, values) for number, values in rows if any(v is not None for v in values)]
    if not rows:
        raise UnreadableFile(tr("Le fichier « {name} » ne contient aucune ligne.").format(name=path.name))
    header_at, best = 0, 0
    for position, (_, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = header_score(values)
        if score > best:
            header_at, best = position, score
    width = max(len(values) for _, values in rows)
    if best >= MIN_HEADER_FIELDS:
        number, values = rows[header_at]
        headers = [_header_text(v) for v in values] + [""] * (width - len(values))
        data = rows[header_at + 1:]
    else:  # no header: the columns keep their letters and every row is data
        number, headers, data = 0, [""] * width, rows
    headers = [h or column_letter(i) for i, h in enumerate(headers)]
    # Trailing columns nobody named and nobody filled (formatting left by the office suite).
    while headers and not _named(headers[-1], len(headers) - 1) and all(
            len(v) < len(headers) or v[len(headers) - 1] is None for _, v in data):
        headers.pop()
    width = len(headers)
    table_rows = [SourceRow(n, tuple(v[:width]) + (None,) * (width - len(v))) for n, v in data]
    return SourceTable(path=path, headers=headers, rows=table_rows, header_row=number, sheet=sheet,
                       sheets=sheets or [], encoding=encoding, delimiter=delimiter)


def _named(header: str, index: int) -> bool:
    return header != column_letter(index)


def _header_text(value: object) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def _read_xlsx(path: Path, sheet: str | None) -> SourceTable:
    import openpyxl  # not before the window paints
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(tr("« {name} » n'est pas un classeur Excel lisible (.xlsx) : {error}")
                             .format(name=path.name, error=exc)) from exc
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise UnreadableFile(tr("Le classeur n'a pas de feuille « {sheet} » ; feuilles : {names}.")
                                 .format(sheet=sheet, names=", ".join(names)))
        chosen = sheet if sheet is not None else _first_filled(book, names)
        raw: list[tuple[int, tuple[object, ...]]] = []
        for number, values in enumerate(book[chosen].iter_rows(min_row=1, values_only=True), start=1):
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise UnreadableFile(tr("Le fichier dépasse {count} lignes : découpez-le.").format(
                    count=MAX_ROWS))
            raw.append((number, tuple(values)))
    finally:
        book.close()
    return _table(path, raw, sheet=chosen, sheets=names)


def _first_filled(book: object, names: list[str]) -> str:
    """The first sheet with a value in its first rows (a workbook often starts with an empty
    or a notes sheet left by a template)."""
    for name in names:
        rows = book[name].iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True)  # type: ignore[index]
        if any(header_score(values) >= MIN_HEADER_FIELDS for values in rows):
            return name
    return names[0]


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used): the given encoding, else UTF-8 (BOM or not), else Windows-1252."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as exc:
            raise UnreadableFile(tr("Le fichier ne se lit pas avec l'encodage « {encoding} ».").format(
                encoding=encoding)) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    for candidate in CSV_ENCODINGS:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(line for line in text.splitlines()[:50] if line.strip())
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";,\t"}
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _read_csv(path: Path, encoding: str | None) -> SourceTable:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(tr("Lecture impossible de « {name} » : {error}").format(
            name=path.name, error=exc.strerror or exc)) from exc
    if b"\x00" in data[:4096]:
        raise UnreadableFile(tr("« {name} » n'est pas un fichier texte CSV ni un classeur .xlsx.").format(
            name=path.name))
    text, used = decode(data, encoding)
    delimiter = sniff_delimiter(text)
    raw: list[tuple[int, tuple[object, ...]]] = []
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter),
                                        start=1):
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise UnreadableFile(tr("Le fichier dépasse {count} lignes : découpez-le.").format(
                    count=MAX_ROWS))
            raw.append((number, tuple(values)))
    except csv.Error as exc:
        raise UnreadableFile(tr("CSV mal formé ({error}).").format(error=exc)) from exc
    return _table(path, raw, encoding=used, delimiter=delimiter)
