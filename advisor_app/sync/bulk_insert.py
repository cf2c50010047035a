"""Inserting a large pulled page of companies on a laptop without paying the companies
list trigger once per row.

On SQLite, ``company_listing_company_ai`` (migration 0003) writes each new company's row
of the companies list: one statement per company, about 50 µs each, most of a first
sync's time. For a page of many new companies the trigger is set aside inside the page's
transaction, the companies are inserted, and the trigger's own statement is run once for
all of them (its ``c.id = new.id`` condition becomes ``c.id IN`` the new ids); then the
trigger is put back. All of it is one transaction: if anything fails, SQLite rolls the
trigger back with the rows. The statement is taken from the database itself, so it is
always the one the migrations installed; if it does not have the expected shape, the
plain insert runs instead."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

TRIGGER = "company_listing_company_ai"
ONE_ROW = "c.id = new.id"
ALL_NEW = "c.id IN (SELECT id FROM temp.mowakaba_new_company)"
BULK_MIN = 100  # below this, the trigger's per-row cost does not matter


def insert_companies(session: Session, cls: type[Any], rows: list[dict[str, Any]]) -> None:
    connection = session.connection()
    statement = _trigger_statement(session) if len(rows) >= BULK_MIN else None
    if statement is None:
        session.execute(insert(cls), rows)
        return
    create, body = statement
    connection.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS mowakaba_new_company (id TEXT PRIMARY KEY)")
    # A write first: the driver opens its transaction before a write, not before DDL, and
    # the trigger must only ever be dropped inside the page's transaction.
    connection.exec_driver_sql("INSERT INTO temp.mowakaba_new_company (id) VALUES (?)",
                               [(row["id"],) for row in rows])
    if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("DELETE FROM temp.mowakaba_new_company")
        session.execute(insert(cls), rows)
        return
    connection.exec_driver_sql(f"DROP TRIGGER {TRIGGER}")
    session.execute(insert(cls), rows)
    connection.exec_driver_sql(body.replace(ONE_ROW, ALL_NEW))
    connection.exec_driver_sql("DELETE FROM temp.mowakaba_new_company")
    connection.exec_driver_sql(create)


def _trigger_statement(session: Session) -> tuple[str, str] | None:
    """(CREATE TRIGGER statement, its one body statement), or None when this database has
    no such trigger (PostgreSQL, HQ) or one of another shape."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return None
    create = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (TRIGGER,)).scalar()
    if not isinstance(create, str) or " BEGIN " not in create or not create.rstrip().endswith("END"):
        return None
    body = create[create.index(" BEGIN ") + len(" BEGIN "):create.rstrip().rindex("END")].strip()
    if body.count(ONE_ROW) != 1 or "new." in body.replace(ONE_ROW, "") or body.count(";") != 1:
        return None
    return create, body.rstrip(";")
