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
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from advisor_app.domain.hq_records import SERVER_SEQ, HqCounter, HqFieldStamp, HqMutation
from advisor_app.hq.auth import Caller
from advisor_app.sync.capture import to_wire
from advisor_app.sync.rows import APPEND_ONLY, SyncedTable, WireValueError, from_wire, synced_tables
from advisor_app.sync.wire import FieldConflict, Mutation, MutationResult, Op, Status


class Refused(Exception):
    """The mutation is refused; the message is the reason sent back (French)."""


@dataclass
class _Outcome:
    mutation: Mutation
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


def push(session: Session, caller: Caller, mutations: list[Mutation]) -> list[MutationResult]:
    outcomes: list[_Outcome | MutationResult | str] = []  # str: same id earlier in this push
    seen: set[str] = set()
    for mutation in mutations:
        if mutation.mutation_id in seen:
            outcomes.append(mutation.mutation_id)
            continue
        seen.add(mutation.mutation_id)
        stored = session.get(HqMutation, mutation.mutation_id)
        if stored is not None:
            first = MutationResult.model_validate(stored.result)
            outcomes.append(first.model_copy(update={"status": Status.DUPLICATE, "original": first.status}))
            continue
        outcomes.append(_apply_one(session, caller, mutation))
    # Number the changed rows once, after all mutations: each row gets the number of its
    # last change in this push.
    changed = {id(o.row): o.row for o in outcomes if isinstance(o, _Outcome) and o.row is not None}
    for row, seq in zip(changed.values(), allocate(session, len(changed)), strict=True):
        row.server_seq = seq
    session.flush()
    results: list[MutationResult] = []
    decided: dict[str, MutationResult] = {}
    for outcome in outcomes:
        if isinstance(outcome, str):
            first = decided[outcome]
            results.append(first.model_copy(update={"status": Status.DUPLICATE, "original": first.status}))
            continue
        if isinstance(outcome, MutationResult):
            decided[outcome.mutation_id] = outcome.model_copy(update={"status": outcome.original})
            results.append(outcome)
            continue
        row = outcome.row
        result = MutationResult(
            mutation_id=outcome.mutation.mutation_id, status=outcome.status, reason=outcome.reason,
            conflicts=outcome.conflicts,
            row_version=row.row_version if row is not None else None,
            server_seq=row.server_seq if row is not None else None)
        session.add(HqMutation(mutation_id=result.mutation_id, device_id=caller.device_id,
                               table_name=outcome.mutation.table, row_id=outcome.mutation.row_id,
                               result=result.model_dump(mode="json")))
        decided[result.mutation_id] = result
        results.append(result)
    return results


def _apply_one(session: Session, caller: Caller, mutation: Mutation) -> _Outcome:
    try:
        with session.begin_nested():
            outcome = _apply(session, caller, mutation)
            session.flush()
            return outcome
    except (Refused, WireValueError) as exc:
        return _Outcome(mutation, Status.REJECTED, reason=str(exc))
    except IntegrityError as exc:
        detail = str(exc.orig).splitlines()[0] if exc.orig else ""
        return _Outcome(mutation, Status.REJECTED,
                        reason=f"refusé par la base du siège (référence inconnue ou doublon) : {detail}")


def _apply(session: Session, caller: Caller, m: Mutation) -> _Outcome:
    table = synced_tables().get(m.table)
    if table is None:
        raise Refused(f"table inconnue : {m.table}")
    unknown = sorted(set(m.changed) - table.writable)
    if unknown:
        raise Refused(f"champs inconnus ou réservés au siège : {', '.join(unknown)}")
    values = {name: from_wire(table.columns[name], value) for name, value in m.changed.items()}
    row = session.get(table.cls, m.row_id, with_for_update=True)
    if row is None:
        if m.op != Op.INSERT:
            raise Refused("ligne inconnue au siège (sa création a-t-elle été refusée ?)")
        return _insert(session, caller, table, m, values)
    if not caller.covers(row.scope_region, row.scope_advisor):
        raise Refused("ligne hors de votre périmètre (région ou conseiller)")
    return _update(session, caller, table, m, values, row)


def _check_scope(caller: Caller, values: dict[str, Any], row: Any = None) -> None:
    region = values.get("scope_region", getattr(row, "scope_region", None))
    advisor = values.get("scope_advisor", getattr(row, "scope_advisor", None))
    if not caller.covers(region, advisor):
        raise Refused("ligne hors de votre périmètre (région ou conseiller)")


def _insert(session: Session, caller: Caller, table: SyncedTable, m: Mutation,
            values: dict[str, Any]) -> _Outcome:
    _check_scope(caller, values)
    row = table.cls(id=m.row_id, **values)
    _stamp_row(row, caller, m.at, version=1)
    session.add(row)
    session.flush()
    _stamp_fields(session, table, m.row_id, list(values), 1, caller, m.at)
    return _Outcome(m, Status.APPLIED, row=row)


def _update(session: Session, caller: Caller, table: SyncedTable, m: Mutation,
            values: dict[str, Any], row: Any) -> _Outcome:
    if table.name in APPEND_ONLY and set(values) - {"deleted_at"}:
        raise Refused("ligne en ajout seul : une correction s'enregistre comme une nouvelle ligne")
    _check_scope(caller, values, row)
    stamps = {s.field: s for s in session.scalars(select(HqFieldStamp).where(
        HqFieldStamp.table_name == table.name, HqFieldStamp.row_id == m.row_id))}
    others_changed = any(s.row_version > m.base_version and s.device_id != caller.device_id
                         for s in stamps.values())
    if row.deleted_at is not None and m.op in (Op.UPDATE, Op.INSERT):
        # delete wins; the edit is kept in the laptop's conflict list (a restore applies it)
        conflicts = [FieldConflict(field=name, mine=to_wire(value), theirs=to_wire(getattr(row, name)),
                                   winner="theirs", theirs_by=row.origin_device, theirs_at=row.updated_at)
                     for name, value in values.items()]
        conflicts.append(FieldConflict(field="deleted_at", mine=None, theirs=to_wire(row.deleted_at),
                                       winner="theirs", theirs_by=row.origin_device,
                                       theirs_at=row.updated_at))
        return _Outcome(m, Status.CONFLICT, conflicts=conflicts,
                        reason="ligne supprimée au siège : votre modification est gardée dans les conflits")
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
        _stamp_fields(session, table, m.row_id, applied, row.row_version, caller, m.at)
    status = Status.CONFLICT if conflicts else Status.MERGED if others_changed else Status.APPLIED
    return _Outcome(m, status, row=row if applied else None, conflicts=conflicts)


def _same(current: Any, value: Any) -> bool:
    return bool(to_wire(current) == to_wire(value))


def _stamp_row(row: Any, caller: Caller, at: dt.datetime, *, version: int) -> None:
    row.row_version = version
    row.updated_at = at
    row.updated_by = caller.advisor_id
    row.origin_device = caller.device_id


def _stamp_fields(session: Session, table: SyncedTable, row_id: str, fields: list[str], version: int,
                  caller: Caller, at: dt.datetime) -> None:
    for name in fields:
        stamp = session.get(HqFieldStamp, (table.name, row_id, name))
        if stamp is None:
            session.add(HqFieldStamp(table_name=table.name, row_id=row_id, field=name, row_version=version,
                                     device_id=caller.device_id, changed_at=at))
        else:
            stamp.row_version, stamp.device_id, stamp.changed_at = version, caller.device_id, at
