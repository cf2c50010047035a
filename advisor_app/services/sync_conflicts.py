"""Conflicts of a sync, for the advisor: both values with who made them and when, and the
decision (keep mine, keep HQ's, or a typed value) recorded as a local change that reaches
HQ at the next sync. No network here (the window imports it at start-up)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from advisor_app.domain.local import SyncConflict, SyncOutbox
from advisor_app.domain.reference import Advisor
from advisor_app.i18n import tr
from advisor_app.services import sync_values
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.services.sync_status import table_label
from advisor_app.sync.rows import WireValueError, from_wire, synced_tables

KEEP_MINE, KEEP_THEIRS, KEEP_EDITED = "mine", "theirs", "edit"


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
    row_label: str = ""  # the company's name, the person's name...
    field_label: str = ""
    mine_text: str = ""
    theirs_text: str = ""
    theirs_by: str = ""  # the advisor who made HQ's value
    mine_at: dt.datetime | None = None  # when I made my value
    editable: bool = True  # a value can be typed (not for a deletion)
    resolution: str | None = None


def list_conflicts(db: Database, *, include_resolved: bool = False) -> list[ConflictRow]:
    with db.sessions() as session:
        stmt = select(SyncConflict).order_by(SyncConflict.created_at, SyncConflict.id)
        if not include_resolved:
            stmt = stmt.where(SyncConflict.resolved_at.is_(None))
        conflicts = list(session.scalars(stmt))
        names = {row[0]: row[1] for row in session.execute(select(Advisor.id, Advisor.name))}
        rows = []
        for c in conflicts:
            table = synced_tables().get(c.table_name)
            row = session.get(table.cls, c.row_id) if table else None
            rows.append(ConflictRow(
                c.id, c.table_name, table_label(c.table_name), c.row_id, c.field, c.local_value,
                c.remote_value, "mine" if c.winner == "local" else "theirs", c.remote_updated_at,
                c.created_at, row_label=sync_values.row_label(session, row),
                field_label=sync_values.field_label(c.field),
                mine_text=sync_values.value_text(c.field, c.local_value),
                theirs_text=sync_values.value_text(c.field, c.remote_value),
                theirs_by=_who(names, c, row),
                mine_at=_my_change_at(session, c), editable=c.field != sync_values.DELETED,
                resolution=c.resolution))
        return rows


def _who(names: dict[str, str], conflict: SyncConflict, row: Any) -> str:
    """The advisor who made HQ's value. HQ names the device; when HQ's value won, the row
    carries its author (HQ's ``updated_by``)."""
    if conflict.remote_updated_by in names:
        return names[conflict.remote_updated_by or ""]
    if conflict.winner == "remote" and row is not None:
        return names.get(getattr(row, "updated_by", None) or "", "")
    return ""


def _my_change_at(session: Any, conflict: SyncConflict) -> dt.datetime | None:
    """When this laptop last changed the conflict's field before the conflict was seen."""
    entries = session.scalars(select(SyncOutbox).where(
        SyncOutbox.table_name == conflict.table_name, SyncOutbox.row_id == conflict.row_id,
        SyncOutbox.created_at <= conflict.created_at).order_by(SyncOutbox.seq.desc()))
    for entry in entries:
        if conflict.field in (entry.changed or {}) or conflict.field == sync_values.DELETED:
            moment: dt.datetime = entry.created_at
            return moment
    return None


def resolve_conflict(db: Database, conflict_id: int, keep: str, *, value: str | None = None) -> ConflictRow:
    """Keeps one of the two values, or (``keep="edit"``) the ``value`` the advisor typed.
    When that is not the value in force, it becomes a new local change (it syncs like any
    edit); keeping my edit of a row deleted elsewhere restores it."""
    if keep not in (KEEP_MINE, KEEP_THEIRS, KEEP_EDITED):
        raise UserError(tr("Choisissez la valeur à garder : mine (la mienne) ou theirs (celle du siège)."))
    with db.unit_of_work() as session:
        conflict = session.get(SyncConflict, conflict_id)
        if conflict is None:
            raise UserError(tr("Conflit inconnu : {id} (voir « advisor-app conflicts »).")
                            .format(id=conflict_id))
        if conflict.resolved_at is not None:
            raise UserError(tr("Le conflit {id} est déjà résolu.").format(id=conflict_id))
        in_force = "mine" if conflict.winner == "local" else "theirs"
        if keep == KEEP_EDITED:
            _type_field(session, conflict, value or "")
        elif keep != in_force:
            kept = conflict.local_value if keep == KEEP_MINE else conflict.remote_value
            _set_field(session, conflict, kept, restore=keep == KEEP_MINE)
        conflict.resolved_at = dt.datetime.now(dt.UTC)
        conflict.resolution = keep
    return next(c for c in list_conflicts(db, include_resolved=True) if c.id == conflict_id)


def _row(session: Any, conflict: SyncConflict) -> tuple[Any, Any]:
    table = synced_tables().get(conflict.table_name)
    row = session.get(table.cls, conflict.row_id) if table else None
    if table is None or row is None:
        raise UserError(tr("La ligne de ce conflit n'existe plus ici : synchronisez d'abord."))
    return table, row


def _type_field(session: Any, conflict: SyncConflict, text: str) -> None:
    table, row = _row(session, conflict)
    column = table.columns.get(conflict.field)
    if conflict.field == sync_values.DELETED or column is None:
        raise UserError(tr("Ce champ ne se modifie pas ici : gardez l'une des deux valeurs."))
    setattr(row, conflict.field, sync_values.parse_input(column, text))
    if row.deleted_at is not None:
        row.deleted_at = None


def _set_field(session: Any, conflict: SyncConflict, value: Any, *, restore: bool) -> None:
    table, row = _row(session, conflict)
    if conflict.field != sync_values.DELETED:
        column = table.columns.get(conflict.field)
        if column is None:
            raise UserError(tr("Champ inconnu dans cette version : {field}").format(field=conflict.field))
        try:
            setattr(row, conflict.field, from_wire(column, value))
        except WireValueError as exc:
            raise UserError(str(exc)) from None
    if restore and row.deleted_at is not None:
        row.deleted_at = None

