"""Applying a laptop's mutations at HQ: one transaction per push, one savepoint per
mutation, the answer to each stored with it (a replayed mutation id gets it back).

Merge rules (DESIGN.md): a field nobody else changed since the laptop's ``base_version``
is applied; a field changed elsewhere meanwhile is a conflict whose winner is the later
change (laptop clock, then device id: the same winner whatever the order the laptops sync
in), except identity fields (a company's name and ICE) where HQ's value stays until the
advisor decides. A delete wins over an edit (the row keeps the edit: a restore brings it
back); an edit of a deleted row is kept as a conflict, not applied. Append-only rows are
never edited (a correction is a new row). Every row stays in the caller's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import orjson
from sqlalchemy import Table, select, update
from sqlalchemy.exc import DataError, IntegrityError, StatementError
from sqlalchemy.orm import Session

from advisor_app.domain.base import UTCDateTime, utcnow
from advisor_app.domain.hq_records import SERVER_SEQ, HqCounter, HqFieldStamp, HqMutation
from advisor_app.hq.auth import Caller
from advisor_app.hq.push_bulk import Plain, plain_inserts
from advisor_app.sync import wire
from advisor_app.sync.capture import to_wire
from advisor_app.sync.raw import binder, insert_tuples
from advisor_app.sync.rows import APPEND_ONLY, SyncedTable, WireValueError, synced_tables
from advisor_app.sync.wire import Change, FieldConflict, Op, Status


class Refused(Exception):
    """The mutation is refused; the message is the reason sent back (French)."""


@dataclass
class _Outcome:
    mutation: Change
    status: Status
    row: Any = None  # the row it changed, if any
    reason: str = ""
    conflicts: list[FieldConflict] = field(default_factory=list)


def allocate(session: Session, count: int) -> range:
    """``count`` consecutive server_seq numbers, taken under the counter row's lock (held
    until commit: writers number their rows in commit order)."""
    if count <= 0:
        return range(0)
    top = session.execute(
        update(HqCounter).where(HqCounter.name == SERVER_SEQ)
        .values(value=HqCounter.value + count).returning(HqCounter.value)).scalar_one()
    return range(top - count + 1, top + 1)


@dataclass
class _NewRow:
    """A row created by a plain insert, written in bulk (no ORM object)."""

    table: SyncedTable
    plain: Plain
    row_version: int = 1
    server_seq: int | None = None


def push(session: Session, caller: Caller, mutations: list[Change]) -> list[dict[str, Any]]:
    """Decides every mutation of a push, in order, in the caller's transaction; returns the
    ``MutationResult``s in JSON form (as stored for replays). Plain inserts of new rows
    (most of a push) are written in bulk; anything else goes through the ORM with a
    savepoint per mutation."""
    tables = synced_tables()
    stored = _stored(session, [m.mutation_id for m in mutations])
    known = _existing(session, tables, mutations)
    plain = plain_inserts(caller, mutations, tables, known, session.connection().dialect.name)
    outcomes: list[_Outcome | dict[str, Any] | str] = []  # str: same id earlier in this push
    bulk: list[_Outcome] = []  # plain inserts not written yet
    seen: set[str] = set()
    for index, mutation in enumerate(mutations):
        if mutation.mutation_id in seen:
            outcomes.append(mutation.mutation_id)
            continue
        seen.add(mutation.mutation_id)
        if mutation.mutation_id in stored:
            outcomes.append(_duplicate(stored[mutation.mutation_id]))
            continue
        key = (mutation.table, mutation.row_id)
        values = plain.get(index) if key not in known else None
        if values is not None:
            outcome = _Outcome(mutation, Status.APPLIED, row=_NewRow(tables[mutation.table], values))
            bulk.append(outcome)
            outcomes.append(outcome)
            known.add(key)
            continue
        # Rows created earlier in this push must exist first: this mutation may change one
        # or point at one (a person moved to a company created in the same push).
        _write_bulk(session, caller, bulk)
        bulk = []
        outcomes.append(_apply_one(session, caller, mutation))
    _write_bulk(session, caller, bulk)
    _number(session, outcomes)
    return _results(session, caller, outcomes)


def _stored(session: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Mutation id -> the answer stored for it, for the ids HQ has decided before."""
    return {mutation_id: result if isinstance(result, dict) else orjson.loads(result)
            for mutation_id, result in where_in(session, "mutation_id, result", "hq_mutation",
                                                 "mutation_id", ids)}


def _existing(session: Session, tables: dict[str, SyncedTable],
              mutations: list[Change]) -> set[tuple[str, str]]:
    wanted: dict[str, list[str]] = {}
    for m in mutations:
        if m.table in tables:
            wanted.setdefault(m.table, []).append(m.row_id)
    return {(name, row_id) for name, ids in wanted.items()
            for (row_id,) in where_in(session, "id", tables[name].name, "id", ids)}


def where_in(session: Session, columns: str, table: str, key: str, values: list[str]) -> list[Any]:
    """Rows of ``table`` whose ``key`` is one of ``values``, read with the driver: a push
    asks for thousands of ids, and compiling Core's IN list cost more than the lookups
    (SQLite: one placeholder per id; PostgreSQL: one array)."""
    connection = session.connection()
    found: list[Any] = []
    if connection.dialect.name != "sqlite":
        if values:
            found.extend(connection.exec_driver_sql(
                f"SELECT {columns} FROM {table} WHERE {key} = ANY(%s)", (values,)))
        return found
    for start in range(0, len(values), wire.MAX_BATCH):
        chunk = tuple(values[start:start + wire.MAX_BATCH])
        found.extend(connection.exec_driver_sql(
            f"SELECT {columns} FROM {table} WHERE {key} IN ({', '.join('?' * len(chunk))})", chunk))
    return found


def _write_bulk(session: Session, caller: Caller, bulk: list[_Outcome]) -> None:
    """One INSERT per table (and set of columns) for the plain inserts; if the database
    refuses the lot (a missing parent, a duplicate...), each is decided on its own, with
    its reason."""
    if not bulk:
        return
    connection = session.connection()
    tables = synced_tables()
    groups: dict[tuple[str, tuple[str, ...]], list[tuple[Any, ...]]] = {}
    moment = moment_binder(connection.dialect.name)
    # numbered as they are written (not by an UPDATE of every row afterwards); a row changed
    # again later in this push is numbered again then
    for outcome, number in zip(bulk, allocate(session, len(bulk)), strict=True):
        row, mutation = outcome.row, outcome.mutation
        row.server_seq = number
        # the laptop's columns were bound by plain_inserts, HQ's own are bound here
        groups.setdefault((mutation.table, row.plain.names), []).append(
            (*row.plain.values, mutation.row_id, 1, moment(mutation.at), caller.advisor_id,
             caller.device_id, number))
    try:
        with session.begin_nested():
            # the savepoint is taken when the nested transaction first asks for its connection:
            # one fetched before would write outside it (a refused lot not undone)
            inside = session.connection()
            for (name, names), params in sorted(groups.items(), key=lambda item: tables[item[0][0]].rank):
                insert_tuples(inside, cast(Table, tables[name].cls.__table__), (*names, *STAMPS), params)
    except (IntegrityError, DataError, StatementError):
        for outcome in bulk:
            redone = _apply_one(session, caller, outcome.mutation)
            outcome.status, outcome.row, outcome.reason = redone.status, redone.row, redone.reason


STAMPS = ("id", "row_version", "updated_at", "updated_by", "origin_device", "server_seq")


def moment_binder(dialect: str) -> Callable[[Any], Any]:
    """What puts a moment in the driver's form (``updated_at``, ``received_at``: UTCDateTime)."""
    bind = binder(UTCDateTime(), dialect)
    assert bind is not None
    return bind


def _number(session: Session, outcomes: list[_Outcome | dict[str, Any] | str]) -> None:
    """Numbers the changed rows once, after all mutations: each row gets the number of its
    last change in this push."""
    # keyed by table and id: a row created then changed in the same push is one row (rows
    # written in bulk are numbered already; a later change makes the ORM row the last state)
    changed: dict[tuple[str, str], Any] = {}
    for o in outcomes:
        if isinstance(o, _Outcome) and o.row is not None and not isinstance(o.row, _NewRow):
            changed[(o.mutation.table, o.mutation.row_id)] = o.row
    for row, number in zip(changed.values(), allocate(session, len(changed)), strict=True):
        row.server_seq = number
    session.flush()


def _duplicate(first: dict[str, Any]) -> dict[str, Any]:
    return {**first, "status": Status.DUPLICATE.value, "original": first["status"]}


def _results(session: Session, caller: Caller,
             outcomes: list[_Outcome | dict[str, Any] | str]) -> list[dict[str, Any]]:
    """The answers in ``MutationResult``'s JSON form, each stored with its mutation id
    (a replay gets it back). Written as plain dicts and tuples: a push is thousands."""
    results: list[dict[str, Any]] = []
    decided: dict[str, dict[str, Any]] = {}
    answered: list[tuple[str, str, dict[str, Any]]] = []
    for outcome in outcomes:
        if isinstance(outcome, str):
            results.append(_duplicate(decided[outcome]))
            continue
        if isinstance(outcome, dict):  # stored earlier: answered as a duplicate
            decided[outcome["mutation_id"]] = {**outcome, "status": outcome["original"], "original": None}
            results.append(outcome)
            continue
        row = outcome.row
        mutation = outcome.mutation
        result = answer(mutation.mutation_id, outcome.status, row.row_version if row is not None else None,
                        row.server_seq if row is not None else None, outcome.reason, outcome.conflicts)
        answered.append((mutation.table, mutation.row_id, result))
        decided[mutation.mutation_id] = result
        results.append(result)
    store_answers(session, caller, answered)
    return results


def answer(mutation_id: str, status: Status, row_version: int | None, server_seq: int | None,
           reason: str = "", conflicts: list[FieldConflict] | None = None) -> dict[str, Any]:
    """A ``MutationResult`` in its JSON form, as HQ answers it and stores it for replays."""
    return {"mutation_id": mutation_id, "status": status.value, "row_version": row_version,
            "server_seq": server_seq, "reason": reason,
            "conflicts": [c.model_dump(mode="json") for c in conflicts or ()], "original": None}


def store_answers(session: Session, caller: Caller, answered: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Each answer (with the table and id of the row its mutation changed) stored with its
    mutation id: a replay gets it back."""
    connection = session.connection()
    now = moment_binder(connection.dialect.name)(utcnow())
    device = caller.device_id
    insert_tuples(connection, cast(Table, HqMutation.__table__), _RECORD,
                  [(result["mutation_id"], device, table, row_id, orjson.dumps(result).decode(), now)
                   for table, row_id, result in answered])


_RECORD = ("mutation_id", "device_id", "table_name", "row_id", "result", "received_at")


def _apply_one(session: Session, caller: Caller, mutation: Change) -> _Outcome:
    try:
        with session.begin_nested():
            outcome = _apply(session, caller, mutation)
            session.flush()
            return outcome
    except (Refused, WireValueError) as exc:
        return _Outcome(mutation, Status.REJECTED, reason=str(exc))
    except (IntegrityError, DataError, StatementError) as exc:
        orig = getattr(exc, "orig", None)
        detail = str(orig or exc).splitlines()[0][:200]
        return _Outcome(mutation, Status.REJECTED,
                        reason=f"refusé par la base du siège (référence inconnue, doublon ou valeur "
                               f"hors limites) : {detail}")


def _apply(session: Session, caller: Caller, m: Change) -> _Outcome:
    table = synced_tables().get(m.table)
    if table is None:
        raise Refused(f"table inconnue : {m.table}")
    unknown = sorted(set(m.changed) - table.writable)
    if unknown:
        raise Refused(f"champs inconnus ou réservés au siège : {', '.join(unknown)}")
    values = table.typed(m.changed)
    row = session.get(table.cls, m.row_id, with_for_update=True)
    if row is None:
        if m.op != Op.INSERT:
            raise Refused("ligne inconnue au siège (sa création a-t-elle été refusée ?)")
        return _insert(session, caller, table, m, values)
    if row.scope_region != caller.region:
        raise Refused("ligne hors de votre périmètre (région)")
    return _update(session, caller, table, m, values, row)


def _check_scope(caller: Caller, values: dict[str, Any], row: Any = None) -> None:
    """A laptop writes in its advisor's region only, and never moves a row to another
    region (its colleagues would keep a copy no pull could update any more)."""
    region = values.get("scope_region", getattr(row, "scope_region", None))
    if region != caller.region:
        raise Refused("ligne hors de votre périmètre (région)")
    if row is not None and "scope_region" in values and values["scope_region"] != row.scope_region:
        raise Refused("une ligne ne change pas de région par synchronisation : le siège s'en charge")


def _insert(session: Session, caller: Caller, table: SyncedTable, m: Change,
            values: dict[str, Any]) -> _Outcome:
    _check_scope(caller, values)
    row = table.cls(id=m.row_id, **values)
    _stamp_row(row, caller, m.at, version=1)
    session.add(row)
    # No field stamps: a field without one has not changed since the row was created (by
    # its creator, at version 1), which is what the merge needs to know.
    return _Outcome(m, Status.APPLIED, row=row)


def _update(session: Session, caller: Caller, table: SyncedTable, m: Change,
            values: dict[str, Any], row: Any) -> _Outcome:
    if table.name in APPEND_ONLY and set(values) - {"deleted_at"}:
        raise Refused("ligne en ajout seul : une correction s'enregistre comme une nouvelle ligne")
    _check_scope(caller, values, row)
    stamps = {s.field: s for s in session.scalars(select(HqFieldStamp).where(
        HqFieldStamp.table_name == table.name, HqFieldStamp.row_id == m.row_id))}
    others_changed = any(s.row_version > m.base_version and s.device_id != caller.device_id
                         for s in stamps.values())
    # Delete wins over an edit: an edit of a deleted row still goes into the tombstone by the
    # usual field rules (so the stored row is the same whatever came first, and a restore
    # brings the edit back), and the laptop hears that the row is deleted.
    deleted = row.deleted_at is not None and m.op in (Op.UPDATE, Op.INSERT)
    deleted_at, deleted_by, deleted_when = row.deleted_at, row.origin_device, row.updated_at
    applied: list[str] = []
    conflicts = []
    for name, value in values.items():
        current = getattr(row, name)
        stamp = stamps.get(name)
        changed_elsewhere = (stamp is not None and stamp.row_version > m.base_version
                             and stamp.device_id != caller.device_id)
        if not changed_elsewhere or _same(current, value) or m.op == Op.DELETE:
            if not _same(current, value):
                applied.append(name)
            continue
        assert stamp is not None
        mine_wins = name not in table.identity and (
            (m.at, caller.device_id) > (stamp.changed_at, stamp.device_id or ""))
        conflicts.append(FieldConflict(
            field=name, mine=to_wire(value), theirs=to_wire(current),
            winner="mine" if mine_wins else "theirs", theirs_by=stamp.device_id,
            theirs_at=stamp.changed_at))
        if mine_wins:
            applied.append(name)
    if applied:
        for name in applied:
            setattr(row, name, values[name])
        _stamp_row(row, caller, m.at, version=row.row_version + 1)
        session.flush()
        _stamp_fields(session, stamps, table, m.row_id, applied, row.row_version, caller, m.at)
    reason = ""
    if deleted:
        conflicts.append(FieldConflict(field="deleted_at", mine=None, theirs=to_wire(deleted_at),
                                       winner="theirs", theirs_by=deleted_by, theirs_at=deleted_when))
        reason = ("ligne supprimée au siège : votre modification y est gardée, la restaurer "
                  "la remet en service")
    status = Status.CONFLICT if conflicts else Status.MERGED if others_changed else Status.APPLIED
    return _Outcome(m, status, row=row if applied else None, conflicts=conflicts, reason=reason)


def _same(current: Any, value: Any) -> bool:
    return bool(to_wire(current) == to_wire(value))


def _stamp_row(row: Any, caller: Caller, at: dt.datetime, *, version: int) -> None:
    row.row_version = version
    row.updated_at = at
    row.updated_by = caller.advisor_id
    row.origin_device = caller.device_id


def _stamp_fields(session: Session, stamps: dict[str, HqFieldStamp], table: SyncedTable, row_id: str,
                  fields: list[str], version: int, caller: Caller, at: dt.datetime) -> None:
    for name in fields:
        stamp = stamps.get(name)
        if stamp is None:
            session.add(HqFieldStamp(table_name=table.name, row_id=row_id, field=name, row_version=version,
                                     device_id=caller.device_id, changed_at=at))
        else:
            stamp.row_version, stamp.device_id, stamp.changed_at = version, caller.device_id, at
