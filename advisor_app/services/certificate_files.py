"""Certificates as PDF files (``reports.certificate``): one file per certificate in a
folder, or all of them in one file to print. Pages are drawn from the facts frozen in
each row, so a file written again months later reads exactly as the first.

ReportLab is imported on first use, not with this module: the main window paints first."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from advisor_app.domain.certificates import Certificate
from advisor_app.i18n import tr
from advisor_app.services.certificates import certificate_url
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError


@dataclass(frozen=True)
class _Frozen:
    number: str
    facts: dict[str, Any]
    code: str


def _load(db: Database, certificate_ids: list[str]) -> list[_Frozen]:
    if not certificate_ids:
        raise UserError(tr("Aucune attestation choisie."))
    with db.sessions() as session:
        rows = {c.id: c for c in session.scalars(select(Certificate).where(
            Certificate.id.in_(certificate_ids), Certificate.deleted_at.is_(None)))}
        missing = [cid for cid in certificate_ids if cid not in rows]
        if missing:
            raise UserError(tr("Attestation introuvable."))
        return [_Frozen(rows[cid].number, dict(rows[cid].facts), rows[cid].signature)
                for cid in certificate_ids]


def file_name(number: str) -> str:
    return f"attestation-{number}.pdf"


def _pages(frozen: list[_Frozen]) -> list[Any]:
    from advisor_app.reports.certificate import CertificateData

    return [CertificateData.from_facts(f.facts, certificate_url(f.facts, f.code)) for f in frozen]


def _cannot_write(path: Path, exc: OSError) -> UserError:
    return UserError(tr("Impossible d'écrire « {path} » : {error}").format(
        path=path, error=exc.strerror or exc))


def write_certificates(db: Database, certificate_ids: list[str], folder: Path, *,
                       password: str | None = None) -> list[Path]:
    """One PDF per certificate in ``folder`` (created if needed), named after its number;
    returns the paths. ``password``: each file opens only with it (AES-256)."""
    from advisor_app.reports.certificate import render
    from advisor_app.services.protection import write_pdf

    frozen = _load(db, certificate_ids)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_write(folder, exc) from exc
    paths = []
    for item, page in zip(frozen, _pages(frozen), strict=True):
        path = folder / file_name(item.number)
        try:
            write_pdf(path, functools.partial(render, [page]), password)
        except OSError as exc:
            raise _cannot_write(path, exc) from exc
        paths.append(path)
    return paths


def write_bundle(db: Database, certificate_ids: list[str], path: Path, *,
                 password: str | None = None) -> Path:
    """All the certificates in one PDF file, a page each (to print a group at once)."""
    from advisor_app.reports.certificate import render
    from advisor_app.services.protection import write_pdf

    pages = _pages(_load(db, certificate_ids))
    try:
        write_pdf(path, functools.partial(render, pages), password)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    return path
