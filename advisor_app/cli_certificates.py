"""``advisor-app certificates status|issue|reissue``: certificates of a coaching group
from the command line (batch work). A refusal (rules not met, laptop not enrolled, a
folder that cannot be written) is one French line on stderr and exit code 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from advisor_app.cli_parser import Parser, iso_date
from advisor_app.services.errors import UserError

if TYPE_CHECKING:
    from advisor_app.services.database import Database

PROG = "advisor-app"


def add_commands(sub: argparse._SubParsersAction[Parser],
                 add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    certificates = sub.add_parser(
        "certificates", help="attestations de participation d'un groupe",
        description="Attestations de participation : état des règles, délivrance, réémission.")
    actions = certificates.add_subparsers(dest="certificate_action", metavar="ACTION",
                                          parser_class=Parser, required=True)
    status = actions.add_parser("status", help="qui remplit les règles d'achèvement, et pourquoi pas",
                                description="Pour chaque participant du groupe : règles remplies ou "
                                            "non, et attestation déjà délivrée.")
    add_db(status)
    status.add_argument("--group", required=True, metavar="ID", help="identifiant ou nom du groupe")
    issue = actions.add_parser("issue", help="délivre les attestations et écrit les PDF",
                               description="Délivre une attestation à chaque participant qui remplit "
                                           "les règles et n'en a pas encore (ou aux --person donnés), "
                                           "puis écrit un PDF par attestation dans --out.")
    add_db(issue)
    issue.add_argument("--group", required=True, metavar="ID", help="identifiant ou nom du groupe")
    issue.add_argument("--out", required=True, type=Path, metavar="DOSSIER", help="dossier des PDF")
    issue.add_argument("--person", action="append", default=None, metavar="ID",
                       help="seulement ce participant (répétable)")
    issue.add_argument("--date", type=iso_date, default=None, metavar="AAAA-MM-JJ",
                       help="date de délivrance (défaut : aujourd'hui)")
    _add_pdf_password(issue)
    reissue = actions.add_parser("reissue", help="réémet une attestation (nouveau numéro)",
                                 description="Réémet une attestation avec les données du jour (nom "
                                             "corrigé...) : nouveau numéro, l'ancienne reste archivée.")
    add_db(reissue)
    reissue.add_argument("number", metavar="NUMERO", help="numéro de l'attestation à remplacer")
    reissue.add_argument("--out", required=True, type=Path, metavar="DOSSIER", help="dossier du PDF")
    _add_pdf_password(reissue)
    key = actions.add_parser("key", help="crée la clé de signature (inscrit avant les attestations)",
                             description="Crée la clé de signature des attestations d'un ordinateur inscrit "
                                         "auprès du siège avant leur arrivée, et la fait connaître au siège.")
    add_db(key)


def _add_pdf_password(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pdf-password-stdin", action="store_true",
                        help="protège les PDF par un mot de passe lu sur l'entrée standard "
                             "(après la phrase secrète de la base, si elle est chiffrée)")


def _pdf_password(args: argparse.Namespace) -> str | None:
    if not getattr(args, "pdf_password_stdin", False):
        return None
    from advisor_app.services.protection import check_export_password

    password = sys.stdin.readline().rstrip("\r\n")
    return check_export_password(password, password)


def _group_id(db: Database, text: str) -> str:
    from advisor_app.services import groups

    wanted = text.strip()
    rows = groups.list_groups(db)
    for row in rows:
        if row.id == wanted:
            return row.id
    named = [row for row in rows if row.name.casefold() == wanted.casefold()]
    if len(named) == 1:
        return named[0].id
    raise UserError(f"Groupe inconnu : « {text} » (identifiant ou nom exact d'un groupe).")


def cmd_certificates(args: argparse.Namespace, db_path: Callable[[argparse.Namespace], Path]) -> int:
    from advisor_app.services.database import open_database

    try:
        db = open_database(db_path(args))
        try:
            lines = _run(args, db)
        finally:
            db.close()
    except UserError as exc:
        print(f"{PROG} : {exc}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


def _run(args: argparse.Namespace, db: Database) -> list[str]:
    from advisor_app.domain.certificates import Certificate
    from advisor_app.services import certificate_files, certificates

    action = args.certificate_action
    password = _pdf_password(args)  # read and checked before anything is issued
    if action == "key":
        from advisor_app.services.certificate_key import create_signing_key

        prefix = create_signing_key(db)
        return [f"Clé de signature créée : les attestations de cet ordinateur seront numérotées "
                f"ATT-{prefix}-…"]
    if action == "reissue":
        from sqlalchemy import select

        with db.sessions() as session:
            found = session.scalar(select(Certificate.id).where(Certificate.number == args.number.strip()))
        if found is None:
            raise UserError(f"Attestation inconnue sur cet ordinateur : « {args.number} ».")
        row = certificates.reissue_certificate(db, found)
        path = certificate_files.write_certificates(db, [row.id], args.out,
                                                    password=password)[0]
        return [f"Attestation {row.number} délivrée (remplace {row.supersedes_number}) : {path}"]
    group_id = _group_id(db, args.group)
    if action == "status":
        overview = certificates.group_certificates(db, group_id)
        lines = [f"{overview.group_name} — {overview.track_name}"]
        if overview.signing_problem:
            lines.append(f"(!) {overview.signing_problem}")
        for p in overview.participants:
            if p.certificate is not None:
                state = f"attestation n° {p.certificate.number} du {p.certificate.issued_on:%d/%m/%Y}"
            else:
                state = "règles remplies : attestation à délivrer" if p.eligible else "pas encore"
            lines.append(f"{p.company_name} — {p.person_name} [{p.person_id}] : {state}")
            lines.extend(f"    ✗ {reason}" for reason in p.reasons)
        return lines
    issued = certificates.issue_certificates(db, group_id=group_id, person_ids=args.person,
                                             today=args.date)
    if not issued:
        return ["Aucune attestation à délivrer : personne d'autre ne remplit encore les règles "
                "(voir « advisor-app certificates status »)."]
    paths = certificate_files.write_certificates(db, [row.id for row in issued], args.out,
                                                 password=password)
    return [f"{len(issued)} attestation(s) délivrée(s) dans {args.out} :",
            *(f"  {row.number}  {row.person_name} ({row.company_name})  {path.name}"
              for row, path in zip(issued, paths, strict=True))]
