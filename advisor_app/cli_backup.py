"""``advisor-app backup`` and ``restore``: local copies of the laptop database."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from advisor_app.cli_parser import Parser


def add_commands(sub: argparse._SubParsersAction[Parser],
                 add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    backup = sub.add_parser("backup", help="sauvegarde la base dans un fichier",
                            description="Copie cohérente de la base (même pendant que l'application "
                                        "s'en sert). Sans --out : dans le dossier « sauvegardes » "
                                        "à côté de la base, avec rotation.")
    add_db(backup)
    backup.add_argument("--out", type=Path, default=None, metavar="FICHIER",
                        help="fichier de sauvegarde à écrire")
    restore = sub.add_parser("restore", help="remplace la base par une sauvegarde",
                             description="Vérifie la sauvegarde, garde une copie de la base "
                                         "actuelle, puis la remplace (l'application doit être fermée). "
                                         "Sans --from : liste les sauvegardes.")
    add_db(restore)
    restore.add_argument("--from", dest="source", type=Path, default=None, metavar="FICHIER",
                         help="sauvegarde à restaurer")


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} Mo" if size >= 1_048_576 else f"{max(1, size // 1024)} Ko"


def cmd_backup(args: argparse.Namespace, db_path: Callable[[argparse.Namespace], Path]) -> int:
    from advisor_app.services.backup import backup_now, backup_to
    from advisor_app.services.database import open_database_readonly
    db = open_database_readonly(db_path(args))
    try:
        made = backup_to(db, args.out) if args.out is not None else backup_now(db)
    finally:
        db.close()
    print(f"Sauvegarde écrite : {made.path} ({_size(made.size)})")
    return 0


def cmd_restore(args: argparse.Namespace, db_path: Callable[[argparse.Namespace], Path]) -> int:
    from advisor_app.services.backup import list_backups, restore

    path = db_path(args)
    if args.source is None:
        backups = list_backups(path)
        if not backups:
            print(f"Aucune sauvegarde de {path}.")
        for backup in backups:
            print(f"{backup.taken_at:%d/%m/%Y %H:%M:%S}  {_size(backup.size):>9}  {backup.path}")
        return 0
    done = restore(path, args.source)
    print(f"Base restaurée depuis {done.restored_from} (schéma {done.revision}).")
    if done.previous_copy is not None:
        print(f"L'ancienne base est gardée dans {done.previous_copy}")
    return 0
