"""``advisor-hq``: the headquarters side. Prepare the database (SQLite file by default,
PostgreSQL in production, same Alembic schema), serve the sync API, manage advisors and
their laptops."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from advisor_app import __version__
from advisor_app.cli import report_crash
from advisor_app.cli_parser import Parser, int_between
from advisor_app.gc_tuning import tune_gc
from advisor_app.hq import cli_attestations, cli_certificates, cli_staff
from advisor_app.services.errors import UserError

if TYPE_CHECKING:  # the CLI imports the server's modules only for the command that needs them
    from advisor_app.hq.admin import DeviceRow
    from advisor_app.hq.db import HqDatabase

PROG = "advisor-hq"
DEFAULT_URL = "sqlite:///mowakaba-hq.sqlite"


def _url_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", default=DEFAULT_URL, metavar="URL",
                        help="ex. sqlite:///hq.sqlite ou postgresql+psycopg://user@hôte/base "
                             f"(défaut : {DEFAULT_URL})")


def build_parser() -> Parser:
    parser = Parser(prog=PROG, description="Mowakaba : serveur et administration du siège.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=Parser, required=True)
    init = sub.add_parser("init", help="crée ou met à jour la base du siège",
                          description="Crée ou met à jour la base du siège (SQLite ou PostgreSQL) et "
                                      "y charge les données de référence.")
    _url_option(init)
    serve = sub.add_parser("serve", help="sert l'API de synchronisation",
                           description="Sert l'API de synchronisation (/sync/v1, schéma sur /docs).")
    _url_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1)")
    serve.add_argument("--port", type=int_between(1, 65535), default=8765, help="port (défaut : 8765)")

    advisor = sub.add_parser("advisor", help="conseillers").add_subparsers(
        dest="action", metavar="ACTION", parser_class=Parser, required=True)
    add = advisor.add_parser("add", help="crée un conseiller et affiche son code d'inscription",
                             description="Crée un conseiller et affiche un code d'inscription à usage "
                                         "unique pour son ordinateur.")
    _url_option(add)
    add.add_argument("--name", required=True, help="nom et prénom")
    add.add_argument("--email", required=True, help="adresse e-mail")
    add.add_argument("--region", required=True, metavar="CODE", help="code de région, ex. MA-06")
    code = advisor.add_parser("code", help="nouveau code d'inscription pour un conseiller",
                              description="Affiche un nouveau code d'inscription (nouvel ordinateur).")
    _url_option(code)
    code.add_argument("advisor_id", metavar="ID", help="identifiant du conseiller")

    device = sub.add_parser("device", help="ordinateurs inscrits").add_subparsers(
        dest="action", metavar="ACTION", parser_class=Parser, required=True)
    listing = device.add_parser("list", help="liste les ordinateurs inscrits",
                                description="Liste les ordinateurs inscrits et leur état.")
    _url_option(listing)
    revoke = device.add_parser("revoke", help="révoque un ordinateur (perdu, volé, remplacé)",
                               description="Révoque un ordinateur : il ne peut plus synchroniser.")
    _url_option(revoke)
    revoke.add_argument("device_id", metavar="ID", help="identifiant de l'ordinateur (device list)")
    restored = sub.add_parser(
        "restored", help="à lancer après avoir restauré la base du siège d'une sauvegarde",
        description="Déclare la base du siège restaurée d'une sauvegarde (nouvelle époque) : à leur "
                    "prochaine synchronisation, les ordinateurs lui renvoient tous leurs changements "
                    "(il reprend ceux qu'il a perdus et ignore les autres), puis relisent tout.")
    _url_option(restored)
    cli_certificates.add_commands(sub, _url_option)
    cli_attestations.add_commands(sub, _url_option)
    cli_staff.add_commands(sub, _url_option)
    return parser


def init_database(url: str) -> str:
    """Migrates the database at ``url`` to the head revision and loads the reference data;
    returns the revision."""
    from advisor_app.hq.db import check_url, open_hq
    from advisor_app.services.reference_data import load_reference_data
    from advisor_app.storage import migrate
    from advisor_app.storage.engine import make_engine

    backend = check_url(url)
    parsed = make_url(url)
    if backend == "sqlite" and parsed.database:
        try:
            migrate.inspect_sqlite_file(Path(parsed.database))
        except migrate.DatabaseFileError as exc:
            raise UserError(str(exc)) from None
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        revision = migrate.current_revision(engine) or ""
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise UserError(f"Impossible d'ouvrir la base {parsed.render_as_string()} : {reason}") from None
    finally:
        engine.dispose()
    db = open_hq(url)
    try:
        load_reference_data(db)
    finally:
        db.close()
    return revision


def _run(args: argparse.Namespace) -> str:
    if args.command == "init":
        return f"Base du siège prête (schéma {init_database(args.database_url)})"
    from advisor_app.hq import admin
    from advisor_app.hq.db import open_hq

    db = open_hq(args.database_url)
    try:
        if args.command == "serve":
            return _serve(db, args.host, args.port)
        if args.command == "certificate":
            return cli_certificates.run(args, db)
        if args.command == "attestation":
            return cli_attestations.run(args, db)
        if args.command == "staff":
            return cli_staff.run(args, db)
        if args.command == "restored":
            from advisor_app.hq.db import reset_epoch

            return (f"Nouvelle époque {reset_epoch(db)} : chaque ordinateur renverra ses changements "
                    "et relira tout à sa prochaine synchronisation.")
        with db.write() as session:
            if args.command == "advisor" and args.action == "add":
                new = admin.add_advisor(session, name=args.name, email=args.email, region=args.region)
                return (f"Conseiller créé : {new.name} ({new.region_code}), identifiant {new.advisor_id}\n"
                        f"Code d'inscription (usage unique, valable jusqu'au "
                        f"{new.expires_at:%d/%m/%Y}) : {new.code}")
            if args.command == "advisor":
                code, expires = admin.new_enrolment_code(session, args.advisor_id)
                return f"Code d'inscription (usage unique, valable jusqu'au {expires:%d/%m/%Y}) : {code}"
            if args.action == "list":
                return _devices(admin.list_devices(session))
            row = admin.revoke_device(session, args.device_id)
            return f"Ordinateur révoqué : {row.id} ({row.advisor_name}) — il ne peut plus synchroniser."
    finally:
        db.close()


def _devices(rows: list[DeviceRow]) -> str:
    if not rows:
        return "Aucun ordinateur inscrit."
    lines = []
    for row in rows:
        state = f"révoqué le {row.revoked_at:%d/%m/%Y}" if row.revoked_at else "actif"
        seen = (f"dernier envoi le {row.last_seen_at:%d/%m/%Y %H:%M}" if row.last_seen_at
                else "aucun envoi")
        lines.append(f"{row.id}  {row.advisor_name} ({row.region_code})  {row.name or '—'}  {state}, {seen}")
    return "\n".join(lines)


def _serve(db: HqDatabase, host: str, port: int) -> str:
    import uvicorn

    from advisor_app.hq.api import create_app

    print(f"Serveur du siège sur http://{host}:{port} (schéma : /docs ; tableau de bord : "
          "/tableau-de-bord) — Ctrl+C pour arrêter", flush=True)
    app = create_app(db)
    tune_gc()  # after the app is made: its objects live until the server stops
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return "Serveur arrêté."


def main(argv: Sequence[str] | None = None) -> int:
    args: argparse.Namespace = build_parser().parse_args(argv)
    try:
        message = _run(args)
    except UserError as exc:
        print(f"{PROG} : {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        print(f"{PROG} : base du siège inaccessible : {reason}", file=sys.stderr)
        return 1
    except Exception as exc:
        return report_crash(PROG, exc)
    print(message)
    return 0
