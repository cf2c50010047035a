"""HQ administration: advisors, one-time enrolment codes, devices (list, revoke), and the
exchange of a code for a device token. Codes and tokens are stored as SHA-256 hashes:
a copy of HQ's database lets nobody sync as a laptop."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain import validation as v
from advisor_app.domain.base import new_id, utcnow
from advisor_app.domain.hq_records import HqDevice, HqEnrolmentCode
from advisor_app.domain.reference import Advisor, Region
from advisor_app.services.errors import UserError
from advisor_app.sync.device_key import CodeError, key_prefix, unb64

CODE_DAYS = 14
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


@dataclass(frozen=True)
class NewAdvisor:
    advisor_id: str
    name: str
    region_code: str
    code: str  # shown once
    expires_at: dt.datetime


@dataclass(frozen=True)
class DeviceRow:
    id: str
    name: str
    advisor_name: str
    region_code: str
    created_at: dt.datetime
    last_seen_at: dt.datetime | None
    revoked_at: dt.datetime | None


def _new_code(session: Session, advisor_id: str, now: dt.datetime) -> tuple[str, dt.datetime]:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    code = "-".join(raw[i:i + 4] for i in range(0, 12, 4))
    expires = now + dt.timedelta(days=CODE_DAYS)
    session.add(HqEnrolmentCode(code_hash=digest(normalise_code(code)), advisor_id=advisor_id,
                                created_at=now, expires_at=expires))
    return code, expires


def add_advisor(session: Session, *, name: str, email: str, region: str) -> NewAdvisor:
    name = " ".join(name.split())
    if not name:
        raise UserError("Le nom du conseiller est obligatoire.")
    if len(name) > 120:
        raise UserError("Nom trop long (120 caractères au plus).")
    normalized, issues = v.check_email(email)
    if issues or not normalized:
        raise UserError(issues[0].message if issues else "L'e-mail du conseiller est obligatoire.")
    region_code = region.strip().upper()
    if session.get(Region, region_code) is None:
        known = ", ".join(session.scalars(select(Region.code).order_by(Region.code)))
        raise UserError(f"Région inconnue : « {region} » (codes : {known}).")
    if session.scalar(select(Advisor.id).where(Advisor.email == normalized)) is not None:
        raise UserError(f"Un conseiller a déjà l'adresse {normalized}.")
    now = utcnow()
    advisor = Advisor(id=new_id(), name=name, email=normalized, region_code=region_code,
                      active=True, updated_at=now)
    session.add(advisor)
    session.flush()
    code, expires = _new_code(session, advisor.id, now)
    return NewAdvisor(advisor.id, name, region_code, code, expires)


def new_enrolment_code(session: Session, advisor_id: str) -> tuple[str, dt.datetime]:
    """Another code for an existing advisor (a new or replaced laptop)."""
    if session.get(Advisor, advisor_id) is None:
        raise UserError(f"Conseiller inconnu : {advisor_id}")
    return _new_code(session, advisor_id, utcnow())


def enroll(session: Session, code: str, device_name: str,
           public_key: str = "") -> tuple[HqDevice, str, Advisor]:
    """Exchanges a valid, unused, unexpired code for a new device and its token (shown
    once). The same refusal for every bad code: it tells an attacker nothing."""
    now = utcnow()
    row = session.get(HqEnrolmentCode, digest(normalise_code(code)), with_for_update=True)
    advisor = session.get(Advisor, row.advisor_id) if row is not None else None
    if row is None or advisor is None or row.used_at is not None or row.expires_at <= now \
            or not advisor.active:
        raise UserError("Code d'inscription inconnu, déjà utilisé ou expiré : demandez-en un "
                        "nouveau au siège.")
    token = secrets.token_urlsafe(32)
    device = HqDevice(id=new_id(), advisor_id=advisor.id, name=device_name.strip()[:120],
                      token_hash=digest(token), created_at=now)
    if public_key:
        device.public_key, device.key_prefix = public_key, certificate_key_prefix(session, public_key)
    session.add(device)
    row.used_at, row.device_id = now, device.id
    return device, token, advisor


def certificate_key_prefix(session: Session, public_key: str) -> str:
    """The number prefix of a laptop's certificate key; refused when malformed or when
    another laptop's key has the same prefix (its numbers would collide)."""
    try:
        valid = len(unb64(public_key)) == 32
    except CodeError:
        valid = False
    if not valid:
        raise UserError("Clé de signature des attestations invalide.")
    prefix = key_prefix(public_key)
    if session.scalar(select(HqDevice.id).where(HqDevice.key_prefix == prefix)) is not None:
        raise UserError("Clé de signature déjà connue du siège : relancez l'inscription.")
    return prefix


def set_device_key(session: Session, device_id: str, public_key: str) -> str:
    """Gives an enrolled laptop that has none its certificate key; returns the number
    prefix. A key is never replaced this way (a stolen token must not swap the key that
    vouches for a laptop's certificates): a laptop that lost its key enrols again."""
    device = session.get(HqDevice, device_id, with_for_update=True)
    if device is None:
        raise UserError("Appareil inconnu.")
    if device.public_key:
        raise UserError("Cet ordinateur a déjà une clé de signature au siège : pour en changer, "
                        "inscrivez-le de nouveau avec un code du siège.")
    device.public_key, device.key_prefix = public_key, certificate_key_prefix(session, public_key)
    return device.key_prefix


def list_devices(session: Session) -> list[DeviceRow]:
    rows = session.execute(
        select(HqDevice, Advisor.name, Advisor.region_code)
        .join(Advisor, Advisor.id == HqDevice.advisor_id)
        .order_by(Advisor.name, HqDevice.created_at))
    return [DeviceRow(d.id, d.name, name, region, d.created_at, d.last_seen_at, d.revoked_at)
            for d, name, region in rows]


def revoke_device(session: Session, device_id: str) -> DeviceRow:
    device = session.get(HqDevice, device_id.strip())
    if device is None:
        raise UserError(f"Appareil inconnu : « {device_id} » (voir « advisor-hq device list »).")
    if device.revoked_at is None:
        device.revoked_at = utcnow()
    advisor = session.get(Advisor, device.advisor_id)
    assert advisor is not None
    return DeviceRow(device.id, device.name, advisor.name, advisor.region_code, device.created_at,
                     device.last_seen_at, device.revoked_at)
