"""A push request read from its bytes: parsed with orjson and checked by hand when it has
the form laptops send (thousands of changes; a pydantic model per change cost three times
as much), otherwise by the ``PushRequest`` model (pydantic's ValidationError, with its
reasons, for a malformed request). The hand checks accept nothing the model refuses."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import orjson

from advisor_app.sync.wire import MAX_BATCH, MAX_RUN, Change, InsertRun, Mutation, Op, PushRequest, Run


def _every(pattern: str) -> re.Pattern[str]:
    """Matches texts joined with commas when each one matches ``pattern`` (which has no
    comma): one regular expression over a push instead of one per value."""
    return re.compile(f"(?:{pattern},)*{pattern}")


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


def parse_push_request(content: bytes) -> list[Change] | Run:
    """The mutations of a ``PushRequest`` (``mutations``), or its run of inserts
    (``inserts``)."""
    try:
        data = None if _LONG_NUMBER in content.translate(_DIGITS) else orjson.loads(content)
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
    # every pattern excludes the comma, so the joined texts match exactly when each one does
    if not (_IDS.fullmatch(",".join(ids)) and _NAMES.fullmatch(",".join([*tables, *names]))
            and _MOMENTS.fullmatch(",".join(moments))):
        return None
    try:
        return [Change(m, t, r, o, v, dt.datetime.fromisoformat(at), c) for m, t, r, o, v, at, c in fields]
    except ValueError:  # a day or an hour out of range
        return None


def _plain_run(run: Any) -> Run | None:
    if type(run) is not dict or run.keys() != _RUN_KEYS:
        return None
    table, columns, mutation_ids, row_ids, at, rows = (
        run["table"], run["columns"], run["mutation_ids"], run["row_ids"], run["at"], run["rows"])
    lists = (columns, mutation_ids, row_ids, at, rows)
    if type(table) is not str or any(type(part) is not list for part in lists):
        return None
    count = len(mutation_ids)
    if (count > MAX_RUN or len(row_ids) != count or len(at) != count or len(rows) != count
            or not 0 < len(columns) <= 200 or len(set(map(str, columns))) != len(columns)):
        return None
    texts = [*columns, *mutation_ids, *row_ids, *at]
    width = len(columns)
    if (not all(type(text) is str for text in texts)
            or not all(type(row) is list and len(row) == width for row in rows)):
        return None
    if not (_NAMES.fullmatch(",".join([table, *columns]))
            and (not count or (_IDS.fullmatch(",".join([*mutation_ids, *row_ids]))
                               and _MOMENTS.fullmatch(",".join(at))))):
        return None
    try:
        moments = list(map(dt.datetime.fromisoformat, at))
    except ValueError:  # a day or an hour out of range
        return None
    return Run(table, tuple(columns), mutation_ids, row_ids, moments, rows)
