"""Companies list queries over ``company_listing`` and its FTS5 index (SQLite, revision 0003).

A page is an index walk on the sort key with a LIMIT; the full-text part is one FTS5 MATCH
whose rowids are the listing's. Columns that cost a lookup per row (overdue actions) are
computed for the page's rows only, after the LIMIT. No commit here: the caller owns the
session and its transaction.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Executable,
    Select,
    bindparam,
    case,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy import text as sql
from sqlalchemy.orm import Session, aliased

from advisor_app.domain.action_plans import Action, KeyProblem
from advisor_app.domain.companies import Company
from advisor_app.domain.enrolments import CoachingGroup
from advisor_app.domain.enums import ActionStatus, Stage
from advisor_app.domain.listing import CompanyListing as L
from advisor_app.domain.reference import Region, Sector

NOT_ENROLLED = "none"
CLOSED_STAGES = (Stage.COMPLETED.value, Stage.DROPPED.value)
CLOSED_ACTIONS = (ActionStatus.DONE, ActionStatus.DROPPED)
FTS_TABLE = "company_fts_listing"
SORT_KEYS: dict[str, tuple[Any, ...]] = {
    "name": (L.name_key, L.company_id),
    "city": (L.city_key, L.name_key, L.company_id),
    "region": (L.region_key, L.name_key, L.company_id),
    "sector": (L.sector_key, L.name_key, L.company_id),
    "stage": (L.stage_rank, L.name_key, L.company_id),
    "group": (L.group_key, L.name_key, L.company_id),
}

# Same folding as revision 0003 applies to stored text (sort keys, Arabic names).
_LATIN = (
    ("a", "àâäáãåÀÂÄÁÃÅ"), ("c", "çÇ"), ("e", "éèêëÉÈÊË"), ("i", "îïíìÎÏÍÌ"),
    ("o", "ôöóòõÔÖÓÒÕ"), ("u", "ûüúùÛÜÚÙ"), ("y", "ÿýŸÝ"), ("n", "ñÑ"), ("oe", "œŒ"),
    ("ae", "æÆ"),
)
_ARABIC = (
    ("", "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"),
    ("\u0627", "\u0623\u0625\u0622\u0671"), ("\u064a", "\u0649"), ("\u0647", "\u0629"),
)
_LATIN_MAP = str.maketrans({ch: target for target, sources in _LATIN for ch in sources})
_ARABIC_MAP = str.maketrans({ch: target for target, sources in _ARABIC for ch in sources})
_ASCII_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})
_NUMBER_ONLY = re.compile(r"[\d\s.\-+/()]*\d[\d\s.\-+/()]*")
_WORD = re.compile(r"\w+")


def sort_key(text: str) -> str:
    """What the listing's ``*_key`` columns hold for ``text`` (SQLite's ASCII-only lower())."""
    return text.translate(_ASCII_LOWER).translate(_LATIN_MAP)


def fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression: every word must start a word of the company's searched
    text, accents aside ("beni mell" finds "Béni Mellal"). A number typed with spaces,
    dots or dashes (ICE, phone: "06 12 34", "+212 6 12") is one number. None: nothing to
    search for."""
    text = unicodedata.normalize("NFC", text).translate(_ARABIC_MAP).strip()
    if _NUMBER_ONLY.fullmatch(text):
        digits = re.sub(r"\D", "", text)
        # "00212 6..." is a phone number written the international way; an ICE starts with
        # 00 too: either reading matches.
        if text.startswith("00") and len(digits) > 2:
            return f'"{digits}"* OR "{digits[2:]}"*'
        return f'"{digits}"*'
    words = _WORD.findall(text.replace("_", " "))
    # Quoted: a word is never read as an operator (AND, NEAR, "-"...).
    return " ".join(f'"{word}"*' for word in words) or None


@dataclass(frozen=True)
class Criteria:
    text: str = ""
    region_code: str | None = None
    segment: str | None = None
    sector_code: str | None = None
    stage: str | None = None  # a Stage value or NOT_ENROLLED
    group_id: str | None = None


# stage -> company_listing.stage_rank (revision 0003: not enrolled first, the pipeline in
# order, dropped last); the stage filter and the stage sort both read the rank.
STAGE_RANKS: dict[str, int] = {
    NOT_ENROLLED: 0, "registered": 1, "diagnosed": 2, "in_group": 3, "plan_validated": 4,
    "coaching": 5, "completed": 6, "dropped": 7,
}
_FILTERS: dict[str, ColumnElement[bool]] = {
    "region_code": L.region_code == bindparam("region_code"),
    "segment": L.segment == bindparam("segment"),
    "sector_code": L.sector_code == bindparam("sector_code"),
    "stage": L.stage_rank == bindparam("stage_rank"),
    "group_id": L.group_id == bindparam("group_id"),
}
_FTS = table(FTS_TABLE, column("rowid"))
_MATCH = literal_column(FTS_TABLE).op("MATCH")(bindparam("match"))
# How the full-text part joins in, chosen per query from the number of matches m among N
# listed companies, for a page ending at row R (costs per row measured on 100 000 companies,
# bench/bench_company_search.py):
# - IN: every match, joined to the listing, then sorted: ~IN_ROW * m. Best when the words
#   are selective ("Sebti Tiznit", an ICE).
# - SET: the matches' rowids gathered once into a temporary set, then the name index walked
#   in order, each row checked in that set until the page is full:
#   ~SET_ROW * m + SET_STEP * R * N / m. Best in between ("bou": 18 % of the companies).
# - WALK: the name index walked in order, each row probed in the full-text index, no set:
#   ~PROBE_STEP * R * N / m. Best when most rows match ("b": 64 %).
IN, SET, WALK = "in", "set", "walk"
IN_ROW, SET_ROW, SET_STEP, PROBE_STEP = 1.2, 0.13, 0.2, 18.0  # microseconds


def _params(criteria: Criteria) -> dict[str, Any]:
    params: dict[str, Any] = {
        name: getattr(criteria, name) for name in _FILTERS if name != "stage" and getattr(criteria, name)}
    if criteria.stage:
        params["stage_rank"] = STAGE_RANKS.get(criteria.stage, -1)
    match = fts_query(criteria.text)
    if match is not None:
        params["match"] = match
    return params


def _select_ids(columns: Any, shape: frozenset[str], text_mode: str | None) -> Select[Any]:
    """``SELECT columns FROM company_listing`` with the filters; with IN, driven by the
    full-text matches (a join: no temporary set of the matching rowids)."""
    stmt = select(columns)
    if text_mode == IN:
        stmt = stmt.select_from(_FTS.join(L, L.id == _FTS.c.rowid)).where(_MATCH)
    else:
        stmt = stmt.select_from(L)
    return stmt.where(*_where(shape, text_mode))


def _where(shape: frozenset[str], text_mode: str | None) -> list[ColumnElement[bool]]:
    conditions = [_FILTERS[name] for name in sorted(shape)]
    if text_mode == SET:
        # "+ 0": the id must not drive the query (a rowid lookup per match, then a sort); the
        # name index does, and the set of matches is built once.
        conditions.append((L.id + 0).in_(select(_FTS.c.rowid).where(_MATCH)))
    elif text_mode == WALK:
        probe: Select[Any] = select(literal_column("1")).select_from(_FTS).where(
            _MATCH, literal_column(f"{FTS_TABLE}.rowid") == L.id)
        conditions.append(probe.exists())
    return conditions


def _shape(params: dict[str, Any]) -> frozenset[str]:
    return frozenset(name for name in _FILTERS if name in params or f"{name}_rank" in params)


@lru_cache(maxsize=64)
def _count_statement(shape: frozenset[str], text: bool) -> Select[Any]:
    if text and not shape:  # one row per company in the index: no need to read the listing
        return select(func.count()).select_from(_FTS).where(_MATCH)
    return _select_ids(func.count(), shape, IN if text else None)


def count(session: Session, criteria: Criteria) -> int:
    params = _params(criteria)
    stmt = _count_statement(_shape(params), "match" in params)
    return session.scalar(stmt, params) or 0


def _text_mode(
    session: Session, params: dict[str, Any], shape: frozenset[str], sort: str, rows: int,
    known: int | None = None,
) -> str | None:
    """IN, SET or WALK, whichever reads least for a page ending at row ``rows`` (see their
    costs above). The walks need the name index and no other filter (whose density is
    unknown). The matches are counted up to where WALK wins whatever their number, unless
    the caller knows their number (``known``: it counted them for the list's title)."""
    if "match" not in params:
        return None
    if shape or sort != "name":
        return IN
    total = session.scalar(select(func.max(L.id))) or 0  # about the row count, in O(log n)
    cap = int(math.sqrt(PROBE_STEP / SET_ROW * rows * total)) + 1
    capped = select(func.count()).select_from(
        select(literal_column("1")).select_from(_FTS).where(_MATCH).limit(cap).subquery())
    matches = known if known is not None else session.scalar(capped, params) or 0
    if matches >= cap:
        return WALK
    set_cost = SET_ROW * matches + SET_STEP * rows * total / max(matches, 1)
    return IN if IN_ROW * matches <= set_cost else SET


def _overdue(row: Any) -> ColumnElement[Any]:
    """Open actions past due in the plan of the company's latest enrolment while it runs
    (a completed or dropped enrolment's plan is closed: nothing left to chase). Counted for
    the page's rows only."""
    open_past_due = (
        select(func.count())
        .select_from(Action)
        .join(KeyProblem, KeyProblem.id == Action.key_problem_id)
        .where(KeyProblem.enrolment_id == row.enrolment_id, KeyProblem.deleted_at.is_(None),
               Action.deleted_at.is_(None), Action.due_on < bindparam("today", type_=Date()),
               Action.status.not_in(CLOSED_ACTIONS))
        .correlate(row)
        .scalar_subquery()
    )
    closed = or_(row.enrolment_id.is_(None), row.stage.in_(CLOSED_STAGES))
    return case((closed, 0), else_=open_past_due)


@lru_cache(maxsize=512)
def _page_statement(sort: str, descending: bool, shape: frozenset[str], text_mode: str | None) -> Executable:
    """The inner query finds the page's ids in sort order (ties broken by name, then id, so
    paging is stable; only the id and the sort keys go through the sort); the outer one
    reads the page's rows and counts their overdue actions: a page's worth of lookups."""
    keys: tuple[Any, ...] = SORT_KEYS[sort]
    if shape - {"group_id"} or text_mode == IN:
        # Not the name index (nor for the ties of a sort on a column a filter fixes):
        # without statistics SQLite would walk it and test every row against filters that
        # may keep one row in a thousand. One sort of what the filters keep costs ~20 ms at
        # worst; the walk, up to a scan per page.
        keys = tuple(L.name_key.concat("") if k is L.name_key else k for k in keys)
    ids = _select_ids(L.id, shape, text_mode)
    ids_page = (ids.order_by(*[k.desc() for k in keys] if descending else keys)
                .offset(bindparam("offset")).limit(bindparam("limit")).subquery("page_ids"))
    row = aliased(L, name="row")
    row_keys = [getattr(row, k.key) for k in SORT_KEYS[sort]]
    return (
        select(row.company_id, row.name, row.city, row.region_name, row.sector_name, row.stage,
               row.group_name, _overdue(row), row.group_id)
        .join(ids_page, ids_page.c.id == row.id)
        .order_by(*([k.desc() for k in row_keys] if descending else row_keys))
    )


def page(
    session: Session, criteria: Criteria, *, sort: str, descending: bool, offset: int,
    limit: int, today: dt.date, total: int | None = None,
) -> list[tuple[Any, ...]]:
    """(id, name, city, region, sector, stage, group, overdue actions, group id) in order.
    ``total``: what ``count`` just returned for these criteria, if the caller has it."""
    params = _params(criteria)
    shape = _shape(params)
    offset, limit = max(0, offset), max(0, limit)
    text_mode = _text_mode(session, params, shape, sort, offset + limit, total)
    stmt = _page_statement(sort, descending, shape, text_mode)
    params.update(offset=offset, limit=limit, today=today)
    return [tuple(r) for r in session.execute(stmt, params)]


def optimize_index(session: Session) -> None:
    """Merges the full-text index into one segment (FTS5 'optimize': ~0.6 s for 100 000
    companies). Bulk loads whose rows are re-indexed as they arrive (a company, then each
    of its people) leave many small segments; each search probe then seeks in all of them."""
    session.execute(sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"))


# -- filter choices and duplicates ----------------------------------------------------------
def regions(session: Session) -> list[tuple[str, str]]:
    stmt = select(Region.code, Region.name_fr).where(Region.deleted_at.is_(None)).order_by(Region.position)
    return [(code, name) for code, name in session.execute(stmt)]


def sectors(session: Session) -> list[tuple[str, str]]:
    stmt = select(Sector.code, Sector.name_fr).where(Sector.deleted_at.is_(None))
    return sorted(((c, n) for c, n in session.execute(stmt)), key=lambda r: sort_key(r[1]))


def groups(session: Session) -> list[tuple[str, str]]:
    stmt = select(CoachingGroup.id, CoachingGroup.name).where(CoachingGroup.deleted_at.is_(None))
    return sorted(((i, n) for i, n in session.execute(stmt)), key=lambda r: (sort_key(r[1]), r[0]))


def same_ice(session: Session, ice: str, *, exclude_id: str | None) -> list[tuple[str, str, str]]:
    """(id, name, city) of live companies with this ICE."""
    stmt = select(Company.id, Company.name, Company.city).where(
        Company.ice == ice, Company.deleted_at.is_(None), Company.id != (exclude_id or ""))
    return [(i, n, c) for i, n, c in session.execute(stmt.order_by(Company.name))]


def same_name_and_phone(
    session: Session, name: str, phone: str, *, exclude_id: str | None
) -> list[tuple[str, str, str]]:
    """(id, name, city) of live companies with this name (case and accents aside) and phone."""
    stmt = (
        select(Company.id, Company.name, Company.city)
        .join(L, L.company_id == Company.id)
        .where(L.name_key == sort_key(name), Company.phone == phone,
               Company.deleted_at.is_(None), Company.id != (exclude_id or ""))
    )
    return [(i, n, c) for i, n, c in session.execute(stmt.order_by(Company.name))]
