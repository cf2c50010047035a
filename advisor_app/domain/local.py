"""Laptop-only tables: the sync outbox, conflicts waiting for the advisor, local settings,
the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from advisor_app.domain.base import Base, UTCDateTime, utcnow
from advisor_app.domain.enums import OutboxOp, str_enum


class SyncOutbox(Base):
    """One row per local change, written in the same transaction as the change."""

    __tablename__ = "sync_outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(String(36), unique=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    op: Mapped[OutboxOp] = mapped_column(str_enum(OutboxOp, length=12))
    base_version: Mapped[int] = mapped_column(Integer)
    changed: Mapped[dict[str, Any]] = mapped_column(JSON)  # field -> new value (JSON-safe)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    acked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    result: Mapped[str | None] = mapped_column(String(16))  # HQ's status for it
    detail: Mapped[str | None] = mapped_column(Text)  # HQ's reason when it refused it


class SyncConflict(Base):
    """A same-field conflict: both values kept until the advisor resolves it."""

    __tablename__ = "sync_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(64))
    local_value: Mapped[Any] = mapped_column(JSON)
    remote_value: Mapped[Any] = mapped_column(JSON)
    winner: Mapped[str] = mapped_column(String(8))  # "local" / "remote": applied value
    remote_updated_by: Mapped[str | None] = mapped_column(String(36))
    remote_updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    resolution: Mapped[str | None] = mapped_column(String(8))


class LocalSetting(Base):
    """Device identity, current advisor, sync cursor and other per-laptop values."""

    __tablename__ = "local_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    """Who changed what and when, per record: one row per change of a synced row, made here
    ("local", by this laptop's advisor) or brought by a pull ("hq", by whoever HQ says).
    Never synced, never edited; ``changes`` is field -> {"old": ..., "new": ...} in wire
    form (JSON-safe)."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(12))  # insert / update / delete
    source: Mapped[str] = mapped_column(String(8))  # local / hq
    actor: Mapped[str | None] = mapped_column(String(36))  # advisor id
    device: Mapped[str | None] = mapped_column(String(36))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
