"""Fast bulk inserts for generated data: SQLAlchemy compiles each INSERT from the real
table and converts values through the real column types; the driver's ``executemany``
does the rest. Bypasses the ORM, and so the sync outbox, on purpose (demo data only)."""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from advisor_app.domain.base import Base


class BulkWriter:
    """Buffers row dicts per table; bulk-inserts them parents first (foreign keys are on)
    in the caller's transaction, bypassing the ORM and so the outbox change capture.

    Core compiles each INSERT from the real table; each value goes through the real column
    type's bind processor once per distinct value (dates and enums repeat a lot); the driver's
    ``executemany`` takes plain tuples. Same stored values as ``session.execute(insert(table),
    rows)``, which builds and processes a dict per row: ~200 s instead of ~160 s for 100 000
    companies. No defaults: rows carry every column that has one (checked) or is NOT NULL."""

    def __init__(self, session: Session, tables: Collection[str], chunk: int = 50_000) -> None:
        wanted = set(tables)
        self._session = session
        self._dialect = session.get_bind().dialect
        self.tables = {t.name: t for t in Base.metadata.sorted_tables if t.name in wanted}
        self._convert: dict[str, list[tuple[str, Callable[[Any], Any], dict[Any, Any]]]] = {
            name: [(c.name, proc, {}) for c in table.columns
                   if (proc := c.type.dialect_impl(self._dialect).bind_processor(self._dialect))]
            for name, table in self.tables.items()}
        self._statements: dict[tuple[str, tuple[str, ...]], tuple[str, Callable[[Any], Any]]] = {}
        self._rows: dict[str, list[dict[str, Any]]] = {name: [] for name in self.tables}
        self._chunk = chunk
        self.totals: Counter[str] = Counter()

    def add(self, table: str, row: dict[str, Any]) -> None:
        self._rows[table].append(row)

    def checkpoint(self) -> None:
        """Flushes if enough rows wait. Only where no buffered row names a row not added yet."""
        if sum(map(len, self._rows.values())) >= self._chunk:
            self.flush()

    def _statement(self, name: str, keys: tuple[str, ...]) -> tuple[str, Callable[[Any], Any]]:
        found = self._statements.get((name, keys))
        if found is None:
            compiled = insert(self.tables[name]).compile(dialect=self._dialect, column_keys=list(keys))
            order = compiled.positiontup or []
            if missing := set(order) - set(keys):  # a column default Core would have computed
                raise ValueError(f"demo rows for {name} lack {sorted(missing)}")
            found = self._statements[(name, keys)] = (str(compiled), operator.itemgetter(*order))
        return found

    def _to_storage(self, name: str, rows: list[dict[str, Any]]) -> None:
        for column, process, memo in self._convert[name]:
            if column not in rows[0]:  # every row of a table has the same keys
                continue
            for row in rows:
                value = row[column]
                if value is not None:
                    try:
                        row[column] = memo[value]
                    except KeyError:
                        row[column] = memo[value] = process(value)
            if len(memo) > 100_000:
                memo.clear()

    def flush(self) -> None:
        connection = self._session.connection()
        for name, rows in self._rows.items():
            if rows:
                sql, pick = self._statement(name, tuple(rows[0]))
                self._to_storage(name, rows)
                connection.exec_driver_sql(sql, [pick(row) for row in rows])
                self.totals[name] += len(rows)
                rows.clear()
