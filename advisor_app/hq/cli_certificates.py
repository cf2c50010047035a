"""``advisor-hq certificate verify CODE`` and ``advisor-hq certificate revoke NUMBER
--reason ...``. A certificate that is not valid (revoked, replaced, unknown) makes
``verify`` fail (exit code 1) with the reason, so that scripts can rely on it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from advisor_app.cli_parser import Parser
from advisor_app.services.errors import UserError

if TYPE_CHECKING:
    from advisor_app.hq.db import HqDatabase


def add_commands(sub: argparse._SubParsersAction[Parser],
                 url_option: Callable[[argparse.ArgumentParser], None]) -> None:
    certificate = sub.add_parser("certificate", help="attestations : vérifier, révoquer").add_subparsers(
        dest="action", metavar="ACTION", parser_class=Parser, required=True)
    verify = certificate.add_parser("verify", help="vérifie une attestation (code ou adresse du QR code)",
                                    description="Vérifie une attestation à partir du code de son QR code "
                                                "(ou de l'adresse entière) : authentique, révoquée, "
                                                "remplacée ou inconnue.")
    url_option(verify)
    verify.add_argument("code", metavar="CODE", help="code ou adresse de vérification")
    revoke = certificate.add_parser("revoke", help="révoque une attestation",
                                    description="Révoque une attestation : la page de vérification la "
                                                "dira révoquée, avec le motif.")
    url_option(revoke)
    revoke.add_argument("number", metavar="NUMERO", help="numéro de l'attestation, ex. ATT-ABCD2345-00012")
    revoke.add_argument("--reason", required=True, metavar="MOTIF", help="motif de la révocation")


def run(args: argparse.Namespace, db: HqDatabase) -> str:
    from advisor_app.hq import certificates

    if args.action == "verify":
        with db.read() as session:
            result = certificates.verify(session, args.code)
        text = "\n".join(certificates.summary_lines(result))
        if result.verdict != certificates.Verdict.VALID:
            raise UserError(text)
        return text
    with db.write() as session:
        revocation = certificates.revoke(session, args.number, args.reason)
        return (f"Attestation {revocation.number} révoquée le {revocation.revoked_at:%d/%m/%Y} : "
                f"{revocation.reason}")
