"""Writing what HQ says into the laptop's database, without echoing it to the outbox
(``REMOTE_APPLY``): pulled rows, the answers to a push, conflicts, the region's advisors.

A pulled row never overwrites a field the advisor changed since the last push (its
change is still in the outbox and will be merged at HQ on the next push)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from advisor_app.domain.base import utcnow
from advisor_app.domain.local import LocalSetting, SyncConflict, SyncOutbox
from advisor_app.domain.reference import Advisor
from advisor_app.sync.capture import REMOTE_APPLY
from advisor_app.sync.rows import WireValueError, from_wire, synced_tables
from advisor_app.sync.wire import AdvisorInfo, MutationResult, PulledRow, Status

ACKED = frozenset({Status.APPLIED, Status.MERGED, Status.CONFLICT, Status.REJECTED, Status.DUPLICATE})


def get(session: Session, key: str) -> str | None:
    return session.scalar(select(LocalSetting.value).where(LocalSetting.key == key))


def put(session: Session, key: str, value: str) -> None:
    row = session.get(LocalSetting, key)
    if row is None:
        session.add(LocalSetting(key=key, value=value))
    else:
        row.value = value


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


def apply_rows(session: Session, rows: list[PulledRow]) -> int:
    """Upserts pulled rows (parents first); returns how many changed something here."""
    tables = synced_tables()
    pending = pending_fields(session, [r.row["id"] for r in rows if "id" in r.row])
    applied = 0
    for pulled in sorted(rows, key=lambda r: (tables[r.table].rank if r.table in tables else 1 << 30,
                                              r.server_seq)):
        table = tables.get(pulled.table)
        if table is None:
            continue  # a table this version does not know (newer HQ): skipped, not fatal
        values: dict[str, Any] = {}
        for name, raw in pulled.row.items():
            column = table.columns.get(name)
            if column is None:
                continue  # a column this version does not know
            try:
                values[name] = from_wire(column, raw)
            except WireValueError:
                continue
        row = session.get(table.cls, values["id"])
        if row is None:
            session.add(table.cls(**values))
            applied += 1
            continue
        if (row.row_version or 0) > (values.get("row_version") or 0):
            continue  # we already hold a later version
        keep = pending.get((table.name, row.id), set())
        for name, value in values.items():
            if name not in keep and name != "id":
                setattr(row, name, value)
        applied += 1
    session.flush()
    return applied


def apply_results(session: Session, results: list[MutationResult], sent: dict[str, SyncOutbox]) -> None:
    """Acknowledges pushed outbox rows, records conflicts, and takes HQ's version numbers."""
    tables = synced_tables()
    now = utcnow()
    for result in results:
        entry = sent.get(result.mutation_id)
        if entry is None:
            continue
        status = result.original or result.status if result.status == Status.DUPLICATE else result.status
        entry.acked_at, entry.result, entry.detail = now, str(status), result.reason or None
        table = tables.get(entry.table_name)
        if table is not None and result.row_version is not None:
            session.execute(
                update(table.cls).where(table.cls.id == entry.row_id,
                                        table.cls.row_version < result.row_version)
                .values(row_version=result.row_version, server_seq=result.server_seq))
        for conflict in result.conflicts:
            session.add(SyncConflict(
                table_name=entry.table_name, row_id=entry.row_id, field=conflict.field,
                local_value=conflict.mine, remote_value=conflict.theirs,
                winner="local" if conflict.winner == "mine" else "remote",
                remote_updated_by=conflict.theirs_by, remote_updated_at=conflict.theirs_at))


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
