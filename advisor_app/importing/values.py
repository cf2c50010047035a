"""Cell values as office suites hand them over -> the text or value a form field expects.

A cell may hold text, a number (an ICE or a phone typed as a number loses its leading
zeros), a real date, or a date as text (dd/mm/yyyy, the French way). Each reader raises
``ValueError`` with a French message (through ``tr``) when the cell cannot be read."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable

from advisor_app.i18n import tr
from advisor_app.importing.mapping import normalise

ICE_LENGTH = 15
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's leap-year bug included)
_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def text(value: object) -> str:
    """The cell as text: numbers without a spurious ".0", dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def digits(value: object, *, width: int, lost: int = 3) -> tuple[str, bool]:
    """An identifier (ICE) and whether leading zeros were put back: a number cell, or a
    text of digits at most ``lost`` short of ``width`` (a CSV saved from a spreadsheet
    that read the ICE as a number), is zero-padded to ``width``; other text is left for the
    validation to judge."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        found = str(int(value))
    else:
        found = text(value)
        if not (found.isascii() and found.isdigit() and width - lost <= len(found)):
            return found, False
    return (found.zfill(width), True) if len(found) < width else (found, False)


def phone(value: object) -> str:
    """A Moroccan number typed as a number (612345678) gets its leading 0 back."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        found = str(int(value))
        return "0" + found if len(found) == 9 else found
    return text(value)


def date(value: object, *, day_first: bool = True) -> dt.date | None:
    """A real date, an Excel serial number, dd/mm/yyyy (or dd-mm-yy, dd.mm.yyyy) or
    yyyy-mm-dd; None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # up to 9999-12-31
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(tr("Date illisible : « {value} » (attendu : jj/mm/aaaa).").format(value=value))
    raw = text(value)
    try:
        found = _DATE.fullmatch(raw)
        if found:
            first, second, year = (int(g) for g in found.groups())
            if len(found.group(3)) == 2:
                year += 2000 if year < 70 else 1900
            day, month = (first, second) if day_first else (second, first)
            return dt.date(year, month, day)
        found = _ISO_DATE.fullmatch(raw)
        if found:
            year, month, day = (int(g) for g in found.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise ValueError(tr("Date impossible : « {value} ».").format(value=raw)) from None
    raise ValueError(tr("Date illisible : « {value} » (attendu : jj/mm/aaaa).").format(value=raw))


def number(value: object) -> float | None:
    """A number written the French way ("1 250 000,50") or the English way; None if empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raw = _SPACES.sub("", text(value)).removesuffix("MAD").removesuffix("DH").removesuffix("dh")
    if raw.count(",") == 1 and (raw.count(".") == 0 or raw.rfind(",") > raw.rfind(".")):
        raw = raw.replace(".", "").replace(",", ".")  # decimal comma, dots as thousands
    else:
        raw = raw.replace(",", "")  # commas as thousands
    try:
        return float(raw)
    except ValueError:
        raise ValueError(tr("Nombre illisible : « {value} ».").format(value=text(value))) from None


def whole_number(value: object) -> int | None:
    found = number(value)
    if found is None:
        return None
    if not found.is_integer():
        raise ValueError(tr("Un nombre entier est attendu, pas « {value} ».").format(value=text(value)))
    return int(found)


def choice(value: object, options: dict[str, str], *, prefix: bool = False) -> str | None:
    """The code whose code or label (normalised keys of ``options``) the cell holds; with
    ``prefix``, also the one label the cell starts ("Commerce" for "Commerce et
    distribution"). None for an empty cell; ValueError for anything else."""
    raw = text(value)
    if not raw:
        return None
    key = normalise(raw)
    code = options.get(key)
    if code is None and prefix and key:
        codes = {found for name, found in options.items() if name.startswith(key + " ")}
        code = codes.pop() if len(codes) == 1 else None
    if code is None:
        raise ValueError(tr("Valeur inconnue : « {value} ».").format(value=raw))
    return code


def options(pairs: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """{normalised name: code} from (code, names) pairs; the code names itself."""
    found: dict[str, str] = {}
    for code, names in pairs:
        for name in (code, *names):
            key = normalise(name)
            if key:
                found.setdefault(key, code)
    return found


def split_full_name(full: str) -> tuple[str, str]:
    """"Fatima Zahra El Idrissi" -> ("Fatima", "Zahra El Idrissi"): the first word is the
    first name (the advisor corrects compound first names on the company's page)."""
    words = full.split()
    if not words:
        return "", ""
    if len(words) == 1:
        return "", words[0]
    return words[0], " ".join(words[1:])
