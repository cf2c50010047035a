"""An argparse parser that speaks French and fails with one line, never a traceback."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
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


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog} : erreur : {translate(message)} (voir --help)\n")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise SystemExit(status)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu, pas « {text} »") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"nombre supérieur à zéro attendu, pas « {text} »")
    return value


def integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu, pas « {text} »") from None


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date AAAA-MM-JJ attendue, pas « {text} »") from None
