"""HQ staff accounts for the web dashboards: salted scrypt password hashes, login, and a
session cookie signed with HMAC-SHA256 under a key drawn once and kept in HQ's database
(``hq_secret``), so that every HQ worker process accepts the same cookies and a restart
logs nobody out. A cookie carries the staff id and its expiry; changing a password
invalidates the cookies issued before (the hash's fingerprint is signed in)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from advisor_app.domain.base import utcnow
from advisor_app.domain.hq_records import HqSecret, HqStaff
from advisor_app.services.errors import UserError

COOKIE = "mowakaba_hq_session"
SESSION_HOURS = 12
PASSWORD_MIN = 10
_SECRET = "session_key"
# scrypt cost: n=2**14, r=8 (about 16 MB, ~50 ms): slow for a guesser, fine for a login
_N, _R, _P = 2**14, 8, 1
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    email: str


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        again = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                               dklen=32)
    except ValueError:
        return False
    return hmac.compare_digest(again, _unb64(digest))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _check_new_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise UserError(f"Mot de passe trop court : au moins {PASSWORD_MIN} caractères.")


def add_staff(session: Session, *, name: str, email: str, password: str) -> StaffMember:
    name, email = name.strip(), email.strip().lower()
    if not name:
        raise UserError("Indiquez le nom du membre du siège.")
    if not _EMAIL.match(email):
        raise UserError(f"Adresse e-mail invalide : « {email} ».")
    _check_new_password(password)
    if session.scalar(select(HqStaff.id).where(HqStaff.email == email)) is not None:
        raise UserError(f"Un compte existe déjà pour {email} : changez son mot de passe avec "
                        "« advisor-hq staff password ».")
    row = HqStaff(name=name, email=email, password_hash=hash_password(password))
    session.add(row)
    session.flush()
    session_key(session)  # drawn now: two first logins at once never race to create it
    return StaffMember(row.id, row.name, row.email)


def set_password(session: Session, *, email: str, password: str) -> StaffMember:
    row = _by_email(session, email)
    if row is None:
        raise UserError(f"Aucun compte du siège pour {email.strip()}.")
    _check_new_password(password)
    row.password_hash = hash_password(password)
    return StaffMember(row.id, row.name, row.email)


def _by_email(session: Session, email: str) -> HqStaff | None:
    return session.scalars(select(HqStaff).where(func.lower(HqStaff.email) == email.strip().lower())).first()


def login(session: Session, email: str, password: str) -> StaffMember | None:
    """The member if the password is right (and stamps the login), else None."""
    row = _by_email(session, email)
    if row is None:
        check_password(password, hash_password("not a member"))  # same time either way
        return None
    if not check_password(password, row.password_hash):
        return None
    row.last_login_at = utcnow()
    return StaffMember(row.id, row.name, row.email)


def session_key(session: Session) -> bytes:
    """The cookie signing key, drawn the first time (needs a write session then)."""
    row = session.get(HqSecret, _SECRET)
    if row is None:
        row = HqSecret(name=_SECRET, value=secrets.token_urlsafe(48))
        session.add(row)
        session.flush()
    return row.value.encode()


def _signature(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:12]


def make_cookie(session: Session, member_id: str, *, now: dt.datetime | None = None) -> str:
    row = session.get(HqStaff, member_id)
    assert row is not None
    expires = int(((now or utcnow()) + dt.timedelta(hours=SESSION_HOURS)).timestamp())
    payload = f"{member_id}.{expires}.{_fingerprint(row.password_hash)}"
    return f"{payload}.{_signature(session_key(session), payload)}"


def read_cookie(session: Session, value: str | None, *, now: dt.datetime | None = None) -> StaffMember | None:
    """The member a cookie was issued to, or None: unsigned, tampered, expired, or issued
    before the member's password changed."""
    if not value or value.count(".") != 3:
        return None
    member_id, expires, fingerprint, signature = value.split(".")
    key = session.get(HqSecret, _SECRET)
    if key is None:
        return None
    expected = _signature(key.value.encode(), f"{member_id}.{expires}.{fingerprint}")
    if not hmac.compare_digest(expected, signature) or not expires.isdigit():
        return None
    if int(expires) < (now or utcnow()).timestamp():
        return None
    row = session.get(HqStaff, member_id)
    if row is None or not hmac.compare_digest(_fingerprint(row.password_hash), fingerprint):
        return None
    return StaffMember(row.id, row.name, row.email)
