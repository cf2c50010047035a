"""Pull pages read by index: (scope_region, server_seq) and (scope_advisor, server_seq)
replace the single-column scope indexes of every synced table; and the first company
search index (0002's ``company_fts``), unread since 0003's listing index, is dropped.

A pull page is "the rows of my region (or mine) after the cursor, in server_seq order,
the first N". With one index per scope column, SQLite and PostgreSQL gathered every row of
the scope, then sorted them, for every page: a pull of 100,000 rows read the region
100 times. With the cursor as the second column, each page is one index range scan of N
rows. The composite indexes serve the scope lookups the single ones served (same prefix).

``company_fts`` and its three triggers cost every company insert and update (about an
eighth of a bulk insert) for an index nothing queries any more.

Plain CREATE/DROP INDEX (no batch mode: recreating a table on SQLite would drop the
companies list triggers of 0003).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 05:10:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SYNCED = (
    'company', 'person', 'coaching_group', 'enrolment', 'certificate', 'coaching_session',
    'diagnostic', 'group_membership', 'stage_transition', 'attendance', 'commitment',
    'diagnostic_answer', 'key_problem', 'action', 'indicator', 'indicator_reading',
)


FTS_COLUMNS = "name, city, ice, phone, email"
FTS_NEW = "new.name, new.city, new.ice, new.phone, new.email"
FTS_OLD = "old.name, old.city, old.ice, old.phone, old.email"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("company_fts_ai", "company_fts_ad", "company_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS company_fts")
    for table in SYNCED:
        op.drop_index(f'ix_{table}_scope_region', table_name=table)
        op.drop_index(f'ix_{table}_scope_advisor', table_name=table)
        op.create_index(f'ix_{table}_region_seq', table, ['scope_region', 'server_seq'])
        op.create_index(f'ix_{table}_advisor_seq', table, ['scope_advisor', 'server_seq'])


def downgrade() -> None:
    for table in SYNCED:
        op.drop_index(f'ix_{table}_advisor_seq', table_name=table)
        op.drop_index(f'ix_{table}_region_seq', table_name=table)
        op.create_index(f'ix_{table}_scope_advisor', table, ['scope_advisor'])
        op.create_index(f'ix_{table}_scope_region', table, ['scope_region'])
    if op.get_bind().dialect.name != "sqlite":
        return
    # 0002's index, as it made it
    op.execute(
        f"CREATE VIRTUAL TABLE company_fts USING fts5({FTS_COLUMNS}, content='company', "
        "content_rowid='rowid', tokenize=\"unicode61 remove_diacritics 2 tokenchars '-'\", "
        "prefix='1 2 3')")
    op.execute("CREATE TRIGGER company_fts_ai AFTER INSERT ON company BEGIN "
               f"INSERT INTO company_fts(rowid, {FTS_COLUMNS}) VALUES (new.rowid, {FTS_NEW}); END")
    op.execute("CREATE TRIGGER company_fts_ad AFTER DELETE ON company BEGIN "
               f"INSERT INTO company_fts(company_fts, rowid, {FTS_COLUMNS}) "
               f"VALUES ('delete', old.rowid, {FTS_OLD}); END")
    op.execute("CREATE TRIGGER company_fts_au AFTER UPDATE OF name, city, ice, phone, email ON company "
               f"BEGIN INSERT INTO company_fts(company_fts, rowid, {FTS_COLUMNS}) "
               f"VALUES ('delete', old.rowid, {FTS_OLD}); "
               f"INSERT INTO company_fts(rowid, {FTS_COLUMNS}) VALUES (new.rowid, {FTS_NEW}); END")
    op.execute("INSERT INTO company_fts(company_fts) VALUES ('rebuild')")
