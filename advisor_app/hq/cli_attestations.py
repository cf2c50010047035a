"""``advisor-hq attestation issue --advisor ID --training "..." --out DIR --base-url URL``:
HQ issues a signed attestation of training to an advisor and writes its PDF. Verified by
``advisor-hq certificate verify`` and the ``/verify`` page like the companies' ones."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from advisor_app.cli_parser import Parser

if TYPE_CHECKING:
    from advisor_app.hq.db import HqDatabase


def add_commands(sub: argparse._SubParsersAction[Parser],
                 url_option: Callable[[argparse.ArgumentParser], None]) -> None:
    attestation = sub.add_parser("attestation", help="attestations de formation des conseillers")
    actions = attestation.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser, required=True)
    issue = actions.add_parser(
        "issue", help="délivre une attestation de formation à un conseiller",
        description="Délivre à un conseiller une attestation signée par le siège (ex. formation à "
                    "l'accompagnement de groupes) et écrit son PDF, avec le QR code de vérification.")
    url_option(issue)
    issue.add_argument("--advisor", required=True, metavar="ID", help="identifiant du conseiller")
    issue.add_argument("--training", required=True, metavar="FORMATION",
                       help="intitulé de la formation suivie")
    issue.add_argument("--out", required=True, type=Path, metavar="DOSSIER", help="dossier du PDF")
    issue.add_argument("--base-url", required=True, metavar="URL",
                       help="adresse publique du siège, pour le QR code (ex. https://siege.exemple.ma)")
    issue.add_argument("--name-ar", default="", metavar="NOM", help="nom du conseiller en arabe")
    issue.add_argument("--place", default="Rabat", metavar="LIEU", help="lieu de délivrance (Rabat)")


def run(args: argparse.Namespace, db: HqDatabase) -> str:
    from advisor_app.hq import advisor_attestations

    with db.write() as session:
        issued = advisor_attestations.issue(session, advisor_id=args.advisor, training=args.training,
                                            base_url=args.base_url, place=args.place, name_ar=args.name_ar)
        path = advisor_attestations.write_pdf(issued, args.out)  # a failed write rolls the number back
    return (f"Attestation {issued.number} délivrée à {issued.facts['beneficiary']} : {path}\n"
            f"Vérification : {issued.verify_url}")
