"""``advisor-app enroll``, ``sync`` and ``conflicts``: the laptop's sync from the command line."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from advisor_app.cli_parser import Parser, integer

if TYPE_CHECKING:
    from advisor_app.services.database import Database


def add_commands(sub: argparse._SubParsersAction[Parser],
                 add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    enroll = sub.add_parser("enroll", help="inscrit cet ordinateur auprès du siège",
                            description="Inscrit cet ordinateur auprès du siège avec le code "
                                        "d'inscription donné par le siège (usage unique).")
    add_db(enroll)
    enroll.add_argument("--server", required=True, metavar="URL", help="adresse du siège, ex. "
                                                                       "https://siege.example.ma")
    enroll.add_argument("--code", required=True, help="code d'inscription, ex. ABCD-EFGH-JKLM")
    enroll.add_argument("--name", default=None, help="nom de cet ordinateur (défaut : son nom réseau)")

    sync = sub.add_parser("sync", help="synchronise avec le siège",
                          description="Envoie les changements au siège et reçoit les siens.")
    add_db(sync)
    sync.add_argument("--check", action="store_true",
                      help="compare ensuite les lignes de cet ordinateur avec celles du siège "
                           "(nombre, identifiants et versions par table) ; code de sortie 1 s'il "
                           "reste des différences")
    sync.add_argument("--full", action="store_true",
                      help="resynchronisation complète : renvoie tous les changements de cet "
                           "ordinateur (le siège ignore ceux qu'il a déjà), relit tout et renvoie "
                           "les lignes que le siège n'a pas")

    conflicts = sub.add_parser("conflicts", help="liste ou résout les conflits",
                               description="Sans action : liste les conflits à résoudre.")
    add_db(conflicts)
    actions = conflicts.add_subparsers(dest="conflict_action", metavar="ACTION", parser_class=Parser)
    resolve = actions.add_parser("resolve", help="garde l'une des deux valeurs d'un conflit",
                                 description="Garde ma valeur (mine) ou celle du siège (theirs).")
    add_db(resolve)
    resolve.add_argument("conflict_id", type=integer, metavar="ID", help="numéro du conflit")
    resolve.add_argument("--keep", required=True, choices=("mine", "theirs"),
                         help="mine : ma valeur ; theirs : celle du siège")


def _open(args: argparse.Namespace, db_path: Callable[[argparse.Namespace], Path]) -> Database:
    from advisor_app.services.database import open_database

    return open_database(db_path(args))


def cmd_enroll(args: argparse.Namespace, db_path: Callable[[argparse.Namespace], Path]) -> int:
    from advisor_app.services.sync_service import enroll

    db = _open(args, db_path)
    try:
        done = enroll(db, server=args.server, code=args.code, device_name=args.name)
    finally:
        db.close()
    print(f"Ordinateur inscrit auprès de {done.server} pour {done.advisor_name} ({done.region_code}).")
    print(f"Identifiant au siège : {done.device_id} ; jeton gardé dans : {done.token_stored_in}")
    return 0


def cmd_sync(args: argparse.Namespace, db_path: Callable[[argparse.Namespace], Path]) -> int:
    from advisor_app.services.sync_service import sync

    db = _open(args, db_path)
    try:
        report = sync(db, full=args.full, check=args.check)
    finally:
        db.close()
    statuses = {"applied": "appliqués", "merged": "fusionnés", "conflict": "en conflit",
                "rejected": "refusés"}
    detail = ", ".join(f"{report.by_status[key]} {label}" for key, label in statuses.items()
                       if report.by_status.get(key))
    print(f"Envoyés : {report.pushed}" + (f" ({detail})" if detail else ""))
    print(f"Reçus : {report.pulled}")
    hint = " — voir « advisor-app conflicts »" if report.conflicts else ""
    print(f"Conflits : {report.conflicts}{hint}")
    for note in report.notes:
        print(note)
    if report.differences:
        print(f"Vérification : différences avec le siège dans {', '.join(report.differences)} — "
              "lancez « advisor-app sync --full »")
        return 1
    if report.differences is not None:
        print("Vérification : identique au siège.")
    return 0


def cmd_conflicts(args: argparse.Namespace, db_path: Callable[[argparse.Namespace], Path]) -> int:
    from advisor_app.services.sync_service import describe, list_conflicts, resolve_conflict

    db = _open(args, db_path)
    try:
        if args.conflict_action == "resolve":
            row = resolve_conflict(db, args.conflict_id, args.keep)
            kept = describe(row.mine if args.keep == "mine" else row.theirs)
            print(f"Conflit {row.id} résolu : {row.field} = {kept} (envoyé au siège à la prochaine "
                  "synchronisation si cela change quelque chose)")
            return 0
        rows = list_conflicts(db)
    finally:
        db.close()
    if not rows:
        print("Aucun conflit à résoudre.")
        return 0
    for row in rows:
        kept = "la mienne" if row.kept == "mine" else "celle du siège"
        print(f"[{row.id}] {row.table_label} {row.row_id} — {row.field} : ma valeur "
              f"{describe(row.mine)} ; siège {describe(row.theirs)} ; en vigueur : {kept}")
    print("Résoudre : advisor-app conflicts resolve ID --keep mine|theirs")
    return 0
