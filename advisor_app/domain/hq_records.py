"""Headquarters-only tables: the commit-ordered counter, enrolled devices and their codes,
the mutations already applied (so a replay returns the stored result) and, per field of
every synced row, the version and device of its last change (the three-way merge reads
it). They exist in every database (one Alembic schema); laptops leave them empty."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from advisor_app.domain.base import Base, UTCDateTime, new_id, utcnow

SERVER_SEQ = "server_seq"  # the counter's name


class HqCounter(Base):
    """``server_seq`` is taken from this row inside the writing transaction: the row lock
    makes writers take numbers in commit order, so a pull never skips a row that commits
    later with a smaller number."""

    __tablename__ = "hq_counter"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class HqEnrolmentCode(Base):
    """A one-time code an admin gives an advisor to enrol one laptop (stored hashed)."""

    __tablename__ = "hq_enrolment_code"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    advisor_id: Mapped[str] = mapped_column(ForeignKey("advisor.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    device_id: Mapped[str | None] = mapped_column(String(36))


class HqDevice(Base):
    """An enrolled laptop. Its token is stored hashed; a revoked device gets 401."""

    __tablename__ = "hq_device"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    advisor_id: Mapped[str] = mapped_column(ForeignKey("advisor.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # its last push
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Ed25519 key the laptop signs certificates with (base64url), sent at enrolment; its
    # fingerprint prefixes the laptop's certificate numbers (unique: numbers never collide).
    public_key: Mapped[str | None] = mapped_column(String(64))
    key_prefix: Mapped[str | None] = mapped_column(String(16), unique=True)


class HqMutation(Base):
    """A mutation HQ has decided on, with the answer it gave (replayed as is). A push
    writes one per change: no index but its key (on SQLite, the key is the table)."""

    __tablename__ = "hq_mutation"
    __table_args__ = ({"sqlite_with_rowid": False},)

    mutation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class HqFieldStamp(Base):
    """The last change of one field of one synced row: at which row version, from which
    device, with which client time (the same-field conflict rule compares them)."""

    __tablename__ = "hq_field_stamp"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_version: Mapped[int] = mapped_column(Integer)
    device_id: Mapped[str | None] = mapped_column(String(36))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class HqStaff(Base):
    """An HQ staff member who may open the dashboards (``advisor-hq staff add``). The
    password is stored as a salted scrypt hash (``hq/staff.py``), never in clear."""

    __tablename__ = "hq_staff"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower case
    password_hash: Mapped[str] = mapped_column(String(200), default="")  # "" until set
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class HqSecret(Base):
    """Secrets HQ draws once, e.g. the key that signs the staff's session cookies."""

    __tablename__ = "hq_secret"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
