"""``advisor-hq``: the headquarters side. Today: create or upgrade the HQ database (SQLite
file by default, PostgreSQL in production) with the same Alembic-managed schema."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from advisor_app import __version__
from advisor_app.cli import report_crash
from advisor_app.cli_parser import Parser
from advisor_app.services.errors import UserError

PROG = "advisor-hq"
DEFAULT_URL = "sqlite:///mowakaba-hq.sqlite"


def build_parser() -> Parser:
    parser = Parser(prog=PROG, description="Mowakaba : serveur et administration du siège.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=Parser,
                                required=True)
    init = sub.add_parser("init", help="crée ou met à jour la base du siège",
                          description="Crée ou met à jour la base du siège (SQLite ou PostgreSQL).")
    init.add_argument("--database-url", default=DEFAULT_URL, metavar="URL",
                      help="ex. sqlite:///hq.sqlite ou postgresql+psycopg://user@hôte/base "
                           f"(défaut : {DEFAULT_URL})")
    return parser


def init_database(url: str) -> str:
    """Migrates the database at ``url`` to the head revision; returns that revision."""
    from advisor_app.storage import migrate
    from advisor_app.storage.engine import make_engine

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UserError(f"URL de base invalide : « {url} »") from None
    backend = parsed.get_backend_name()
    if backend not in {"sqlite", "postgresql"}:
        raise UserError(f"Base non prise en charge : {backend} (SQLite ou PostgreSQL).")
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise UserError("Une base SQLite en mémoire ne conserverait rien : donnez un fichier, "
                        "ex. sqlite:///mowakaba-hq.sqlite.")
    if backend == "sqlite" and parsed.database:
        try:
            migrate.inspect_sqlite_file(Path(parsed.database))
        except migrate.DatabaseFileError as exc:
            raise UserError(str(exc)) from None
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        return migrate.current_revision(engine) or ""
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise UserError(f"Impossible d'ouvrir la base {parsed.render_as_string()} : {reason}") from None
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    args: argparse.Namespace = build_parser().parse_args(argv)
    try:
        revision = init_database(args.database_url)
    except UserError as exc:
        print(f"{PROG} : {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        return report_crash(PROG, exc)
    print(f"Base du siège prête (schéma {revision})")
    return 0
