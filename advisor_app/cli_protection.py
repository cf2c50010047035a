"""``advisor-app encrypt|decrypt|passphrase`` (the database file, encrypted with the
advisor's passphrase) and the ``--passphrase-stdin`` option every command with ``--db``
takes. Passphrases are typed on a hidden prompt, or read from standard input (one per
line) for scripts; never on the command line, where other users could see them."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from advisor_app.cli_parser import Parser
from advisor_app.services.errors import UserError

PROG = "advisor-app"
OWN_COMMANDS = ("encrypt", "decrypt", "passphrase")


def add_passphrase_option(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    parser.add_argument(
        "--passphrase-stdin", action="store_true", default=False if top_level else argparse.SUPPRESS,
        help="lit la phrase secrète d'une base chiffrée sur l'entrée standard (une ligne)")


def add_commands(sub: argparse._SubParsersAction[Parser],
                 add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    encrypt = sub.add_parser(
        "encrypt", help="chiffre la base avec une phrase secrète",
        description="Chiffre une base en clair (SQLCipher, AES-256) avec une phrase secrète demandée "
                    "deux fois ; l'ancien fichier en clair est écrasé. Fermez l'application avant.")
    add_db(encrypt)
    decrypt = sub.add_parser(
        "decrypt", help="remet la base en clair",
        description="Déchiffre la base (la phrase secrète est demandée) : le fichier redevient une "
                    "base SQLite ordinaire, lisible sans mot de passe.")
    add_db(decrypt)
    change = sub.add_parser(
        "passphrase", help="change la phrase secrète de la base",
        description="Change la phrase secrète d'une base chiffrée (l'ancienne, puis la nouvelle "
                    "deux fois ; avec --passphrase-stdin : l'ancienne puis la nouvelle, une par ligne).")
    add_db(change)


class SecretReader:
    """Secrets for one command: from standard input, a line each, with ``--passphrase-stdin``;
    else on a hidden prompt when a terminal is there; else None."""

    def __init__(self, from_stdin: bool) -> None:
        self.from_stdin = from_stdin

    def read(self, prompt: str) -> str | None:
        if self.from_stdin:
            line = sys.stdin.readline()
            if not line:
                raise UserError("entrée standard vide : une phrase secrète par ligne est attendue.")
            return line.rstrip("\r\n")
        if sys.stdin.isatty():
            return getpass.getpass(prompt)
        return None

    def new_passphrase(self) -> str:
        from advisor_app.services.protection import check_new_passphrase

        first = self.read("Nouvelle phrase secrète : ")
        if first is None:
            raise UserError("phrase secrète attendue : tapez-la dans un terminal, ou utilisez "
                            "--passphrase-stdin.")
        second = first if self.from_stdin else (self.read("Confirmez la phrase secrète : ") or "")
        return check_new_passphrase(first, second)

    def existing(self) -> str:
        value = self.read("Phrase secrète : ")
        if not value:
            raise UserError("phrase secrète attendue : tapez-la dans un terminal, ou utilisez "
                            "--passphrase-stdin.")
        return value


def unlock_for_command(args: argparse.Namespace, path: Path) -> None:
    """Before a command opens ``path``: if it is encrypted, get its passphrase (stdin, or a
    prompt) for ``open_database``. MOWAKABA_PASSPHRASE (tests) is used when neither is there."""
    from advisor_app.services import database

    reader = SecretReader(bool(getattr(args, "passphrase_stdin", False)))
    if not database.is_encrypted(path):
        return
    value = reader.read("Phrase secrète de la base : ")
    if value:
        database.use_passphrase(value)


def cmd_protection(args: argparse.Namespace, db_path: Callable[[argparse.Namespace], Path]) -> int:
    from advisor_app.services import protection

    path = db_path(args)
    reader = SecretReader(bool(getattr(args, "passphrase_stdin", False)))
    try:
        if args.command == "encrypt":
            protection.encrypt_database(path, reader.new_passphrase())
            message = (f"Base chiffrée : {path}. Sans la phrase secrète, elle est illisible et "
                       "irrécupérable : notez-la en lieu sûr.")
        elif args.command == "decrypt":
            protection.decrypt_database(path, reader.existing())
            message = f"Base déchiffrée : {path} est de nouveau lisible sans phrase secrète."
        else:
            old = reader.existing()
            protection.change_passphrase(path, old, reader.new_passphrase())
            message = f"Phrase secrète changée pour {path}."
    except UserError as exc:
        print(f"{PROG} : {exc}", file=sys.stderr)
        return 2
    print(message)
    return 0
