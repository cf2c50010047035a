"""An argparse parser that speaks French and fails with one line, never a traceback."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable
from typing import NoReturn

# argparse ships no French catalogue; translate the messages a user can trigger.
_TRANSLATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"the following arguments are required: (.*)"), r"arguments obligatoires manquants : \1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"arguments inconnus : \1"),
    (re.compile(r"argument (\S+): expected one argument"), r"\1 : une valeur est attendue"),
    (re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"),
     r"\1 : choix invalide \2 (choix possibles : \3)"),
    (re.compile(r"argument (\S+): invalid (\S+) value: (.*)"), r"\1 : valeur invalide \3"),
    (re.compile(r"argument (\S+): (.*)"), r"\1 : \2"),
)


def translate(message: str) -> str:
    for pattern, replacement in _TRANSLATIONS:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message)
    return message


# argparse's own headings and help lines, in French.
_HEADINGS = {
    "usage: ": "usage : ",
    "options": "options",
    "positional arguments": "arguments",
    "show this help message and exit": "affiche cette aide et quitte",
    "show program's version number and exit": "affiche la version et quitte",
}


def _french_gettext(message: str) -> str:
    return _HEADINGS.get(message, message)


argparse._ = _french_gettext  # type: ignore[attr-defined]  # argparse looks `_` up at call time


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog} : erreur : {translate(message)} (voir --help)\n")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise SystemExit(status)


def int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"nombre entier attendu, pas « {text} »") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"nombre entre {low} et {high:_} attendu, pas « {text} »".replace("_", " "))
        return value

    return parse


def integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu, pas « {text} »") from None


def iso_date(text: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date AAAA-MM-JJ attendue, pas « {text} »") from None
    if not dt.date(2000, 1, 1) <= value <= dt.date(2100, 12, 31):
        raise argparse.ArgumentTypeError(f"date entre 2000 et 2100 attendue, pas « {text} »")
    return value
