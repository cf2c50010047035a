"""Change capture: every local change to a synced row writes a ``sync_outbox`` row in the
same transaction (flush hooks on the session factory, so no service can forget it).

The hook also stamps ``updated_at``, ``updated_by`` and ``origin_device``, and writes the
audit log (``audit_entry``: who, when, old and new values) in that same transaction. Rows applied from
HQ during a pull are flushed with ``session.info[REMOTE_APPLY] = True`` and write nothing.
Synced rows are never hard-deleted: set ``deleted_at`` so the tombstone syncs.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from typing import Any

import orjson
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from advisor_app.domain.base import SYNC_COLUMNS, Base, SyncMixin, new_id, utcnow
from advisor_app.domain.enums import OutboxOp
from advisor_app.domain.local import AuditEntry, SyncOutbox

REMOTE_APPLY = "mowakaba.remote_apply"
DEVICE_ID = "mowakaba.device_id"
ADVISOR_ID = "mowakaba.advisor_id"

# Columns a local edit never sends: HQ owns the first two, the hook stamps the others.
_NOT_SENT = SYNC_COLUMNS | {"id"}


class HardDeleteError(RuntimeError):
    """A synced row was passed to ``session.delete``; soft-delete it instead."""


class BulkWriteError(RuntimeError):
    """A bulk statement targeted a synced table and would have bypassed the outbox."""


def to_wire(value: Any) -> Any:
    """JSON-safe form of a column value (dates as ISO 8601, enums as their value)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _column_values(obj: SyncMixin, keys: list[str]) -> dict[str, Any]:
    return {key: to_wire(getattr(obj, key)) for key in keys}


def _changed_keys(obj: SyncMixin) -> list[str]:
    state = inspect(obj)
    keys = []
    for attr in state.mapper.column_attrs:
        if attr.key in _NOT_SENT:
            continue
        if state.attrs[attr.key].history.has_changes():
            keys.append(attr.key)
    return keys


def _stamp(session: Session, obj: SyncMixin, now: dt.datetime) -> None:
    obj.updated_at = now
    obj.updated_by = session.info.get(ADVISOR_ID)
    obj.origin_device = session.info.get(DEVICE_ID)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Refuses hard deletes and stamps who/when/where on rows about to change."""
    if session.info.get(REMOTE_APPLY):
        return
    for obj in session.deleted:
        if isinstance(obj, SyncMixin):
            raise HardDeleteError(
                f"{type(obj).__name__} {obj.id}: synced rows are soft-deleted (deleted_at)"
            )
    now = utcnow()
    for obj in session.new:
        if isinstance(obj, SyncMixin):
            _stamp(session, obj, now)
    for obj in session.dirty:
        if isinstance(obj, SyncMixin) and session.is_modified(obj, include_collections=False):
            _stamp(session, obj, now)


def _after_flush(session: Session, _context: Any) -> None:
    """Records the outbox rows once the flush has filled foreign keys and defaults.

    ``session.new``/``dirty`` and attribute history still describe this flush here."""
    if session.info.get(REMOTE_APPLY):
        return
    entries: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    now = utcnow()
    # Parents before children, as HQ will replay them in outbox order.
    for obj in sorted((o for o in session.new if isinstance(o, SyncMixin)), key=_table_rank):
        keys = [a.key for a in inspect(obj).mapper.column_attrs if a.key not in _NOT_SENT]
        values = _column_values(obj, keys)
        entries.append(_entry(obj, OutboxOp.INSERT, values))
        audits.append(_audit(session, obj, "insert", {
            key: {"old": None, "new": value} for key, value in values.items() if value is not None}, now))
    for obj in sorted((o for o in session.dirty if isinstance(o, SyncMixin)), key=_table_rank):
        keys = _changed_keys(obj)
        if not keys:
            continue
        op = OutboxOp.UPDATE
        if "deleted_at" in keys:
            op = OutboxOp.DELETE if obj.deleted_at is not None else OutboxOp.RESTORE
        values = _column_values(obj, keys)
        entries.append(_entry(obj, op, values))
        audits.append(_audit(session, obj, audit_op(op), {
            key: {"old": _old_value(obj, key), "new": value} for key, value in values.items()}, now))
    if entries:
        # Core insert on the flush's own connection: same transaction, no nested flush.
        session.connection().execute(insert(SyncOutbox), entries)
        write_audits(session, audits)


_AUDIT_COLUMNS = ("at", "table_name", "row_id", "op", "source", "actor", "device", "changes")
_INSERT_AUDIT = (f"INSERT INTO {AuditEntry.__tablename__} ({', '.join(_AUDIT_COLUMNS)}) "
                 f"VALUES ({', '.join('?' * len(_AUDIT_COLUMNS))})")


def write_audits(session: Session, audits: list[dict[str, Any]]) -> None:
    """Audit rows in one driver executemany, values converted here as the column types would
    (naive UTC text, JSON): a third of the cost of a Core insert, which a first pull or a
    bulk save of 20,000 rows notices."""
    session.connection().exec_driver_sql(_INSERT_AUDIT, [(
        a["at"].astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f"), a["table_name"], a["row_id"],
        a["op"], a["source"], a["actor"], a["device"], orjson.dumps(a["changes"]).decode())
        for a in audits])


def audit_op(op: OutboxOp) -> str:
    """The audit log's word for an outbox operation (a restore is an update of deleted_at)."""
    return {OutboxOp.INSERT: "insert", OutboxOp.DELETE: "delete"}.get(op, "update")


def _old_value(obj: SyncMixin, key: str) -> Any:
    """The value before this flush, from attribute history (None if it was never loaded)."""
    deleted = inspect(obj).attrs[key].history.deleted
    return to_wire(deleted[0]) if deleted else None


def _audit(session: Session, obj: SyncMixin, op: str, changes: dict[str, Any],
           now: dt.datetime) -> dict[str, Any]:
    return {"at": now, "table_name": type(obj).__tablename__,  # type: ignore[attr-defined]
            "row_id": obj.id, "op": op, "source": "local", "actor": session.info.get(ADVISOR_ID),
            "device": session.info.get(DEVICE_ID), "changes": changes}


@functools.cache
def _table_ranks() -> dict[str, int]:
    return {table.name: rank for rank, table in enumerate(Base.metadata.sorted_tables)}


def _table_rank(obj: SyncMixin) -> int:
    return _table_ranks()[type(obj).__tablename__]  # type: ignore[attr-defined]


def _refuse_bulk_writes(state: ORMExecuteState) -> None:
    """Bulk UPDATE/DELETE/INSERT statements skip the flush, so they would skip the outbox:
    refused on synced tables (HQ's pulled rows, flagged REMOTE_APPLY, may use them)."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    if state.session.info.get(REMOTE_APPLY):
        return
    for mapper in state.all_mappers:
        if issubclass(mapper.class_, SyncMixin):
            raise BulkWriteError(
                f"bulk write on {mapper.class_.__name__}: change synced rows through the ORM "
                "so that the sync outbox records them"
            )


def _entry(obj: SyncMixin, op: OutboxOp, changed: dict[str, Any]) -> dict[str, Any]:
    return {
        "mutation_id": new_id(),
        "table_name": type(obj).__tablename__,  # type: ignore[attr-defined]
        "row_id": obj.id,
        "op": op,
        "base_version": obj.row_version or 0,
        "changed": changed,
        "created_at": utcnow(),
    }


def resend_entries(objs: list[SyncMixin]) -> list[dict[str, Any]]:
    """Outbox entries sending whole rows again (HQ lacks them): inserts of every column a
    laptop sets, dated when the row last changed (a same-field conflict compares dates)."""
    entries = []
    for obj in sorted(objs, key=_table_rank):
        keys = [a.key for a in inspect(obj).mapper.column_attrs if a.key not in _NOT_SENT]
        entry = _entry(obj, OutboxOp.INSERT, _column_values(obj, keys))
        entry["created_at"] = obj.updated_at
        entries.append(entry)
    return entries


_CAPTURED = "mowakaba_capture"


def install_capture(factory: sessionmaker[Session]) -> None:
    """Idempotent, by a mark on the factory itself. Not ``event.contains``: SQLAlchemy's
    event registry is keyed by ``id()``, and a new factory at the address of one just
    garbage-collected was seen as already listening (about 1 database in 150 then
    recorded no change at all)."""
    if getattr(factory, _CAPTURED, False):
        return
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _refuse_bulk_writes)
    setattr(factory, _CAPTURED, True)
