"""A push request read from its bytes: parsed with orjson and checked by hand when it has
the form laptops send (thousands of changes; a pydantic model per change cost three times
as much), otherwise by the ``PushRequest`` model (pydantic's ValidationError, with its
reasons, for a malformed request). The hand checks accept nothing the model refuses."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import orjson

from advisor_app.sync.wire import MAX_BATCH, MAX_RUN, Change, InsertRun, Mutation, Op, PushRequest, Run


def _every(pattern: str) -> Callable[[list[str]], bool]:
    """Whether every one of a list of texts matches ``pattern`` (which has no comma): one
    regular expression over the texts joined with commas instead of one per text. A text
    with a comma of its own would pass as two: the commas are counted."""
    compiled = re.compile(f"(?:{pattern},)*{pattern}")

    def matches(texts: list[str]) -> bool:
        joined = ",".join(texts)
        return joined.count(",") == len(texts) - 1 and compiled.fullmatch(joined) is not None
    return matches


_IDS = _every(r"[0-9a-fA-F-]{1,36}")
_NAMES = _every(r"[a-z_][a-z0-9_]{0,63}")
# what laptops send (isoformat with an offset); anything else is left to the model
_MOMENTS = _every(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
                  r"[+-][0-9]{2}:[0-9]{2}")
_OPS = {op.value: op for op in Op}
_MUTATION_KEYS = frozenset(Mutation.model_fields)
_RUN_KEYS = frozenset(InsertRun.model_fields)
# orjson (3.13 on) reads an integer beyond 64 bits as a float, where the model keeps it exact
# (older orjson refused it): a request with 19 digits in a row, the fewest such an integer
# has, is left to the model. Found by translating every byte but digits to a blank.
_DIGITS = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))  # digits as "0"
_LONG_NUMBER = b"0" * 19


def has_long_number(content: bytes) -> bool:
    """Whether ``content`` holds 19 digits in a row (a copy of it translated is searched:
    several times faster than a regular expression)."""
    return _LONG_NUMBER in content.translate(_DIGITS)


def parse_push_request(content: bytes) -> list[Change] | Run:
    """The mutations of a ``PushRequest`` (``mutations``), or its run of inserts
    (``inserts``)."""
    try:
        data = None if has_long_number(content) else orjson.loads(content)
    except orjson.JSONDecodeError:
        data = None
    if type(data) is dict and data.keys() == {"inserts"}:
        run = _plain_run(data["inserts"])
        if run is not None:
            return run
    elif type(data) is dict and data.keys() == {"mutations"}:
        changes = _plain_changes(data["mutations"])
        if changes is not None:
            return changes
    request = PushRequest.model_validate_json(content)
    if request.inserts is not None:
        r = request.inserts
        return Run(r.table, tuple(r.columns), r.mutation_ids, r.row_ids, r.at, r.rows)
    return [Change(m.mutation_id, m.table, m.row_id, m.op, m.base_version, m.at, m.changed)
            for m in request.mutations]


def _plain_changes(mutations: Any) -> list[Change] | None:
    if type(mutations) is not list or len(mutations) > MAX_BATCH:
        return None
    if not mutations:
        return []
    fields = []
    ids: list[str] = []
    tables: list[str] = []
    moments: list[str] = []
    names: set[str] = set()
    for item in mutations:
        if type(item) is not dict or item.keys() != _MUTATION_KEYS:
            return None
        mutation_id, table, row_id, at = item["mutation_id"], item["table"], item["row_id"], item["at"]
        op = _OPS.get(item["op"]) if type(item["op"]) is str else None
        version, changed = item["base_version"], item["changed"]
        if (type(mutation_id) is not str or type(row_id) is not str or type(table) is not str
                or type(at) is not str or op is None or type(version) is not int or not 0 <= version < 2**63
                or type(changed) is not dict or len(changed) > 200):
            return None
        ids += (mutation_id, row_id)
        tables.append(table)
        moments.append(at)
        names.update(changed)
        fields.append((mutation_id, table, row_id, op, version, at, changed))
    if not all(type(name) is str for name in names):
        return None
    if not (_IDS(ids) and _NAMES([*tables, *names]) and _MOMENTS(moments)):
        return None
    parsed = _moments(moments)
    if parsed is None:
        return None
    return [Change(m, t, r, o, v, at, c) for (m, t, r, o, v, _, c), at in zip(fields, parsed, strict=True)]


def _plain_run(run: Any) -> Run | None:
    if type(run) is not dict or run.keys() != _RUN_KEYS:
        return None
    table, columns, mutation_ids, row_ids, at, rows = (
        run["table"], run["columns"], run["mutation_ids"], run["row_ids"], run["at"], run["rows"])
    lists = (columns, mutation_ids, row_ids, at, rows)
    if type(table) is not str or any(type(part) is not list for part in lists):
        return None
    count, width = len(mutation_ids), len(columns)
    texts = [*columns, *mutation_ids, *row_ids, *at]
    if (count > MAX_RUN or len(row_ids) != count or len(at) != count or len(rows) != count
            or not 0 < width <= 200 or not all(type(text) is str for text in texts)
            or len(set(columns)) != width):
        return None
    if not all(type(row) is list and len(row) == width for row in rows):
        return None
    if not (_NAMES([table, *columns]) and (not count or (_IDS([*mutation_ids, *row_ids]) and _MOMENTS(at)))):
        return None
    moments = _moments(at)
    return None if moments is None else Run(table, tuple(columns), mutation_ids, row_ids, moments, rows)


def _moments(texts: list[str]) -> list[dt.datetime] | None:
    """The moments of ``texts`` (already matched by ``_MOMENTS``); None for a day or an hour
    out of range, and near the ends of the calendar (the model checks those convert to UTC)."""
    try:
        moments = list(map(dt.datetime.fromisoformat, texts))
    except ValueError:
        return None
    return None if any(moment.year in (1, 9999) for moment in moments) else moments
