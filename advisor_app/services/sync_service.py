"""The laptop's side of sync as use cases: enrol with HQ, run a sync cycle, list and
resolve conflicts. Every failure is a UserError with a French message."""

from __future__ import annotations

import datetime as dt
import platform
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select

from advisor_app.domain.local import SyncConflict
from advisor_app.i18n import tr
from advisor_app.services.database import ADVISOR_KEY, DEMO_KEY, Database, device_id, get_setting, set_setting
from advisor_app.services.errors import UserError
from advisor_app.services.sync_status import table_label
from advisor_app.sync import credentials
from advisor_app.sync import engine as sync_engine
from advisor_app.sync.capture import ADVISOR_ID, DEVICE_ID, to_wire
from advisor_app.sync.engine import Cancelled, SyncReport
from advisor_app.sync.rows import WireValueError, from_wire, synced_tables
from advisor_app.sync.transport import Failure, HqClient, SyncError

KEEP_MINE, KEEP_THEIRS = "mine", "theirs"


class SyncFailed(UserError):
    def __init__(self, kind: Failure, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Enrolment:
    server: str
    device_id: str
    advisor_name: str
    region_code: str
    token_stored_in: str


@dataclass(frozen=True)
class ConflictRow:
    id: int
    table: str
    table_label: str
    row_id: str
    field: str
    mine: Any
    theirs: Any
    kept: str  # "mine" / "theirs": the value in force now
    theirs_at: dt.datetime | None
    since: dt.datetime


def _check_server(url: str) -> str:
    url = url.strip().rstrip("/")
    parsed = httpx.URL(url) if url else None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise UserError(tr("Adresse du siège invalide : « {url} » (ex. https://siege.example.ma).")
                        .format(url=url))
    return url


def enroll(db: Database, *, server: str, code: str, device_name: str | None = None,
           transport: httpx.BaseTransport | None = None) -> Enrolment:
    server = _check_server(server)
    with db.sessions() as session:
        if get_setting(session, DEMO_KEY) is not None:
            raise UserError(tr("Cette base contient des données de démonstration : elle ne peut pas "
                               "être inscrite auprès du siège. Utilisez une base réelle."))
    local_id = device_id(db)
    try:
        with HqClient(server, transport=transport) as client:
            answer = client.enroll(code, device_name or platform.node() or "ordinateur")
    except SyncError as exc:
        raise SyncFailed(exc.kind, str(exc)) from None
    where = credentials.save_token(local_id, answer.token)
    with db.unit_of_work() as session:
        set_setting(session, sync_engine.HQ_URL, server)
        set_setting(session, sync_engine.HQ_DEVICE, answer.device_id)
        set_setting(session, ADVISOR_KEY, answer.advisor.id)
        set_setting(session, sync_engine.CURSOR, "0")
    # edits made from now on are stamped with this advisor
    db.sessions.configure(info={DEVICE_ID: local_id, ADVISOR_ID: answer.advisor.id})
    return Enrolment(server, answer.device_id, answer.advisor.name, answer.advisor.region_code, where)


def sync(db: Database, *, transport: httpx.BaseTransport | None = None,
         cancelled: Any = None, progress: Any = None) -> SyncReport:
    with db.sessions() as session:
        server = get_setting(session, sync_engine.HQ_URL)
    if not server:
        raise UserError(tr("Cet ordinateur n'est pas inscrit auprès du siège : "
                           "advisor-app enroll --server URL --code CODE."))
    token = credentials.load_token(device_id(db))
    if not token:
        raise UserError(tr("Le jeton de cet ordinateur est introuvable (trousseau ou fichier effacé) : "
                           "inscrivez-le de nouveau avec un code du siège."))
    try:
        with HqClient(server, token, transport=transport) as client:
            return sync_engine.run_cycle(db.sessions, client, cancelled=cancelled or (lambda: False),
                                         progress=progress or (lambda _text: None))
    except SyncError as exc:
        raise SyncFailed(exc.kind, str(exc)) from None
    except Cancelled:
        raise UserError(tr("Synchronisation interrompue : ce qui a été échangé est gardé.")) from None


def list_conflicts(db: Database, *, include_resolved: bool = False) -> list[ConflictRow]:
    with db.sessions() as session:
        stmt = select(SyncConflict).order_by(SyncConflict.created_at, SyncConflict.id)
        if not include_resolved:
            stmt = stmt.where(SyncConflict.resolved_at.is_(None))
        return [ConflictRow(c.id, c.table_name, table_label(c.table_name), c.row_id, c.field,
                            c.local_value, c.remote_value, "mine" if c.winner == "local" else "theirs",
                            c.remote_updated_at, c.created_at)
                for c in session.scalars(stmt)]


def resolve_conflict(db: Database, conflict_id: int, keep: str) -> ConflictRow:
    """Keeps one of the two values. When it is not the one in force, it becomes a new local
    change (it syncs like any edit); keeping my edit of a row deleted elsewhere restores it."""
    if keep not in (KEEP_MINE, KEEP_THEIRS):
        raise UserError(tr("Choisissez la valeur à garder : mine (la mienne) ou theirs (celle du siège)."))
    with db.unit_of_work() as session:
        conflict = session.get(SyncConflict, conflict_id)
        if conflict is None:
            raise UserError(tr("Conflit inconnu : {id} (voir « advisor-app conflicts »).")
                            .format(id=conflict_id))
        if conflict.resolved_at is not None:
            raise UserError(tr("Le conflit {id} est déjà résolu.").format(id=conflict_id))
        in_force = "mine" if conflict.winner == "local" else "theirs"
        if keep != in_force:
            value = conflict.local_value if keep == KEEP_MINE else conflict.remote_value
            _set_field(session, conflict, value, restore=keep == KEEP_MINE)
        conflict.resolved_at = dt.datetime.now(dt.UTC)
        conflict.resolution = keep
    return next(c for c in list_conflicts(db, include_resolved=True) if c.id == conflict_id)


def _set_field(session: Any, conflict: SyncConflict, value: Any, *, restore: bool) -> None:
    table = synced_tables().get(conflict.table_name)
    row = session.get(table.cls, conflict.row_id) if table else None
    if table is None or row is None:
        raise UserError(tr("La ligne de ce conflit n'existe plus ici : synchronisez d'abord."))
    if conflict.field != "deleted_at":
        column = table.columns.get(conflict.field)
        if column is None:
            raise UserError(tr("Champ inconnu dans cette version : {field}").format(field=conflict.field))
        try:
            setattr(row, conflict.field, from_wire(column, value))
        except WireValueError as exc:
            raise UserError(str(exc)) from None
    if restore and row.deleted_at is not None:
        row.deleted_at = None


def describe(value: Any) -> str:
    return "—" if value is None else str(to_wire(value))
