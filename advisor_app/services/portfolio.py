"""What the status bar and pickers need: plain data, no ORM object leaves a service."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from advisor_app.domain.reference import Advisor
from advisor_app.services.database import ADVISOR_KEY, Database, get_setting
from advisor_app.services.sync_status import LAST_SYNC_KEY, moment_text
from advisor_app.storage.repositories import stats as stats_repo


@dataclass(frozen=True)
class StatusInfo:
    database: str
    advisor: str | None
    pending_changes: int
    open_conflicts: int
    last_sync: str | None


def status_info(db: Database) -> StatusInfo:
    with db.sessions() as session:
        advisor_id = get_setting(session, ADVISOR_KEY)
        advisor = (
            session.scalar(select(Advisor.name).where(Advisor.id == advisor_id))
            if advisor_id else None
        )
        return StatusInfo(
            database=str(db.path),
            advisor=advisor,
            pending_changes=stats_repo.count_pending_outbox(session),
            open_conflicts=stats_repo.count_open_conflicts(session),
            last_sync=moment_text(get_setting(session, LAST_SYNC_KEY)),
        )


def advisor_choices(db: Database) -> list[tuple[str, str]]:
    """(id, name) of active advisors, for "who coaches this group" pickers."""
    with db.sessions() as session:
        rows = session.execute(
            select(Advisor.id, Advisor.name)
            .where(Advisor.active.is_(True), Advisor.deleted_at.is_(None))
            .order_by(Advisor.name)
        ).all()
    return [(row[0], row[1]) for row in rows]
