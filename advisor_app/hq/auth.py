"""Who is calling: the device behind a bearer token, its advisor and their scope."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain.base import utcnow
from advisor_app.domain.hq_records import HqDevice
from advisor_app.domain.reference import Advisor
from advisor_app.hq.admin import digest


class Unauthorized(Exception):
    """401: the message says why (no token, unknown token, revoked device)."""


@dataclass(frozen=True)
class Caller:
    device_id: str
    advisor_id: str
    region: str

    def covers(self, region: str | None, advisor_id: str | None) -> bool:
        """A row is in the caller's scope if it belongs to their region or is theirs."""
        return region == self.region or (advisor_id is not None and advisor_id == self.advisor_id)


def authenticate(session: Session, authorization: str | None) -> Caller:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authentification requise : cet ordinateur doit être inscrit auprès "
                           "du siège (advisor-app enroll).")
    device = session.scalar(select(HqDevice).where(HqDevice.token_hash == digest(token.strip())))
    if device is None:
        raise Unauthorized("Jeton inconnu : inscrivez de nouveau cet ordinateur auprès du siège.")
    if device.revoked_at is not None:
        raise Unauthorized("Cet ordinateur a été révoqué par le siège : il ne peut plus "
                           "synchroniser. Contactez le siège.")
    advisor = session.get(Advisor, device.advisor_id)
    if advisor is None or not advisor.active:
        raise Unauthorized("Le compte du conseiller de cet ordinateur est désactivé au siège.")
    return Caller(device.id, advisor.id, advisor.region_code)


def touch(session: Session, caller: Caller) -> None:
    """Records when the device last sent changes (in the push's own transaction)."""
    device = session.get(HqDevice, caller.device_id)
    if device is not None:
        device.last_seen_at = utcnow()
