"""``advisor-hq staff add --name ... --email ...`` and ``advisor-hq staff password
--email ...``: the HQ staff who may open the web dashboards. The password is typed twice
at a hidden prompt, or read from the standard input with ``--password-stdin`` (scripts)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from advisor_app.cli_parser import Parser
from advisor_app.services.errors import UserError

if TYPE_CHECKING:
    from advisor_app.hq.db import HqDatabase


def add_commands(sub: argparse._SubParsersAction[Parser],
                 url_option: Callable[[argparse.ArgumentParser], None]) -> None:
    staff = sub.add_parser("staff", help="comptes du siège pour les tableaux de bord").add_subparsers(
        dest="action", metavar="ACTION", parser_class=Parser, required=True)
    add = staff.add_parser("add", help="crée un compte du siège (tableaux de bord web)",
                           description="Crée un compte du siège qui peut ouvrir les tableaux de bord "
                                       "(/tableau-de-bord) ; le mot de passe est demandé.")
    url_option(add)
    add.add_argument("--name", required=True, help="nom et prénom")
    add.add_argument("--email", required=True, help="adresse e-mail (identifiant de connexion)")
    password = staff.add_parser("password", help="change le mot de passe d'un compte du siège",
                                description="Change le mot de passe d'un compte du siège (les "
                                            "sessions ouvertes avec l'ancien sont fermées).")
    url_option(password)
    password.add_argument("--email", required=True, help="adresse e-mail du compte")
    for command in (add, password):
        command.add_argument("--password-stdin", action="store_true",
                             help="lit le mot de passe sur l'entrée standard (scripts)")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Confirmez le mot de passe : ") != first:
        raise UserError("Les deux mots de passe diffèrent : rien n'a été changé.")
    return first


def run(args: argparse.Namespace, db: HqDatabase) -> str:
    from advisor_app.hq import staff

    password = _password(args.password_stdin)
    with db.write() as session:
        if args.action == "add":
            member = staff.add_staff(session, name=args.name, email=args.email, password=password)
            return f"Compte du siège créé : {member.name} <{member.email}>"
        member = staff.set_password(session, email=args.email, password=password)
        return f"Mot de passe changé pour {member.name} <{member.email}>"
