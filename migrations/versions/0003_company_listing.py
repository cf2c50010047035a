"""The companies list as a local table kept by triggers, and full-text search over it.

`company_listing` (local, never synced) holds one row per live company with what the list
shows, filters and sorts by: region and sector names, the stage of the latest enrolment,
the group that enrolment is an active member of, accent-free sort keys, and search text
(ICE, phone in its written forms, e-mail, names of the company's people, Latin and Arabic).
A first page of 100 000 companies is then one table read (an index walk for the default
sort, one sort pass otherwise) instead of correlated subqueries for every company.

`company_fts_listing` is an external-content FTS5 index over that table (rowid = its
INTEGER PRIMARY KEY, so VACUUM cannot renumber it), fed by triggers on the listing.

On SQLite, triggers on company, person, enrolment, group_membership, coaching_group,
region and sector keep the listing in step with every write, bulk SQL included. The table
is created on PostgreSQL as well (models and migrations agree on both backends) but HQ
has neither triggers nor index and leaves it empty.

A later batch migration that recreates one of those tables drops its triggers: recreate
them there (``_triggers()`` below, as for the FTS triggers of 0002).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 01:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite's lower() only knows ASCII: accented capitals are mapped explicitly. Keep in step
# with advisor_app/storage/repositories/company_search.py (a test compares both).
_LATIN = (
    ("a", "àâäáãåÀÂÄÁÃÅ"), ("c", "çÇ"), ("e", "éèêëÉÈÊË"), ("i", "îïíìÎÏÍÌ"),
    ("o", "ôöóòõÔÖÓÒÕ"), ("u", "ûüúùÛÜÚÙ"), ("y", "ÿýŸÝ"), ("n", "ñÑ"), ("oe", "œŒ"),
    ("ae", "æÆ"),
)
# Arabic as typed in a search box: no short vowels or tatweel, one alef, ya and ha.
_ARABIC = (
    ("", "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"),
    ("\u0627", "\u0623\u0625\u0622\u0671"), ("\u064a", "\u0649"), ("\u0647", "\u0629"),
)


def _replace_all(expr: str, pairs: Sequence[tuple[str, str]]) -> str:
    for source, target in pairs:
        expr = f"replace({expr}, '{source}', '{target}')"
    return expr


def _pairs(table: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return [(ch, target) for target, sources in table for ch in sources]


def _chained(expr: str, table: tuple[tuple[str, str], ...], chunk: int = 15) -> str:
    """``replace(replace(...))`` over the whole table. SQLite's parser stack (depth ~25 in a
    trigger) cannot take one call nested 56 deep, so the chain is cut into sub-selects."""
    pairs = _pairs(table)
    inner = f"SELECT {_replace_all(expr, pairs[:chunk])} AS k"
    for start in range(chunk, len(pairs), chunk):
        inner = f"SELECT {_replace_all('k', pairs[start:start + chunk])} AS k FROM ({inner})"
    return f"({inner})"


def fold(expr: str) -> str:
    """Sort key: lower case without French accents (the replace chain only for non-ASCII)."""
    return f"CASE WHEN {expr} GLOB '*[^ -~]*' THEN {_chained(f'lower({expr})', _LATIN)} ELSE lower({expr}) END"


def arabic(expr: str) -> str:
    return _chained(expr, _ARABIC)


STAGE_RANK = (
    "CASE {} WHEN 'registered' THEN 1 WHEN 'diagnosed' THEN 2 WHEN 'in_group' THEN 3 "
    "WHEN 'plan_validated' THEN 4 WHEN 'coaching' THEN 5 WHEN 'completed' THEN 6 "
    "WHEN 'dropped' THEN 7 ELSE 0 END"
)
# Searched phone forms: +212612345678 -> "+212612345678 0612345678 612345678".
PHONES = (
    "trim(coalesce(c.phone, '') || CASE WHEN c.phone LIKE '+212%' "
    "THEN ' 0' || substr(c.phone, 5) || ' ' || substr(c.phone, 5) ELSE '' END)"
)


def people_text(company: str) -> str:
    """Names of the company's live people, Latin then Arabic (folded), for the search."""
    return (
        "coalesce((SELECT group_concat(p.first_name || ' ' || p.last_name || ' ' || "
        + arabic("p.first_name_ar || ' ' || p.last_name_ar")
        + f", ' ') FROM person p WHERE p.company_id = {company} AND p.deleted_at IS NULL), '')"
    )


OWN_COLUMNS = (
    "company_id", "name", "name_key", "city", "city_key", "segment", "region_code",
    "region_name", "region_key", "sector_code", "sector_name", "sector_key", "ice", "phones",
    "email", "people",
)
OWN_VALUES = (
    "c.id", "c.name", fold("c.name"), "coalesce(c.city, '')", fold("coalesce(c.city, '')"),
    "c.segment", "c.region_code", "coalesce(r.name_fr, '')", fold("coalesce(r.name_fr, '')"),
    "c.sector_code", "coalesce(s.name_fr, '')", fold("coalesce(s.name_fr, '')"),
    "coalesce(c.ice, '')", PHONES, "coalesce(c.email, '')", people_text("c.id"),
)
SEARCHED = ("name", "city", "ice", "phones", "email", "people")
# Few indexes on purpose: each costs every insert (demo data, sync pulls). The default sort
# (name) and the group filter walk an index; any other sort is one SQLite sort pass.
INDEXES = {
    "ix_company_listing_by_name": ["name_key", "company_id"],
    "ix_company_listing_in_group": ["group_id", "name_key", "company_id"],
}


def upsert(where: str) -> str:
    """(Re)writes the company's own columns; the pipeline columns are left to refresh()."""
    return (
        f"INSERT INTO company_listing ({', '.join(OWN_COLUMNS)}, stage_rank, group_name, "
        f"group_key) SELECT {', '.join(OWN_VALUES)}, 0, '', '' FROM company c "
        "LEFT JOIN region r ON r.code = c.region_code "
        "LEFT JOIN sector s ON s.code = c.sector_code "
        f"WHERE c.deleted_at IS NULL AND {where} ON CONFLICT (company_id) DO UPDATE SET "
        + ", ".join(f"{col} = excluded.{col}" for col in OWN_COLUMNS[1:])
    )


def refresh_statements(where: str, *, enrolment: bool = True) -> list[str]:
    """Stage and group of the latest live enrolment, for the rows ``where`` selects: the
    enrolment first (unless it cannot have changed), then what follows from it."""
    membership = (
        "(SELECT {} FROM group_membership m JOIN coaching_group g ON g.id = m.group_id "
        "WHERE m.enrolment_id = company_listing.enrolment_id AND m.left_on IS NULL "
        "AND m.deleted_at IS NULL AND g.deleted_at IS NULL "
        "ORDER BY m.joined_on DESC, m.id DESC LIMIT 1)"
    )
    group_name = f"coalesce({membership.format('g.name')}, '')"
    stage = "(SELECT e.stage FROM enrolment e WHERE e.id = company_listing.enrolment_id)"
    latest = [
        "UPDATE company_listing SET enrolment_id = (SELECT e.id FROM enrolment e "
        "WHERE e.company_id = company_listing.company_id AND e.deleted_at IS NULL "
        f"ORDER BY e.enrolled_on DESC, e.id DESC LIMIT 1) WHERE {where}"]
    return latest * enrolment + [
        f"UPDATE company_listing SET stage = {stage}, stage_rank = {STAGE_RANK.format(stage)}, "
        f"group_id = {membership.format('m.group_id')}, group_name = {group_name}, "
        f"group_key = lower({group_name}) WHERE {where}",
        # accents: a second pass, only for names that have some (too deep for one statement)
        f"UPDATE company_listing SET group_key = {fold('group_name')} "
        f"WHERE {where} AND group_name GLOB '*[^ -~]*'",
    ]


def refresh(where: str, *, enrolment: bool = True) -> str:
    return " ".join(f"{statement};" for statement in refresh_statements(where, enrolment=enrolment))


def people(company: str) -> str:
    return (f"UPDATE company_listing SET people = {people_text('company_listing.company_id')} "
            f"WHERE company_id = {company};")


def _changed(columns: Sequence[str]) -> str:
    return " OR ".join(f"old.{col} IS NOT new.{col}" for col in columns)


def _triggers() -> dict[str, str]:
    """name -> CREATE TRIGGER statement."""
    company_cols = ("name", "city", "ice", "phone", "email", "segment", "region_code",
                    "sector_code", "deleted_at")
    person_cols = ("first_name", "last_name", "first_name_ar", "last_name_ar", "deleted_at",
                   "company_id")
    enrolment_cols = ("company_id", "stage", "enrolled_on", "deleted_at")
    member_cols = ("group_id", "enrolment_id", "joined_on", "left_on", "deleted_at")
    company_of = "(SELECT e.company_id FROM enrolment e WHERE e.id = {}.enrolment_id)"
    fts_cols = ", ".join(SEARCHED)
    fts_old = ", ".join(f"old.{c}" for c in SEARCHED)
    fts_new = ", ".join(f"new.{c}" for c in SEARCHED)
    fts_delete = (f"INSERT INTO company_fts_listing(company_fts_listing, rowid, {fts_cols}) "
                  f"VALUES ('delete', old.id, {fts_old});")
    fts_insert = f"INSERT INTO company_fts_listing(rowid, {fts_cols}) VALUES (new.id, {fts_new});"
    bodies = {
        # the full-text index follows the listing
        "company_listing_fts_ai": f"AFTER INSERT ON company_listing BEGIN {fts_insert} END",
        "company_listing_fts_ad": f"AFTER DELETE ON company_listing BEGIN {fts_delete} END",
        "company_listing_fts_au": (
            f"AFTER UPDATE OF {fts_cols} ON company_listing WHEN {_changed(SEARCHED)} "
            f"BEGIN {fts_delete} {fts_insert} END"),
        # company: its own row (people and enrolments cannot exist before it)
        "company_listing_company_ai": (
            f"AFTER INSERT ON company WHEN new.deleted_at IS NULL BEGIN {upsert('c.id = new.id')}; END"),
        "company_listing_company_au": (
            f"AFTER UPDATE OF {', '.join(company_cols)} ON company WHEN new.deleted_at IS NULL "
            f"AND ({_changed(company_cols)}) BEGIN {upsert('c.id = new.id')}; "
            # a restored company gets its stage and group back
            + refresh("company_id = new.id AND old.deleted_at IS NOT NULL") + " END"),
        "company_listing_company_soft_delete": (
            "AFTER UPDATE OF deleted_at ON company WHEN new.deleted_at IS NOT NULL "
            "BEGIN DELETE FROM company_listing WHERE company_id = old.id; END"),
        "company_listing_company_ad": (
            "AFTER DELETE ON company BEGIN DELETE FROM company_listing WHERE company_id = old.id; END"),
        # people: searched names
        "company_listing_person_ai": f"AFTER INSERT ON person BEGIN {people('new.company_id')} END",
        "company_listing_person_au": (
            f"AFTER UPDATE OF {', '.join(person_cols)} ON person WHEN {_changed(person_cols)} "
            f"BEGIN {people('new.company_id')} {people('old.company_id')} END"),
        "company_listing_person_ad": f"AFTER DELETE ON person BEGIN {people('old.company_id')} END",
        # enrolments and group memberships: stage and group
        "company_listing_enrolment_ai": (
            f"AFTER INSERT ON enrolment BEGIN {refresh('company_id = new.company_id')} END"),
        "company_listing_enrolment_au": (
            f"AFTER UPDATE OF {', '.join(enrolment_cols)} ON enrolment "
            f"WHEN {_changed(enrolment_cols)} "
            f"BEGIN {refresh('company_id IN (old.company_id, new.company_id)')} END"),
        "company_listing_enrolment_ad": (
            f"AFTER DELETE ON enrolment BEGIN {refresh('company_id = old.company_id')} END"),
        "company_listing_membership_ai": (
            "AFTER INSERT ON group_membership "
            f"BEGIN {refresh('company_id = ' + company_of.format('new'), enrolment=False)} END"),
        "company_listing_membership_au": (
            f"AFTER UPDATE OF {', '.join(member_cols)} ON group_membership "
            f"WHEN {_changed(member_cols)} BEGIN "
            + refresh(f"company_id IN ({company_of.format('old')}, {company_of.format('new')})",
                      enrolment=False)
            + " END"),
        "company_listing_membership_ad": (
            "AFTER DELETE ON group_membership "
            f"BEGIN {refresh('company_id = ' + company_of.format('old'), enrolment=False)} END"),
        # names shown and sorted on
        "company_listing_group_name": (
            "AFTER UPDATE OF name ON coaching_group WHEN old.name IS NOT new.name BEGIN "
            f"UPDATE company_listing SET group_name = new.name, group_key = {fold('new.name')} "
            "WHERE group_id = new.id; END"),
        "company_listing_group_deleted": (
            "AFTER UPDATE OF deleted_at ON coaching_group WHEN old.deleted_at IS NOT new.deleted_at "
            "BEGIN " + refresh(
                "company_id IN (SELECT e.company_id FROM group_membership m "
                "JOIN enrolment e ON e.id = m.enrolment_id WHERE m.group_id = new.id)") + " END"),
        "company_listing_region_name": (
            "AFTER UPDATE OF name_fr ON region WHEN old.name_fr IS NOT new.name_fr BEGIN "
            f"UPDATE company_listing SET region_name = new.name_fr, region_key = {fold('new.name_fr')} "
            "WHERE region_code = new.code; END"),
        "company_listing_sector_name": (
            "AFTER UPDATE OF name_fr ON sector WHEN old.name_fr IS NOT new.name_fr BEGIN "
            f"UPDATE company_listing SET sector_name = new.name_fr, sector_key = {fold('new.name_fr')} "
            "WHERE sector_code = new.code; END"),
    }
    return {name: f"CREATE TRIGGER {name} {body}" for name, body in bodies.items()}


def upgrade() -> None:
    op.create_table('company_listing',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('company_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=80), nullable=False),
    sa.Column('city_key', sa.String(length=80), nullable=False),
    sa.Column('segment', sa.String(length=24), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('region_name', sa.String(length=120), nullable=False),
    sa.Column('region_key', sa.String(length=120), nullable=False),
    sa.Column('sector_code', sa.String(length=16), nullable=True),
    sa.Column('sector_name', sa.String(length=120), nullable=False),
    sa.Column('sector_key', sa.String(length=120), nullable=False),
    sa.Column('ice', sa.String(length=15), nullable=False),
    sa.Column('phones', sa.String(length=80), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('people', sa.String(length=4000), nullable=False),
    sa.Column('enrolment_id', sa.String(length=36), nullable=True),
    sa.Column('stage', sa.String(length=24), nullable=True),
    sa.Column('stage_rank', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.String(length=36), nullable=True),
    sa.Column('group_name', sa.String(length=120), nullable=False),
    sa.Column('group_key', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_listing')),
    sa.UniqueConstraint('company_id', name=op.f('uq_company_listing_company_id'))
    )
    with op.batch_alter_table('company_listing', schema=None) as batch_op:
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)

    if op.get_bind().dialect.name != "sqlite":
        return
    # Companies registered before this revision, then the index over them, then the triggers.
    op.execute(upsert("1"))
    for statement in refresh_statements("1"):
        op.execute(statement)
    op.execute(
        f"CREATE VIRTUAL TABLE company_fts_listing USING fts5({', '.join(SEARCHED)}, "
        "content='company_listing', content_rowid='id', "
        "tokenize=\"unicode61 remove_diacritics 2\", prefix='1 2 3')"
    )
    # Bulk loads (demo data, a long sync pull) keep up to 32 MB of new index in memory
    # before writing a segment: fewer, larger segments, and fewer for each probe to seek.
    op.execute("INSERT INTO company_fts_listing(company_fts_listing, rank) VALUES ('hashsize', 33554432)")
    op.execute("INSERT INTO company_fts_listing(company_fts_listing) VALUES ('rebuild')")
    for statement in _triggers().values():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS company_fts_listing")
    with op.batch_alter_table('company_listing', schema=None) as batch_op:
        for name in reversed(INDEXES):
            batch_op.drop_index(name)
    op.drop_table('company_listing')
