"""Writing what HQ says into the laptop's database, without echoing it to the outbox
(``REMOTE_APPLY``): pulled rows, the answers to a push, conflicts, the region's advisors.

A pulled row never overwrites a field the advisor changed since the last push (its
change is still in the outbox and will be merged at HQ on the next push)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Protocol

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from advisor_app.domain.base import SYNC_COLUMNS, utcnow
from advisor_app.domain.local import SyncConflict, SyncOutbox
from advisor_app.domain.reference import Advisor
from advisor_app.sync.bulk_insert import insert_companies
from advisor_app.sync.capture import REMOTE_APPLY, resend_entries, to_wire, write_audits
from advisor_app.sync.raw import sqlite_moment
from advisor_app.sync.rows import SyncedTable, WireValueError, from_wire, in_scope, synced_tables
from advisor_app.sync.wire import (
    AdvisorInfo,
    Decision,
    FieldConflict,
    Pulled,
    Status,
    known_ranges,
    scope_digest,
)


def remote(session: Session) -> Session:
    """Marks ``session``'s writes as coming from HQ: no outbox rows, no stamps."""
    session.info[REMOTE_APPLY] = True
    return session


def pending_fields(session: Session, row_ids: list[str]) -> dict[tuple[str, str], set[str]]:
    """(table, row id) -> fields with a local change HQ has not acknowledged yet."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for start in range(0, len(row_ids), 900):
        for table, row_id, changed in session.execute(
                select(SyncOutbox.table_name, SyncOutbox.row_id, SyncOutbox.changed)
                .where(SyncOutbox.acked_at.is_(None), SyncOutbox.row_id.in_(row_ids[start:start + 900]))):
            found[(table, row_id)].update(changed)
    return found


def apply_rows(session: Session, rows: list[Pulled], touched: set[str] | None = None) -> int:
    """Upserts pulled rows (parents first); returns how many changed something here and adds
    the names of the tables they belong to to ``touched``. Rows we already hold at that
    version (our own changes coming back) are skipped before any conversion; new rows are
    inserted in bulk, one statement per table; known rows are updated field by field,
    keeping the fields still waiting in the outbox."""
    tables = synced_tables()
    by_table: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for pulled in rows:
        row_id = pulled.row.get("id")
        if pulled.echo or pulled.table not in tables or not isinstance(row_id, str):
            continue  # an echo (see missing_echoes), or a table this version does not know (newer HQ)
        latest = by_table[pulled.table]
        # a row sent twice (as a parent, then itself): the later version
        if _version(latest.get(row_id, {})) <= _version(pulled.row):
            latest[row_id] = pulled.row
    applied = 0
    for name in sorted(by_table, key=lambda n: tables[n].rank):
        table = tables[name]
        latest = by_table[name]
        held = _held_versions(session, table, list(latest))
        new = [typed for row_id, raw in latest.items() if row_id not in held
               and "id" in (typed := _typed(table, raw))]
        stale = [row_id for row_id, raw in latest.items()
                 if row_id in held and held[row_id] < _version(raw)]
        if new and name == "company":
            insert_companies(session, table.cls, new)
        elif new:
            session.execute(insert(table.cls), new)
        audits = [_pulled_insert_audit(name, typed) for typed in new]
        if stale:
            typed_stale = {row_id: _typed(table, latest[row_id]) for row_id in stale}
            audits += _update_rows(session, table, typed_stale)
        if audits:
            write_audits(session, audits)
        session.flush()
        if touched is not None and (new or stale):
            touched.add(name)
        applied += len(new) + len(stale)
    return applied


def missing_echoes(session: Session, rows: list[Pulled]) -> dict[str, list[str]]:
    """Our own changes coming back (``echo``: id and version only) that we do not hold at
    that version: HQ merged others' fields into them, or this database is older than what
    it sent (restored from a copy). Table -> ids, to ask HQ for the whole rows."""
    tables = synced_tables()
    echoed: dict[str, dict[str, int]] = defaultdict(dict)
    for pulled in rows:
        row_id = pulled.row.get("id")
        if pulled.echo and pulled.table in tables and isinstance(row_id, str):
            echoed[pulled.table][row_id] = max(_version(pulled.row), echoed[pulled.table].get(row_id, 0))
    missing: dict[str, list[str]] = {}
    for name, versions in echoed.items():
        held = _held_versions(session, tables[name], list(versions))
        stale = [row_id for row_id, version in versions.items() if held.get(row_id, -1) < version]
        if stale:
            missing[name] = stale
    return missing


def _version(row: dict[str, Any]) -> int:
    version = row.get("row_version")
    return version if type(version) is int else 0


def _held_versions(session: Session, table: SyncedTable, ids: list[str]) -> dict[str, int]:
    cls = table.cls
    held: dict[str, int] = {}
    for start in range(0, len(ids), 900):
        held.update((row_id, version or 0) for row_id, version in session.execute(
            select(cls.id, cls.row_version).where(cls.id.in_(ids[start:start + 900]))))
    return held


def _update_rows(session: Session, table: SyncedTable,
                 values_by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows HQ changed since we took them: HQ's fields, except those we changed since.
    Returns the audit entries of the rows where a field really changed here."""
    ids = list(values_by_id)
    pending = pending_fields(session, ids)
    audits: list[dict[str, Any]] = []
    for start in range(0, len(ids), 500):
        for row in session.scalars(select(table.cls).where(table.cls.id.in_(ids[start:start + 500]))):
            keep = pending.get((table.name, row.id), set())
            values = values_by_id[row.id]
            changes: dict[str, Any] = {}
            for field, value in values.items():
                if field not in keep and field != "id":
                    old = getattr(row, field)
                    if field not in SYNC_COLUMNS and old != value:
                        changes[field] = {"old": to_wire(old), "new": to_wire(value)}
                    setattr(row, field, value)
            if changes:
                op = "update"
                if "deleted_at" in changes:
                    op = "delete" if values.get("deleted_at") is not None else "update"
                audits.append(_hq_audit(table.name, row.id, op, values, changes))
    return audits


def _pulled_insert_audit(table_name: str, typed: dict[str, Any]) -> dict[str, Any]:
    """A row new here: who made it and when, without its values (they are the row itself;
    copying them made the log the largest extra cost of a first pull of 20,000 companies)."""
    return _hq_audit(table_name, typed["id"], "insert", typed, {})


def _hq_audit(table_name: str, row_id: str, op: str, typed: dict[str, Any],
              changes: dict[str, Any]) -> dict[str, Any]:
    """Who and when as HQ says: the row's ``updated_by``/``origin_device``/``updated_at``."""
    return {"at": typed.get("updated_at") or utcnow(), "table_name": table_name, "row_id": row_id,
            "op": op, "source": "hq", "actor": typed.get("updated_by"),
            "device": typed.get("origin_device"), "changes": changes}


def _typed(table: SyncedTable, row: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, raw in row.items():
        column = table.columns.get(name)
        if column is None:
            continue  # a column this version does not know
        try:
            values[name] = from_wire(column, raw)
        except WireValueError:
            continue
    return values


class Sent(Protocol):
    """An outbox entry in a push, as the answer needs it (the driver's row of ``sync_outbox``)."""

    seq: int
    table_name: str
    row_id: str
    # set: answered before, sent again after HQ was restored from a backup
    result: str | None


def apply_results(session: Session, results: list[Decision], sent: dict[str, Sent],
                  touched: set[str] | None = None) -> None:
    """Acknowledges pushed outbox rows, records conflicts, and takes HQ's version numbers.
    Tables where HQ's value replaced ours are added to ``touched``."""
    tables = synced_tables()
    now = utcnow()
    acks: list[tuple[int, str, str | None]] = []
    plain: list[int] = []  # applied as sent: most of a push
    versions: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for result in results:
        entry = sent.get(result.mutation_id)
        if entry is None:
            continue
        status = result.status
        if result.plain:
            plain.append(entry.seq)
            if result.row_version is not None and entry.table_name in tables:
                versions[entry.table_name].append((entry.row_id, result.row_version))
            continue
        if status == Status.DUPLICATE:
            status = result.original or status
        acks.append((entry.seq, str(status), result.reason or None))
        if entry.result is not None and result.status == Status.DUPLICATE:
            # sent again in a full resync and kept by HQ: its conflicts were recorded (and
            # maybe resolved) the first time, and the pull that follows reads the row again
            continue
        # Only an applied change leaves HQ's row equal to ours: take its version (the pull
        # then skips our own echo). A merge brought others' fields too: the pull applies it.
        if entry.table_name in tables and result.row_version is not None and status == Status.APPLIED:
            versions[entry.table_name].append((entry.row_id, result.row_version))
        for conflict in result.conflicts:
            if conflict.winner == "theirs":
                _take_theirs(session, entry, conflict)
                if touched is not None:
                    touched.add(entry.table_name)
            session.add(SyncConflict(
                table_name=entry.table_name, row_id=entry.row_id, field=conflict.field,
                local_value=conflict.mine, remote_value=conflict.theirs,
                winner="local" if conflict.winner == "mine" else "remote",
                remote_updated_by=conflict.theirs_by, remote_updated_at=conflict.theirs_at))
    # the driver's executemany: thousands of rows per push, Core's bind processing per
    # value cost more than the updates
    connection = session.connection()
    moment = sqlite_moment(now)
    plain += [seq for seq, result, detail in acks if result == Status.APPLIED and detail is None]
    if plain:  # most of a push, in a few runs of consecutive entries
        connection.exec_driver_sql(
            "UPDATE sync_outbox SET acked_at = ?, result = ?, detail = NULL WHERE seq BETWEEN ? AND ?",
            [(moment, Status.APPLIED.value, first, last) for first, last in known_ranges(plain, limit=None)])
    others = [(moment, result, detail, seq) for seq, result, detail in acks
              if not (result == Status.APPLIED and detail is None)]
    if others:
        connection.exec_driver_sql(
            "UPDATE sync_outbox SET acked_at = ?, result = ?, detail = ? WHERE seq = ?", others)
    # HQ's version only: the row's server_seq stays as it was (nothing here reads it for a
    # row this laptop sent, and writing it touched three indexes per row of a large push)
    for name, changes in versions.items():
        connection.exec_driver_sql(f'UPDATE "{name}" SET row_version = ? WHERE id = ? AND row_version < ?',
                                   [(version, row_id, version) for row_id, version in changes])


def _take_theirs(session: Session, entry: Sent, conflict: FieldConflict) -> None:
    """HQ kept its value: ours goes into the conflict record, HQ's into the row (a later
    pull may not bring it: the row's version did not change at HQ)."""
    table = synced_tables().get(entry.table_name)
    column = table.columns.get(conflict.field) if table else None
    if table is None or column is None:
        return
    try:
        value = from_wire(column, conflict.theirs)
    except WireValueError:
        return
    cls_table = table.cls.__table__
    session.connection().execute(update(cls_table).where(cls_table.c.id == entry.row_id)
                                 .values({conflict.field: value}))
    if conflict.mine != conflict.theirs:
        write_audits(session, [{
            "at": conflict.theirs_at or utcnow(), "table_name": entry.table_name, "row_id": entry.row_id,
            "op": "update", "source": "hq", "actor": None, "device": conflict.theirs_by,
            "changes": {conflict.field: {"old": conflict.mine, "new": conflict.theirs}}}])


def start_over(session: Session) -> int:
    """A full resync (asked for, or HQ restored from a backup): no version held, every
    change sent again (``replay_outbox``); returns how many. The caller resets the cursor."""
    forget_versions(session)
    return replay_outbox(session)


def resend_missing(session: Session) -> int:
    """After a full resync, rows HQ did not send back (it has no version of them) and that no
    pending change will create: sent again whole, as new changes. Returns how many."""
    pending = {row_id for (row_id,) in session.execute(
        select(SyncOutbox.row_id).where(SyncOutbox.acked_at.is_(None)))}
    missing = []
    for table in synced_tables().values():
        missing += [row for row in session.scalars(select(table.cls).where(table.cls.row_version == 0))
                    if row.id not in pending]
    entries = resend_entries(missing)
    if entries:
        session.connection().execute(insert(SyncOutbox), entries)
    return len(entries)


def scope_digests(session: Session, region: str, advisor_id: str) -> dict[str, tuple[int, str]]:
    """Per synced table: how many rows of this scope (HQ's pull scope) and the digest of
    their ids and versions (``wire.scope_digest``), as HQ's verify computes them."""
    found = {}
    for table in synced_tables().values():
        cls = table.cls
        found[table.name] = scope_digest(session.execute(
            select(cls.id, cls.row_version).where(in_scope(cls, region, advisor_id))))
    return found


def replay_outbox(session: Session) -> int:
    """Every change this laptop ever sent, to be sent again (HQ was restored from a backup
    and may have lost the latest): HQ answers "duplicate" for those it kept and decides the
    others anew, in their order. Returns how many."""
    return session.connection().exec_driver_sql(
        "UPDATE sync_outbox SET acked_at = NULL WHERE acked_at IS NOT NULL").rowcount


def forget_versions(session: Session) -> None:
    """Every synced row as if never acknowledged: after HQ was restored from a backup, the
    next pulls overwrite whatever HQ holds now (its versions may be lower than ours)."""
    for table in synced_tables().values():
        cls_table = table.cls.__table__
        session.connection().execute(update(cls_table).values(row_version=0, server_seq=None))


def store_advisors(session: Session, advisors: list[AdvisorInfo]) -> None:
    for info in advisors:
        row = session.get(Advisor, info.id)
        if row is None:
            session.add(Advisor(id=info.id, name=info.name, email=info.email,
                                region_code=info.region_code, active=info.active))
        else:
            row.name, row.email, row.region_code, row.active = (
                info.name, info.email, info.region_code, info.active)


def utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")
