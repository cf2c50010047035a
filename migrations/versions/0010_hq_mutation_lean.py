"""HQ's record of decided mutations, cheaper to write: a push stores one per change.
The index on its device was never read (drop it); on SQLite the table becomes WITHOUT
ROWID, so a record is one insert into its primary key instead of two (the table and the
key's index).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 22:45:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "mutation_id, device_id, table_name, row_id, result, received_at"


def _rebuild(rowid: bool) -> None:
    """SQLite: the table copied into a new one with or without its rowid."""
    op.execute(
        "CREATE TABLE hq_mutation_new ("
        "mutation_id VARCHAR(36) NOT NULL, device_id VARCHAR(36) NOT NULL, "
        "table_name VARCHAR(64) NOT NULL, row_id VARCHAR(36) NOT NULL, result JSON NOT NULL, "
        "received_at DATETIME NOT NULL, CONSTRAINT pk_hq_mutation PRIMARY KEY (mutation_id))"
        + ("" if rowid else " WITHOUT ROWID"))
    op.execute(f"INSERT INTO hq_mutation_new ({COLUMNS}) SELECT {COLUMNS} FROM hq_mutation")
    op.execute("DROP TABLE hq_mutation")
    op.execute("ALTER TABLE hq_mutation_new RENAME TO hq_mutation")


def upgrade() -> None:
    op.drop_index('ix_hq_mutation_device_id', table_name='hq_mutation')
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(rowid=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(rowid=True)
    op.create_index('ix_hq_mutation_device_id', 'hq_mutation', ['device_id'], unique=False)
