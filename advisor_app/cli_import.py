"""``advisor-app import companies FILE``: the spreadsheet import without the window.

Prints the column mapping, the validation report (row, column, reason) and the duplicates,
then imports the accepted rows in one transaction (nothing with ``--dry-run``).

Exit codes: 0 every row imported (or importable, with ``--dry-run``); 1 some rows were
refused (the others are imported all the same, unless ``--dry-run``); 2 nothing done: the
file or the database cannot be read, or the mapping is wrong."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from advisor_app.cli_parser import Parser
from advisor_app.services.errors import UserError

PROG = "advisor-app"
DUPLICATE_CHOICES = {"merge": "fusionner", "create": "créer quand même", "skip": "ignorer"}


def add_commands(sub: argparse._SubParsersAction[Parser],
                 add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    command = sub.add_parser("import", help="importe des entreprises depuis Excel (.xlsx) ou CSV",
                             description="Importe des données depuis un classeur Excel ou un CSV.")
    what = command.add_subparsers(dest="import_what", metavar="QUOI", parser_class=Parser, required=True)
    companies = what.add_parser(
        "companies", help="entreprises et leur contact (dirigeant)",
        description="Importe des entreprises et leur contact depuis un fichier .xlsx ou .csv "
                    "(séparateur , ou ; ; UTF-8 ou Windows-1252). Codes de sortie : 0 tout importé ; "
                    "1 des lignes refusées (les autres importées, sauf --dry-run) ; 2 rien fait "
                    "(fichier ou base illisible, correspondance des colonnes invalide).")
    add_db(companies)
    companies.add_argument("file", type=Path, metavar="FICHIER", help="fichier .xlsx ou .csv")
    companies.add_argument("--dry-run", action="store_true",
                           help="analyse et affiche le rapport sans rien écrire")
    companies.add_argument("--encoding", default=None, metavar="ENC",
                           help="encodage d'un CSV (défaut : UTF-8, sinon Windows-1252)")
    companies.add_argument("--sheet", default=None, metavar="FEUILLE",
                           help="feuille du classeur (défaut : la première qui a des en-têtes connus)")
    companies.add_argument("--column", action="append", default=[], metavar="EN-TÊTE=CHAMP",
                           help="impose le champ d'une colonne (CHAMP « - » : colonne ignorée) ; répétable")
    companies.add_argument("--duplicates", choices=tuple(DUPLICATE_CHOICES), default="merge",
                           help="doublons : merge (compléter la fiche existante, défaut), create, skip")


def _mapping(headers: list[str], overrides: list[str], auto: dict[int, str | None]) -> dict[int, str | None]:
    from advisor_app.importing.mapping import FIELDS, normalise

    mapping = dict(auto)
    for text in overrides:
        header, sep, field = text.rpartition("=")
        field = field.strip()
        if not sep or (field != "-" and field not in FIELDS):
            raise UserError(f"--column « {text} » : EN-TÊTE=CHAMP attendu, CHAMP parmi : {', '.join(FIELDS)} "
                            "ou « - ».")
        index = next((i for i, h in enumerate(headers) if normalise(h) == normalise(header)), None)
        if index is None:
            raise UserError(f"--column : pas de colonne « {header} » ; colonnes : {', '.join(headers)}.")
        wanted = None if field == "-" else field
        for other, current in mapping.items():
            if wanted is not None and current == wanted and other != index:
                mapping[other] = None
        mapping[index] = wanted
    return mapping


def cmd_import(args: argparse.Namespace, db_path: Callable[[argparse.Namespace], Path]) -> int:
    try:
        lines, refused = _run(args, db_path(args))
    except UserError as exc:
        print(f"{PROG} : {exc}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 1 if refused else 0


def _run(args: argparse.Namespace, path: Path) -> tuple[list[str], int]:
    from advisor_app.importing.mapping import FIELD_LABELS, auto_mapping
    from advisor_app.importing.reader import column_letter
    from advisor_app.services import import_companies as ic
    from advisor_app.services import import_writer as iw
    from advisor_app.services.database import open_database

    table = ic.read_file(args.file, sheet=args.sheet, encoding=args.encoding)
    mapping = _mapping(table.headers, args.column, auto_mapping(table.headers))
    db = open_database(path)
    try:
        plan = ic.analyse(db, table, mapping)
        source = [f"Fichier : {table.path.name}"]
        if table.sheet:
            source.append(f"feuille « {table.sheet} »")
        if table.encoding:
            source.append(f"encodage {table.encoding}, séparateur « {table.delimiter} »")
        lines = [" ; ".join(source),
                 f"En-têtes en ligne {table.header_row} ; {len(table.rows)} ligne(s) de données.",
                 "Colonnes :"]
        for index, header in enumerate(table.headers):
            field = mapping.get(index)
            target = f"{FIELD_LABELS[field]} ({field})" if field else "ignorée"
            lines.append(f"  {column_letter(index)} {header} → {target}")
        if plan.issues:
            lines.append("Rapport de validation :")
            for issue in plan.issues:
                kind = "erreur" if issue.severity == ic.ERROR else "avertissement"
                where = f", colonne {issue.column}" if issue.column else ""
                lines.append(f"  Ligne {issue.row}{where} : {kind} : {issue.reason}")
        decision = args.duplicates
        for row in plan.duplicates:
            what = row.duplicate.describe() if row.duplicate else ""
            lines.append(f"  Ligne {row.number} : doublon de {what} → {DUPLICATE_CHOICES[decision]}")
        refused = len(plan.refused)
        accepted = len(plan.accepted)
        if args.dry_run:
            lines.append(f"Simulation : {accepted} ligne(s) importable(s), {refused} refusée(s), "
                         f"{len(plan.duplicates)} doublon(s) ; rien n'a été écrit.")
            return lines, refused
        decisions = {row.number: decision for row in plan.duplicates}
        result = iw.apply_import(db, plan, decisions)
    finally:
        db.close()
    for note in result.notes:
        lines.append(f"  Ligne {note.row}, {note.column} : {note.reason}")
    lines.append(f"Import terminé : {result.created} entreprise(s) créée(s), {result.merged} complétée(s), "
                 f"{result.skipped} ignorée(s), {result.refused} ligne(s) refusée(s) ; "
                 f"{result.people_added} personne(s) ajoutée(s).")
    return lines, refused
