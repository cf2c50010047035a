"""What a database holds: rows per table, pending changes and open conflicts."""

from __future__ import annotations

from dataclasses import dataclass

from advisor_app.services.database import DEMO_KEY, DEVICE_KEY, Database, get_setting
from advisor_app.storage import migrate
from advisor_app.storage.repositories import stats as repo


@dataclass(frozen=True)
class DatabaseStats:
    database: str
    schema_revision: str | None
    device_id: str | None
    demo_data: bool
    tables: dict[str, int]
    outbox_pending: int
    conflicts_open: int


def database_stats(db: Database) -> DatabaseStats:
    with db.sessions() as session:
        return DatabaseStats(
            database=str(db.path),
            schema_revision=migrate.current_revision(db.engine),
            device_id=get_setting(session, DEVICE_KEY),
            demo_data=get_setting(session, DEMO_KEY) == "1",
            tables=repo.count_rows_per_table(session),
            outbox_pending=repo.count_pending_outbox(session),
            conflicts_open=repo.count_open_conflicts(session),
        )
