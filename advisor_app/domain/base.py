"""Declarative base, naming convention and the column sets shared by every table.

Two families of tables exist:

* *synced* tables (company data an advisor creates on a laptop) carry the full set of
  sync columns of DESIGN.md and every local change to them writes a ``sync_outbox`` row;
* *reference* tables (regions, tracks, questionnaires, advisors...) are owned by HQ and
  pulled read-only; they carry only the columns a pull needs.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

import uuid6
from sqlalchemy import BigInteger, DateTime, Index, Integer, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# A naming convention from the very first revision, so that batch migrations on SQLite
# can drop and recreate constraints by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """A UUIDv7 as text: time-ordered (good B-tree locality) and made offline on any laptop."""
    return str(uuid6.uuid7())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores naive UTC, returns aware UTC, refuses naive input (a classic source of skew)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ReferenceMixin:
    """HQ-owned rows pulled read-only. ``row_version``/``server_seq`` come from HQ."""

    __synced__: ClassVar[bool] = False

    row_version: Mapped[int] = mapped_column(Integer, default=0)
    server_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class SyncMixin:
    """Columns every synced row carries (DESIGN.md, "Data and sync rules").

    ``row_version`` is 0 until HQ acknowledges the row; ``updated_at``, ``updated_by`` and
    ``origin_device`` are stamped by the change-capture hook, never by hand.
    Scope columns let HQ filter pulls without joins.
    """

    __synced__: ClassVar[bool] = True
    # Columns that must never be overwritten silently by a merge (identity fields).
    __identity_fields__: ClassVar[tuple[str, ...]] = ()

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    row_version: Mapped[int] = mapped_column(Integer, default=0)
    server_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(36))
    origin_device: Mapped[str | None] = mapped_column(String(36))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    scope_region: Mapped[str | None] = mapped_column(String(8))
    scope_advisor: Mapped[str | None] = mapped_column(String(36))
    scope_group: Mapped[str | None] = mapped_column(String(36))

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        """A pull page is "my scope after the cursor, in cursor order": one index range
        scan each (migration 0006). They also serve plain scope lookups."""
        name = cls.__tablename__  # type: ignore[attr-defined]
        return (Index(f"ix_{name}_region_seq", "scope_region", "server_seq"),
                Index(f"ix_{name}_advisor_seq", "scope_advisor", "server_seq"))

    def set_scope(self, *, region: str | None, advisor: str | None, group: str | None = None) -> None:
        self.scope_region = region
        self.scope_advisor = advisor
        self.scope_group = group


SYNC_COLUMNS: frozenset[str] = frozenset(
    {"row_version", "server_seq", "updated_at", "updated_by", "origin_device"}
)


def is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
