"""One sync cycle of a laptop: hello, push the outbox in batches, pull until HQ has nothing
more. Safe to interrupt anywhere and run again:

* a push whose answer was lost is sent again with the same mutation ids: HQ answers
  "duplicate" with the result it stored, nothing is applied twice;
* a pulled page and the cursor after it are committed in one local transaction, so a page
  is either fully taken (and the cursor moved) or not at all.

Requests: 1 hello + pushes of up to 2000 changes (5000 when they insert rows of one table
in a row: ``push_body``; fewer when they are large, a request stays under half of HQ's body
limit) + ceil(rows / 2000) pulls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from advisor_app.storage.repositories.settings import get_setting, set_setting
from advisor_app.sync import local_apply as local
from advisor_app.sync import wire
from advisor_app.sync.push_body import may_run_on, next_push
from advisor_app.sync.transport import Failure, HqClient, SyncError
from advisor_app.sync.wire import HelloStatus, Status

HQ_URL = "hq_url"
HQ_DEVICE = "hq_device_id"
HQ_EPOCH = "hq_epoch"
CURSOR = "sync_cursor"
LAST_SYNC = "last_sync_at"
LAST_ERROR = "last_sync_error"
PUSH_BYTES = wire.MAX_BODY // 2  # a batch stops growing past this much changed data
PULL_PAGE = wire.MAX_PAGE


@dataclass
class SyncReport:
    pushed: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    pulled: int = 0
    conflicts: int = 0
    requests: int = 0
    notes: list[str] = field(default_factory=list)
    # Local tables whose rows HQ changed in this cycle (pulled rows, conflicts HQ won):
    # the screens showing them need a refresh, the others do not.
    changed_tables: set[str] = field(default_factory=set)
    # With ``check``: the tables whose rows in scope (ids and versions) still differ from
    # HQ's after the cycle; None when not checked.
    differences: list[str] | None = None

    def count(self, status: Status) -> int:
        return self.by_status.get(status.value, 0)


class Cancelled(Exception):
    """The advisor stopped the sync; what was committed stays committed."""


def run_cycle(sessions: sessionmaker[Session], client: HqClient, *,
              cancelled: Callable[[], bool] = lambda: False,
              progress: Callable[[str], None] = lambda _text: None,
              full: bool = False, check: bool = False) -> SyncReport:
    """One cycle. ``full``: start over (every change sent again, every row read again, rows
    HQ turns out not to have sent again whole). ``check``: compare this laptop's rows with
    HQ's afterwards (``verify``)."""
    report = SyncReport()
    before = client.requests
    try:
        if full:
            with sessions() as session, session.begin():
                set_setting(session, CURSOR, "0")
                replayed = local.start_over(session)
            report.notes.append(f"Resynchronisation complète : {replayed} changement(s) renvoyé(s) au "
                                "siège, tout est relu.")
        advisor = _hello(sessions, client, report)
        _exchange(sessions, client, report, cancelled, progress)
        if full:
            with sessions() as session, session.begin():
                resent = local.resend_missing(session)
            if resent:
                report.notes.append(f"{resent} ligne(s) absente(s) du siège lui sont renvoyée(s).")
                _exchange(sessions, client, report, cancelled, progress)
        if check:
            report.differences = _check(sessions, client, advisor, report, cancelled, progress)
        with sessions() as session, session.begin():
            set_setting(session, LAST_SYNC, local.utc_text(dt.datetime.now(dt.UTC)))
            set_setting(session, LAST_ERROR, "")
    except SyncError as exc:
        with sessions() as session, session.begin():
            set_setting(session, LAST_ERROR, str(exc))
        raise
    finally:
        report.requests = client.requests - before
    return report


def _exchange(sessions: sessionmaker[Session], client: HqClient, report: SyncReport,
              cancelled: Callable[[], bool], progress: Callable[[str], None]) -> None:
    known = _push_all(sessions, client, report, cancelled, progress)
    _pull_all(sessions, client, report, cancelled, progress, wire.known_ranges(known))


def _check(sessions: sessionmaker[Session], client: HqClient, advisor: wire.AdvisorInfo,
           report: SyncReport, cancelled: Callable[[], bool], progress: Callable[[str], None]) -> list[str]:
    """Tables whose rows in the advisor's scope differ between here and HQ (count, ids or
    versions). Changes others made during the check are pulled first, once."""
    for attempt in range(2):
        answer = client.verify()
        with sessions() as session:
            here = local.scope_digests(session, advisor.region_code, advisor.id)
            cursor = int(get_setting(session, CURSOR) or 0)
        differ = sorted(t.table for t in answer.tables
                        if t.table in here and here[t.table] != (t.count, t.digest))
        if not differ or answer.cursor <= cursor or attempt:
            return differ
        _pull_all(sessions, client, report, cancelled, progress, [])
    raise AssertionError("unreachable")


def _hello(sessions: sessionmaker[Session], client: HqClient, report: SyncReport) -> wire.AdvisorInfo:
    with sessions() as session:
        cursor = int(get_setting(session, CURSOR) or 0)
        epoch = get_setting(session, HQ_EPOCH)
    answer = client.hello(cursor=cursor, epoch=epoch)
    if answer.status == HelloStatus.UPGRADE_REQUIRED:
        raise SyncError(Failure.UPGRADE, answer.message or "Mettez l'application à jour pour synchroniser.")
    with sessions() as session, session.begin():
        local.remote(session)
        if answer.status == HelloStatus.FULL_RESYNC or epoch != answer.epoch:
            set_setting(session, CURSOR, "0")
            if epoch is not None:  # HQ restored from a backup, not a first sync
                replayed = local.start_over(session)
                report.notes.append(
                    f"Le siège a été restauré d'une sauvegarde : les {replayed} changement(s) de cet "
                    "ordinateur lui sont renvoyés (il ignore ceux qu'il avait gardés), puis tout est relu.")
        set_setting(session, HQ_EPOCH, answer.epoch)
        local.store_advisors(session, [answer.advisor, *answer.region_advisors])
    if answer.message and answer.status == HelloStatus.OK:
        report.notes.append(answer.message)
    return answer.advisor


def _push_all(sessions: sessionmaker[Session], client: HqClient, report: SyncReport,
              cancelled: Callable[[], bool], progress: Callable[[str], None]) -> list[int]:
    """Pushes the outbox; returns the server_seq numbers of the changes HQ applied as sent
    (this laptop now holds those rows as HQ does: the pull need not echo them back).

    One request at a time, in outbox order (HQ decides changes in the order they were
    made); the next batch leaves as soon as the answer to the last one is in, and the
    laptop records that answer while HQ decides the next one. Interrupted anywhere, the
    unrecorded batches are sent again next time and answered "duplicate"."""
    known: list[int] = []
    after = 0  # the last outbox entry sent
    waiting: tuple[list[Any], Future[bytes]] | None = None
    limit = wire.MAX_BATCH  # entries read for the next push
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mowakaba-push") as sender:
        while True:
            if cancelled():
                raise Cancelled()
            # ready before HQ answers the last one
            batch, body = next_push(_next_batch(sessions, after, limit))
            limit = wire.MAX_RUN if len(batch) > wire.MAX_BATCH else wire.MAX_BATCH  # a long run goes on
            answered: tuple[list[Any], bytes] | None = None
            if waiting is not None:
                answered = (waiting[0], waiting[1].result())
            waiting = None
            if batch:
                after = batch[-1].seq
                progress(f"Envoi de {report.pushed + len(batch)} changement(s)…")
                waiting = (batch, sender.submit(client.send_push, body))
            if answered is not None:  # read and recorded while HQ decides the next batch
                _record(sessions, answered[0], client.read_push(answered[1]), report, known)
            if waiting is None:
                return known


def _next_batch(sessions: sessionmaker[Session], after: int, limit: int = wire.MAX_BATCH) -> list[Any]:
    """Outbox entries not acknowledged, after entry ``after``, in order: ``limit``, or more
    when they all insert rows of one table (a run takes up to ``wire.MAX_RUN``). The
    driver's values, not ORM objects nor typed ones; ``changed`` as the JSON text it is
    stored as: a push is thousands of rows."""
    batch = _outbox(sessions, after, limit)
    if len(batch) == limit < wire.MAX_RUN and may_run_on(batch):
        batch += _outbox(sessions, batch[-1].seq, wire.MAX_RUN - limit)
    return _within(batch, PUSH_BYTES)


def _outbox(sessions: sessionmaker[Session], after: int, limit: int) -> list[Any]:
    with sessions() as session:
        return list(session.connection().exec_driver_sql(
            "SELECT seq, mutation_id, table_name, row_id, op, base_version, created_at, changed, result "
            "FROM sync_outbox WHERE acked_at IS NULL AND seq > ? ORDER BY seq LIMIT ?",
            (after, limit)).all())  # fetched at once, not row by row


def _record(sessions: sessionmaker[Session], batch: list[Any], answer: list[wire.Decision],
            report: SyncReport, known: list[int]) -> None:
    """HQ's answer to ``batch``, in one local transaction."""
    sent: dict[str, local.Sent] = {e.mutation_id: e for e in batch}
    with sessions() as session, session.begin():
        local.remote(session)
        local.apply_results(session, answer, sent, report.changed_tables)
    applied = 0
    for result in answer:
        status = result.status
        if result.plain:  # most of a push
            applied += 1
            if result.server_seq is not None:
                known.append(result.server_seq)
            continue
        if status == Status.DUPLICATE:
            status = result.original or status
        entry = sent.get(result.mutation_id)
        # an entry with a result was answered before: sent again after HQ was restored
        replayed = result.status == Status.DUPLICATE and entry is not None and entry.result is not None
        if status == Status.APPLIED and result.server_seq is not None and not replayed:
            known.append(result.server_seq)
        report.by_status[status.value] = report.by_status.get(status.value, 0) + 1
        if not replayed:  # a replayed change's conflicts were counted (and recorded) before
            report.conflicts += len(result.conflicts)
    if applied:
        report.by_status[Status.APPLIED.value] = report.by_status.get(Status.APPLIED.value, 0) + applied
    report.pushed += len(batch)


def _within(batch: list[Any], limit: int) -> list[Any]:
    """The first entries of ``batch`` whose changed data stays under ``limit`` bytes (at
    least one: HQ refuses a single oversized change with its reason)."""
    size = 0
    for count, entry in enumerate(batch):
        size += len(entry.changed.encode()) + 200
        if size > limit and count > 0:
            return batch[:count]
    return batch


def _pull_all(sessions: sessionmaker[Session], client: HqClient, report: SyncReport,
              cancelled: Callable[[], bool], progress: Callable[[str], None],
              known: list[tuple[int, int]]) -> None:
    while True:
        if cancelled():
            raise Cancelled()
        with sessions() as session:
            cursor = int(get_setting(session, CURSOR) or 0)
        page = client.pull(cursor, PULL_PAGE, known)
        rows = page.rows
        with sessions() as session:
            missing = local.missing_echoes(session, rows)
        for table, ids in missing.items():  # rare: a merge, or a database restored from a copy
            for start in range(0, len(ids), wire.MAX_PAGE):
                rows = [*rows, *client.rows({table: ids[start:start + wire.MAX_PAGE]})]
        with sessions() as session, session.begin():
            local.remote(session)
            local.apply_rows(session, rows, report.changed_tables)
            set_setting(session, CURSOR, str(page.cursor))
        report.pulled += len(page.rows)
        if page.rows:
            progress(f"{report.pulled} ligne(s) reçue(s) du siège…")
        if not page.has_more:
            return
