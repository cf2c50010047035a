"""The sync protocol's messages (``/sync/v1``), shared by HQ and the laptops.

Strict on both ends: unknown fields and wrong types are refused (HQ answers 422 with the
reason), sizes are capped. Values inside a mutation's ``changed`` are checked per column
by ``sync.rows.from_wire`` when HQ applies them."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Any, NamedTuple

import orjson
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

PROTOCOL = 1
MAX_BATCH = 2000  # mutations per push
MAX_RUN = 5000  # inserts per push as a run (InsertRun): lighter than mutations
MAX_PAGE = 2000  # rows per pull page
MAX_BODY = 8 * 1024 * 1024  # bytes per request
MAX_KNOWN = 200  # ranges of server_seq numbers a pull may name as already held
KNOWN_PATTERN = r"^[0-9]{1,18}-[0-9]{1,18}(,[0-9]{1,18}-[0-9]{1,18})*$"

def _in_utc(moment: dt.datetime) -> dt.datetime:
    try:
        moment.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError("date hors du calendrier une fois ramenée en UTC") from None
    return moment


# a moment with its offset that UTC can hold (0001-01-01T00:00+01:00 is before its first day)
Moment = Annotated[AwareDatetime, AfterValidator(_in_utc)]
Id = Annotated[str, Field(min_length=1, max_length=36, pattern=r"^[0-9a-fA-F-]{1,36}$")]
Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z_][a-z0-9_]*$")]


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EnrollRequest(Message):
    code: Annotated[str, Field(min_length=4, max_length=64)]
    device_name: Annotated[str, Field(max_length=120)] = ""
    public_key: Annotated[str, Field(max_length=64)] = ""  # certificate signing key (base64url)


class AdvisorInfo(Message):
    id: Id
    name: str
    email: str
    region_code: str
    active: bool = True


class EnrollResponse(Message):
    device_id: Id
    token: str
    advisor: AdvisorInfo


class DeviceKeyRequest(Message):
    """The certificate signing key of a laptop enrolled before certificates existed."""

    public_key: Annotated[str, Field(min_length=40, max_length=64)]


class DeviceKeyResponse(Message):
    key_prefix: str


class HelloStatus(StrEnum):
    OK = "ok"
    UPGRADE_REQUIRED = "upgrade_required"
    FULL_RESYNC = "full_resync"


class HelloRequest(Message):
    protocol: int
    app_version: Annotated[str, Field(max_length=40)]
    clock: Moment  # the laptop's clock, to warn about a skewed one
    cursor: Annotated[int, Field(ge=0)] = 0  # where its last pull stopped
    epoch: Annotated[str, Field(max_length=64)] | None = None  # HQ's epoch it last saw


class HelloResponse(Message):
    status: HelloStatus
    epoch: str  # changes when HQ's data was restored: laptops then pull from scratch
    server_time: dt.datetime
    advisor: AdvisorInfo
    region_advisors: list[AdvisorInfo]  # the advisors a group can be given to
    message: str = ""


class Op(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"


class Mutation(Message):
    mutation_id: Id
    table: Name
    row_id: Id
    op: Op
    base_version: Annotated[int, Field(ge=0)]
    at: Moment  # when the advisor made the change (laptop clock, with its offset)
    changed: Annotated[dict[Name, Any], Field(max_length=200)]


class InsertRun(Message):
    """Consecutive inserts of new rows into one table, as columns (a first sync or an import
    sends thousands): row ``i`` is the mutation ``mutation_ids[i]`` that inserts row
    ``row_ids[i]`` at ``at[i]`` with base version 0, its ``changed`` being ``columns``
    paired with ``rows[i]``. HQ decides them exactly as those mutations, in that order."""

    table: Name
    columns: Annotated[list[Name], Field(min_length=1, max_length=200)]
    mutation_ids: Annotated[list[Id], Field(max_length=MAX_RUN)]
    row_ids: Annotated[list[Id], Field(max_length=MAX_RUN)]
    at: Annotated[list[Moment], Field(max_length=MAX_RUN)]
    rows: Annotated[list[list[Any]], Field(max_length=MAX_RUN)]

    @model_validator(mode="after")
    def _aligned(self) -> InsertRun:
        if len(set(self.columns)) != len(self.columns):
            raise ValueError("colonne en double")
        count = len(self.mutation_ids)
        if len(self.row_ids) != count or len(self.at) != count or len(self.rows) != count:
            raise ValueError("mutation_ids, row_ids, at et rows doivent avoir la même longueur")
        if any(len(row) != len(self.columns) for row in self.rows):
            raise ValueError("chaque ligne a une valeur par colonne")
        return self


class PushRequest(Message):
    """Changes in the order they were made: ``mutations``, or ``inserts`` (not both)."""

    mutations: Annotated[list[Mutation], Field(max_length=MAX_BATCH)] = []
    inserts: InsertRun | None = None

    @model_validator(mode="after")
    def _one_form(self) -> PushRequest:
        if self.mutations and self.inserts is not None:
            raise ValueError("un envoi porte des mutations ou une suite d'insertions, pas les deux")
        if self.inserts is None and "mutations" not in self.model_fields_set:
            raise ValueError("un envoi porte des mutations ou une suite d'insertions")
        return self


class Change(NamedTuple):
    """A ``Mutation`` as HQ decides it: a push holds thousands, a tuple costs a fraction of
    a model."""

    mutation_id: str
    table: str
    row_id: str
    op: Op
    base_version: int
    at: dt.datetime
    changed: dict[str, Any]


class Run(NamedTuple):
    """An ``InsertRun`` as HQ decides it."""

    table: str
    columns: tuple[str, ...]
    mutation_ids: list[str]
    row_ids: list[str]
    at: list[dt.datetime]
    rows: list[list[Any]]

    def changes(self) -> list[Change]:
        """The mutations the run stands for, in order."""
        return [Change(mutation_id, self.table, row_id, Op.INSERT, 0, at,
                       dict(zip(self.columns, row, strict=True)))
                for mutation_id, row_id, at, row in zip(self.mutation_ids, self.row_ids, self.at, self.rows,
                                                        strict=True)]


class Status(StrEnum):
    APPLIED = "applied"  # as sent
    MERGED = "merged"  # others had changed other fields meanwhile: both kept
    CONFLICT = "conflict"  # a field changed on both sides: see conflicts
    REJECTED = "rejected"  # refused (scope, append-only, bad value): see reason
    DUPLICATE = "duplicate"  # already decided: the stored answer


class FieldConflict(Message):
    field: Name
    mine: Any  # the value this laptop sent
    theirs: Any  # HQ's value before this mutation
    winner: str  # "mine" or "theirs": the value HQ now holds
    theirs_by: str | None = None  # device that made HQ's value
    theirs_at: dt.datetime | None = None


class MutationResult(Message):
    mutation_id: Id
    status: Status
    row_version: int | None = None  # HQ's version of the row after it
    server_seq: int | None = None
    reason: str = ""
    conflicts: list[FieldConflict] = []
    original: Status | None = None  # for a duplicate: what was decided the first time


class PushResponse(Message):
    results: list[MutationResult]


class PulledRow(Message):
    table: Name
    server_seq: int
    row: dict[str, Any]  # every column, wire form (tombstones: deleted_at set)
    # The caller's own last change coming back: ``row`` holds only id and row_version (the
    # laptop has the rest, or asks for the whole row with ``/rows``).
    echo: bool = False


class PullResponse(Message):
    rows: list[PulledRow]
    cursor: int  # pass it as ``since`` next time
    has_more: bool


class RowsRequest(Message):
    """Whole rows by id (echoed rows a laptop does not hold at that version)."""

    rows: Annotated[dict[Name, Annotated[list[Id], Field(max_length=MAX_PAGE)]], Field(max_length=64)]


class RowsResponse(Message):
    rows: list[PulledRow]  # the rows asked for that are in scope, their parents first


class VerifyTable(Message):
    table: Name
    count: int
    digest: str  # see scope_digest


class VerifyResponse(Message):
    cursor: int  # HQ's cursor when it counted
    tables: list[VerifyTable]


class Problem(Message):
    """Every 4xx/5xx body: a reason a person can read (French)."""

    detail: str
    code: str


class Pulled(NamedTuple):
    """A ``PulledRow`` as the laptop reads it: a page holds thousands, and a tuple costs a
    fraction of a model."""

    table: str
    server_seq: int
    row: dict[str, Any]
    echo: bool = False


class Page(NamedTuple):
    """A ``PullResponse`` as the laptop reads it."""

    rows: list[Pulled]
    cursor: int
    has_more: bool


def parse_rows(content: bytes) -> list[Pulled]:
    """The rows of a ``RowsResponse`` (or of a ``PullResponse``), checked as ``parse_pull``."""
    data = orjson.loads(content)
    if not isinstance(data, dict) or set(data) != {"rows"}:
        raise ValueError("not a rows answer")
    return _pulled_rows(data["rows"])


def parse_pull(content: bytes) -> Page:
    """A pull page, the largest answer of the protocol (thousands of rows): parsed with
    orjson and checked for shape by hand instead of one pydantic model per row. The row
    values are checked per column by ``sync.rows`` when applied. ValueError if malformed."""
    data = orjson.loads(content)
    if not isinstance(data, dict) or set(data) != {"rows", "cursor", "has_more"}:
        raise ValueError("not a pull page")
    rows, cursor, has_more = data["rows"], data["cursor"], data["has_more"]
    if type(cursor) is not int or type(has_more) is not bool:
        raise ValueError("not a pull page")
    return Page(_pulled_rows(rows), cursor, has_more)


def _pulled_rows(rows: Any) -> list[Pulled]:
    if not isinstance(rows, list):
        raise ValueError("not a list of rows")
    pulled = []
    for item in rows:
        if (not isinstance(item, dict) or type(item.get("server_seq")) is not int
                or not isinstance(item.get("table"), str) or not isinstance(item.get("row"), dict)
                or type(item.get("echo", False)) is not bool or len(item) != 3 + ("echo" in item)):
            raise ValueError("not a pulled row")
        pulled.append(Pulled(item["table"], item["server_seq"], item["row"], item.get("echo", False)))
    return pulled


_RESULT_KEYS = frozenset(MutationResult.model_fields)
_STATUSES = {status.value: status for status in Status}


class Decision(NamedTuple):
    """A ``MutationResult`` as the laptop reads it: a push answer holds thousands, and a
    tuple costs a tenth of a model."""

    mutation_id: str
    status: Status
    row_version: int | None
    server_seq: int | None
    reason: str
    conflicts: list[FieldConflict]
    original: Status | None

    @property
    def plain(self) -> bool:
        """Applied as sent, nothing to add: most answers of a push."""
        return self.status is Status.APPLIED and not self.reason and not self.conflicts


def parse_push(content: bytes) -> list[Decision]:
    """The results of a push answer, parsed with orjson; a plain result (no conflict) is
    checked by hand, one with conflicts by its model. ValueError if malformed."""
    data = orjson.loads(content)
    if not isinstance(data, dict) or set(data) != {"results"} or not isinstance(data["results"], list):
        raise ValueError("not a push answer")
    results = []
    for item in data["results"]:
        if not isinstance(item, dict) or not item.keys() <= _RESULT_KEYS:
            raise ValueError("not a mutation result")
        if item.get("conflicts") or item.get("original") is not None:
            full = MutationResult.model_validate(item)
            results.append(Decision(full.mutation_id, full.status, full.row_version, full.server_seq,
                                    full.reason, full.conflicts, full.original))
            continue
        status = _STATUSES.get(item.get("status"))  # type: ignore[arg-type]
        version, seq, reason = item.get("row_version"), item.get("server_seq"), item.get("reason", "")
        if (status is None or not isinstance(item.get("mutation_id"), str) or not isinstance(reason, str)
                or (version is not None and type(version) is not int)
                or (seq is not None and type(seq) is not int)):
            raise ValueError("not a mutation result")
        results.append(Decision(item["mutation_id"], status, version, seq, reason, [], None))
    return results


def known_ranges(numbers: list[int], limit: int | None = MAX_KNOWN) -> list[tuple[int, int]]:
    """``numbers`` as ranges of consecutive numbers, at most ``limit`` (the largest ones
    when there are more: a pull naming fewer only gets more echoes)."""
    ranges: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if ranges and ranges[-1][1] == number - 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    return ranges if limit is None else ranges[-limit:]


def format_known(ranges: list[tuple[int, int]]) -> str:
    return ",".join(f"{first}-{last}" for first, last in ranges)


def parse_known(text: str) -> list[tuple[int, int]]:
    """The ranges of a pull's ``known`` parameter (already matched by KNOWN_PATTERN);
    ValueError with a reason if one is reversed or there are too many."""
    ranges = [(int(first), int(last)) for first, _, last in (part.partition("-") for part in text.split(","))]
    if len(ranges) > MAX_KNOWN:
        raise ValueError(f"au plus {MAX_KNOWN} plages")
    if any(first > last for first, last in ranges):
        raise ValueError("plage à l'envers")
    return ranges


def scope_digest(rows: Iterable[Any]) -> tuple[int, str]:
    """(count, sha256 over the lines "id:row_version" of ``rows`` (pairs) sorted by id as
    Python sorts text): what ``verify`` compares. Sorted here, not by the database: PostgreSQL's
    collation may order text otherwise than SQLite."""
    digest = hashlib.sha256()
    count = 0
    for row_id, version in sorted((str(row_id), version or 0) for row_id, version in rows):
        digest.update(f"{row_id}:{version}\n".encode())
        count += 1
    return count, digest.hexdigest()
