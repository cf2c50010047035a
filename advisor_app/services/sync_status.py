"""Where this laptop stands with headquarters: enrolment, changes waiting to be sent (by
kind of record), last sync, conflicts waiting for the advisor. Read-only."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from advisor_app.domain.local import SyncConflict, SyncOutbox
from advisor_app.i18n import tr
from advisor_app.services.database import DEMO_KEY, DEVICE_KEY, Database, get_setting

HQ_URL_KEY = "hq_url"
LAST_SYNC_KEY = "last_sync_at"

# synced table -> what the advisor calls its rows (French source text)
TABLE_LABELS: dict[str, str] = {
    "company": "Entreprises", "person": "Personnes", "enrolment": "Inscriptions",
    "stage_transition": "Changements d'étape", "coaching_group": "Groupes",
    "group_membership": "Entrées et sorties de groupes", "diagnostic": "Diagnostics",
    "diagnostic_answer": "Réponses aux diagnostics", "key_problem": "Problèmes clés",
    "action": "Actions", "indicator": "Indicateurs", "indicator_reading": "Relevés d'indicateurs",
    "coaching_session": "Séances", "attendance": "Émargements", "commitment": "Engagements",
    "certificate": "Certificats",
}


def moment_text(stored: str | None) -> str | None:
    """A stored UTC moment (ISO 8601) as the advisor reads it: local time, 23/11/2026 14:05."""
    if not stored:
        return None
    try:
        moment = dt.datetime.fromisoformat(stored)
    except ValueError:
        return stored
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")


def table_label(table: str) -> str:
    return tr(TABLE_LABELS[table]) if table in TABLE_LABELS else table


@dataclass(frozen=True)
class PendingKind:
    table: str
    label: str
    changes: int
    oldest: dt.datetime


@dataclass(frozen=True)
class ConflictRow:
    id: int
    table_label: str
    row_id: str
    field: str
    local_value: str
    remote_value: str
    kept: str  # "local" / "remote": the value in force until the advisor decides
    since: dt.datetime


@dataclass(frozen=True)
class SyncStatus:
    device_id: str
    hq_url: str | None  # None: not enrolled with headquarters yet
    demo_data: bool
    last_sync: str | None
    pending: tuple[PendingKind, ...]
    conflicts: tuple[ConflictRow, ...]

    @property
    def pending_total(self) -> int:
        return sum(kind.changes for kind in self.pending)


def sync_status(db: Database) -> SyncStatus:
    with db.sessions() as session:
        o = SyncOutbox
        pending = tuple(sorted(
            (PendingKind(table, table_label(table), count, oldest)
             for table, count, oldest in session.execute(
                select(o.table_name, func.count(), func.min(o.created_at))
                .where(o.acked_at.is_(None)).group_by(o.table_name))),
            key=lambda kind: (-kind.changes, kind.label)))
        c = SyncConflict
        conflicts = tuple(
            ConflictRow(row.id, table_label(row.table_name), row.row_id, row.field,
                        _shown(row.local_value), _shown(row.remote_value), row.winner, row.created_at)
            for row in session.scalars(
                select(c).where(c.resolved_at.is_(None)).order_by(c.created_at, c.id)))
        return SyncStatus(
            device_id=get_setting(session, DEVICE_KEY) or "",
            hq_url=get_setting(session, HQ_URL_KEY),
            demo_data=get_setting(session, DEMO_KEY) is not None,
            last_sync=moment_text(get_setting(session, LAST_SYNC_KEY)),
            pending=pending, conflicts=conflicts)


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
