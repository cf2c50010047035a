"""Full-text search on companies (SQLite FTS5, accent-insensitive: "beni" finds "Béni").

An external-content FTS5 table kept in step by triggers, so a search keystroke is one
indexed query instead of a LIKE scan over every company. PostgreSQL (HQ) does not need it.
A later batch migration that recreates `company` drops these triggers: recreate them there.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 00:05:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "name, city, ice, phone, email"
NEW_VALUES = "new.name, new.city, new.ice, new.phone, new.email"
OLD_VALUES = "old.name, old.city, old.ice, old.phone, old.email"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        f"CREATE VIRTUAL TABLE company_fts USING fts5({COLUMNS}, content='company', "
        "content_rowid='rowid', tokenize=\"unicode61 remove_diacritics 2 tokenchars '-'\", "
        "prefix='1 2 3')"
    )
    op.execute(
        "CREATE TRIGGER company_fts_ai AFTER INSERT ON company BEGIN "
        f"INSERT INTO company_fts(rowid, {COLUMNS}) VALUES (new.rowid, {NEW_VALUES}); END"
    )
    op.execute(
        "CREATE TRIGGER company_fts_ad AFTER DELETE ON company BEGIN "
        f"INSERT INTO company_fts(company_fts, rowid, {COLUMNS}) "
        f"VALUES ('delete', old.rowid, {OLD_VALUES}); END"
    )
    op.execute(
        "CREATE TRIGGER company_fts_au AFTER UPDATE OF name, city, ice, phone, email ON company "
        f"BEGIN INSERT INTO company_fts(company_fts, rowid, {COLUMNS}) "
        f"VALUES ('delete', old.rowid, {OLD_VALUES}); "
        f"INSERT INTO company_fts(rowid, {COLUMNS}) VALUES (new.rowid, {NEW_VALUES}); END"
    )
    # Companies registered before this revision.
    op.execute("INSERT INTO company_fts(company_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("company_fts_ai", "company_fts_ad", "company_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS company_fts")
