"""``advisor-app``: the desktop app (no subcommand) and its headless subcommands."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

import platformdirs

from advisor_app import __version__, cli_backup, cli_certificates, cli_import, cli_protection, cli_sync
from advisor_app.cli_parser import Parser, int_between, integer, iso_date
from advisor_app.gc_tuning import tune_gc
from advisor_app.services.errors import UserError
from advisor_app.storage.paths import APP_NAME, default_db_path

PROG = "advisor-app"
MAX_DEMO_COMPANIES = 200_000


def _add_db(parser: argparse.ArgumentParser, *, top_level: bool = False,
            required: bool = False) -> None:
    # Subcommands suppress the default so that `advisor-app --db X stats` keeps X.
    parser.add_argument(
        "--db", type=Path, default=None if top_level else argparse.SUPPRESS, metavar="CHEMIN",
        help="fichier de base SQLite (obligatoire)" if required
        else f"fichier de base SQLite (défaut : {default_db_path()})",
    )
    cli_protection.add_passphrase_option(parser, top_level=top_level)


def build_parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description="Mowakaba : l'outil du conseiller (sans sous-commande : ouvre l'application).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_db(parser, top_level=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=Parser)

    init = sub.add_parser("init", help="crée ou met à jour une base de données",
                          description="Crée la base si elle n'existe pas, sinon la met à jour.")
    _add_db(init)

    demo = sub.add_parser("demo", help="remplit une base vide de données de démonstration",
                          description="Génère des données fictives réalistes et reproductibles.")
    _add_db(demo, required=True)
    demo.add_argument("--companies", type=int_between(1, MAX_DEMO_COMPANIES), required=True, metavar="N",
                      help="nombre d'entreprises à générer")
    demo.add_argument("--seed", type=integer, default=1, metavar="S",
                      help="graine du générateur (même graine, mêmes données ; défaut : 1)")
    demo.add_argument("--as-of", type=iso_date, default=None, metavar="AAAA-MM-JJ",
                      help="date de référence des données (défaut : aujourd'hui)")

    stats = sub.add_parser("stats", help="compte les lignes, les changements et les conflits",
                           description="Lignes par table, changements à synchroniser, conflits.")
    _add_db(stats)
    stats.add_argument("--json", action="store_true", help="sortie JSON")
    cli_sync.add_commands(sub, _add_db)
    cli_certificates.add_commands(sub, _add_db)
    cli_import.add_commands(sub, _add_db)
    cli_backup.add_commands(sub, _add_db)
    cli_protection.add_commands(sub, _add_db)
    return parser


def _db_path(args: argparse.Namespace) -> Path:
    return args.db.expanduser() if args.db is not None else default_db_path()


def _cmd_init(args: argparse.Namespace) -> int:
    from advisor_app.services.database import open_database
    from advisor_app.storage.migrate import head_revision

    db = open_database(_db_path(args))
    db.close()
    print(f"Base prête : {db.path} (schéma {head_revision()})")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from advisor_app.domain.enums import Stage
    from advisor_app.domain.stages import STAGE_LABELS_FR
    from advisor_app.services.companies import optimize_search_index
    from advisor_app.services.database import open_database
    from advisor_app.services.demo import generate_demo

    db = open_database(_db_path(args))
    try:
        summary = generate_demo(db, companies=args.companies, seed=args.seed, as_of=args.as_of)
        optimize_search_index(db)  # one merged search index after a bulk load: faster prefixes
    finally:
        db.close()
    counts = asdict(summary)
    print(f"Données de démonstration créées dans {db.path} :")
    print("  " + ", ".join(_count(counts[key], *labels) for key, labels in _DEMO_LABELS.items()))
    by_stage = dict(summary.stages)
    stages = ", ".join(f"{STAGE_LABELS_FR[stage]} : {by_stage[stage.value]}"
                       for stage in Stage if by_stage.get(stage.value))
    print(f"  Étapes : {stages}")
    return 0


def _count(value: int, singular: str, plural: str) -> str:
    # French: 0 and 1 take the singular.
    return f"{value} {singular if value < 2 else plural}"


_DEMO_LABELS = {
    "advisors": ("conseiller", "conseillers"), "companies": ("entreprise", "entreprises"),
    "people": ("personne", "personnes"), "enrolments": ("inscription", "inscriptions"),
    "groups": ("groupe", "groupes"), "diagnostics": ("diagnostic", "diagnostics"),
    "key_problems": ("problème clé", "problèmes clés"), "actions": ("action", "actions"),
    "sessions": ("séance", "séances"), "attendance": ("émargement", "émargements"),
    "commitments": ("engagement", "engagements"),
}


def _cmd_stats(args: argparse.Namespace) -> int:
    from advisor_app.services.database import open_database_readonly
    from advisor_app.services.stats import database_stats

    db = open_database_readonly(_db_path(args))
    try:
        stats = database_stats(db)
    finally:
        db.close()
    if args.json:
        print(json.dumps(asdict(stats), ensure_ascii=False, indent=2))
        return 0
    print(f"Base : {stats.database} (schéma {stats.schema_revision})")
    width = max(len(name) for name in stats.tables)
    for name, count in stats.tables.items():
        print(f"  {name:<{width}}  {count:>9}")
    print(f"Changements à synchroniser : {stats.outbox_pending}")
    print(f"Conflits ouverts : {stats.conflicts_open}")
    return 0


def _cmd_gui(args: argparse.Namespace) -> int:
    from advisor_app.app import run

    return run(db_path=_db_path(args))


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    "init": _cmd_init, "demo": _cmd_demo, "stats": _cmd_stats, None: _cmd_gui,
    "enroll": lambda args: cli_sync.cmd_enroll(args, _db_path),
    "sync": lambda args: cli_sync.cmd_sync(args, _db_path),
    "conflicts": lambda args: cli_sync.cmd_conflicts(args, _db_path),
    "certificates": lambda args: cli_certificates.cmd_certificates(args, _db_path),
    "import": lambda args: cli_import.cmd_import(args, _db_path),
    "backup": lambda args: cli_backup.cmd_backup(args, _db_path),
    "restore": lambda args: cli_backup.cmd_restore(args, _db_path),
    **dict.fromkeys(("encrypt", "decrypt", "passphrase"),
                    lambda args: cli_protection.cmd_protection(args, _db_path)),
}


def report_crash(prog: str, exc: BaseException) -> int:
    """A bug, not a user error: full details to the log file, one line to the user."""
    log_dir = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        log_file = log_dir / "erreurs.log"
        with log_file.open("a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(exc)))
        where = f" ; détails dans {log_file}"
    except OSError:
        where = ""
    summary = (str(exc).strip().splitlines() or [""])[0][:160]
    print(f"{prog} : erreur interne ({type(exc).__name__} : {summary}){where}", file=sys.stderr)
    return 70


def run() -> int:
    """The ``advisor-app`` command: ``main`` in a process tuned for long work (syncs of
    thousands of rows, the desktop app)."""
    tune_gc()
    return main()


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo" and args.db is None:  # never fill the user's own database by default
        parser.error("la démo demande --db CHEMIN (une base vide à créer)")
    try:
        if args.command not in (None, *cli_protection.OWN_COMMANDS):
            cli_protection.unlock_for_command(args, _db_path(args))
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"{PROG} : {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG} : interrompu", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `advisor-app stats | head`: the reader left, not an error
        sys.stderr.close()
        return 0
    except Exception as exc:
        return report_crash(PROG, exc)
