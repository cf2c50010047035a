"""HQ issues attestations to advisors who completed a training (e.g. the group-coaching
training): ``advisor-hq attestation issue --advisor ID --training "..." --out DIR``.

HQ signs them with its own Ed25519 key, drawn once and kept in ``hq_secret`` (every HQ
worker and restart signs with the same key). The code has the layout of a laptop's
certificate code (``sync.device_key``) with a reserved issuer id in place of a laptop's,
so the same ``/verify`` page and ``certificate verify`` command check both; numbers are
``ATT-HQ-<counter>`` from an ``hq_counter`` row taken under its lock (never twice)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from advisor_app.domain.advisor_attestations import HqAdvisorAttestation
from advisor_app.domain.hq_records import HqCounter, HqSecret
from advisor_app.domain.reference import Advisor, Region
from advisor_app.services.errors import UserError
from advisor_app.sync import device_key

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# The issuer id HQ's codes carry (never an enrolled laptop's: those are UUIDv7s made at HQ).
HQ_ISSUER_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://mowakaba/hq/advisor-attestations"))
PREFIX = "HQ"  # laptop prefixes are 8 base32 characters: no collision
KEY_SECRET = "attestation_signing_key"
COUNTER = "advisor_attestation"
KIND = "advisor_training"
TRAINING_MAX = 200
PROGRAMME = "Programme d'accompagnement des très petites entreprises"


@dataclass(frozen=True)
class IssuedAttestation:
    number: str
    code: str
    verify_url: str
    facts: dict[str, Any]


def signing_key(session: Session) -> Ed25519PrivateKey:
    """HQ's attestation key, drawn the first time (needs a write session then)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    row = session.get(HqSecret, KEY_SECRET)
    if row is None:
        key = device_key.new_private_key()
        session.add(HqSecret(name=KEY_SECRET, value=device_key.b64(key.private_bytes_raw())))
        session.flush()
        return key
    return Ed25519PrivateKey.from_private_bytes(device_key.unb64(row.value))


def public_key(session: Session) -> str | None:
    """HQ's public attestation key (base64url); None before the first attestation."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    row = session.get(HqSecret, KEY_SECRET)
    if row is None:
        return None
    return device_key.public_text(Ed25519PrivateKey.from_private_bytes(device_key.unb64(row.value)))


def _next_counter(session: Session) -> int:
    if session.get(HqCounter, COUNTER) is None:
        session.add(HqCounter(name=COUNTER, value=0))
        session.flush()
    return int(session.execute(update(HqCounter).where(HqCounter.name == COUNTER)
                               .values(value=HqCounter.value + 1).returning(HqCounter.value)).scalar_one())


def number_of(counter: int) -> str:
    return device_key.certificate_number(PREFIX, counter)


def issue(session: Session, *, advisor_id: str, training: str, base_url: str, place: str = "Rabat",
          name_ar: str = "", issued_on: dt.date | None = None) -> IssuedAttestation:
    training = " ".join(training.split())
    if not training:
        raise UserError("Indiquez la formation suivie (--training).")
    if len(training) > TRAINING_MAX:
        raise UserError(f"Intitulé de formation trop long ({TRAINING_MAX} caractères au plus).")
    if not re.match(r"^https?://[^/\s]+", base_url.strip()):
        raise UserError(f"Adresse du siège invalide : « {base_url} » (ex. https://siege.exemple.ma).")
    advisor = session.get(Advisor, advisor_id.strip())
    if advisor is None or advisor.deleted_at is not None:
        raise UserError(f"Conseiller inconnu : « {advisor_id} » (identifiant donné par « advisor add »).")
    region = session.get(Region, advisor.region_code)
    day = issued_on or dt.date.today()
    counter = _next_counter(session)
    number = number_of(counter)
    facts: dict[str, Any] = {
        "kind": KIND, "number": number, "beneficiary": advisor.name, "beneficiary_ar": name_ar.strip(),
        "training": training, "region": region.name_fr if region else advisor.region_code,
        "programme": PROGRAMME, "place": place.strip(), "issued_on": day.isoformat(), "issuer": "siège",
    }
    code = device_key.sign_code(signing_key(session), device_id=HQ_ISSUER_ID, counter=counter,
                                issued_on=day, facts=facts, name=advisor.name)
    session.add(HqAdvisorAttestation(number=number, counter=counter, advisor_id=advisor.id,
                                     training=training, issued_on=day, facts=facts, code=code))
    session.flush()
    return IssuedAttestation(number, code, f"{base_url.strip().rstrip('/')}/verify/{code}", facts)


def write_pdf(issued: IssuedAttestation, out_dir: Path) -> Path:
    from advisor_app.reports import advisor_attestation  # reportlab on first use

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"{issued.number}.pdf"
        advisor_attestation.render(advisor_attestation.AttestationData.from_facts(
            issued.facts, issued.verify_url), path)
    except OSError as exc:
        raise UserError(f"Impossible d'écrire l'attestation dans {out_dir} : {exc.strerror or exc}") from None
    return path


def find(session: Session, number: str) -> HqAdvisorAttestation | None:
    return session.scalar(select(HqAdvisorAttestation).where(HqAdvisorAttestation.number == number))
