"""Counting queries (no commit, no session lifecycle: the caller owns both)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from advisor_app.domain.base import Base
from advisor_app.domain.local import SyncConflict, SyncOutbox


def count_rows_per_table(session: Session) -> dict[str, int]:
    return {
        name: session.scalar(select(func.count()).select_from(table)) or 0
        for name, table in sorted(Base.metadata.tables.items())
    }


def count_pending_outbox(session: Session) -> int:
    stmt = select(func.count()).select_from(SyncOutbox).where(SyncOutbox.acked_at.is_(None))
    return session.scalar(stmt) or 0


def count_open_conflicts(session: Session) -> int:
    stmt = select(func.count()).select_from(SyncConflict).where(SyncConflict.resolved_at.is_(None))
    return session.scalar(stmt) or 0
