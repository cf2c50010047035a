"""HQ's side of certificates: checking a verification code (the public page and
``advisor-hq certificate verify``) and revoking a certificate.

A code is *valid* when its signature checks with the public key of the enrolled laptop it
names: HQ needs no certificate row for that, so a certificate printed offline verifies at
once (showing what the code carries: number, beneficiary, day of issue, advisor). Once the
row has synced, its facts are shown too, and they must match the digest the laptop signed.
A certificate is *revoked* when HQ revoked its number (``CertificateRevocation``), or
*replaced* when a reissue names it. Anything else is *unknown*: malformed, a laptop HQ
does not know, a bad signature (forged or altered), a day of issue after the laptop
was revoked (a stolen laptop's key signs nothing valid any more)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain.base import utcnow
from advisor_app.domain.certificates import Certificate, CertificateRevocation
from advisor_app.domain.hq_records import HqDevice
from advisor_app.domain.reference import Advisor
from advisor_app.hq import advisor_attestations
from advisor_app.services.errors import UserError
from advisor_app.sync import device_key

REASON_MAX = 500


class Verdict(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    REPLACED = "replaced"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    number: str = ""
    beneficiary: str = ""
    issued_on: dt.date | None = None
    advisor: str = ""
    synced: bool = False  # HQ has the certificate row
    facts: dict[str, Any] = field(default_factory=dict)  # the row's, once synced
    revoked_at: dt.datetime | None = None
    reason: str = ""  # why revoked
    replaced_by: str = ""
    mismatch: bool = False  # the synced row's facts are not those the laptop signed


def verify(session: Session, code: str) -> Verification:
    try:
        content = device_key.read_code(code)
    except device_key.CodeError:
        return Verification(Verdict.UNKNOWN)
    if content.device_id == advisor_attestations.HQ_ISSUER_ID:
        return _verify_hq(session, content)
    device = session.get(HqDevice, content.device_id)
    if device is None or not device.public_key or not device.key_prefix \
            or not device_key.verify_signature(content, device.public_key):
        return Verification(Verdict.UNKNOWN)
    if device.revoked_at is not None and content.issued_on > device.revoked_at.date():
        return Verification(Verdict.UNKNOWN)  # signed after the laptop was revoked (lost, stolen)
    number = device_key.certificate_number(device.key_prefix, content.counter)
    advisor = session.get(Advisor, device.advisor_id)
    row = session.scalar(select(Certificate).where(Certificate.number == number))
    facts = dict(row.facts) if row is not None else {}
    common: dict[str, Any] = {
        "number": number, "beneficiary": content.name, "issued_on": content.issued_on,
        "advisor": advisor.name if advisor is not None else "", "synced": row is not None,
        "facts": facts,
        "mismatch": row is not None and device_key.facts_digest(facts) != content.digest,
    }
    revocation = session.get(CertificateRevocation, number)
    if revocation is not None:
        return Verification(Verdict.REVOKED, revoked_at=revocation.revoked_at, reason=revocation.reason,
                            **common)
    if row is not None:
        newer = session.scalar(select(Certificate.number).where(Certificate.supersedes_id == row.id))
        if newer is not None:
            return Verification(Verdict.REPLACED, replaced_by=newer, **common)
    if common["mismatch"]:
        return Verification(Verdict.UNKNOWN)
    return Verification(Verdict.VALID, **common)


def _verify_hq(session: Session, content: device_key.CodeContent) -> Verification:
    """An attestation HQ issued to an advisor: HQ's own key, HQ's own record."""
    key = advisor_attestations.public_key(session)
    if key is None or not device_key.verify_signature(content, key):
        return Verification(Verdict.UNKNOWN)
    number = advisor_attestations.number_of(content.counter)
    row = advisor_attestations.find(session, number)
    if row is None or device_key.facts_digest(row.facts) != content.digest:
        return Verification(Verdict.UNKNOWN)
    common: dict[str, Any] = {"number": number, "beneficiary": content.name, "issued_on": content.issued_on,
                              "synced": True, "facts": dict(row.facts)}
    revocation = session.get(CertificateRevocation, number)
    if revocation is not None:
        return Verification(Verdict.REVOKED, revoked_at=revocation.revoked_at, reason=revocation.reason,
                            **common)
    return Verification(Verdict.VALID, **common)


def _known_number(session: Session, number: str) -> bool:
    """A number an enrolled laptop's prefix, or HQ itself, issued."""
    parts = number.split("-")
    if len(parts) != 3 or parts[0] != device_key.NUMBER_KIND or not parts[2].isdigit():
        return False
    if parts[1] == advisor_attestations.PREFIX:
        return advisor_attestations.find(session, number) is not None
    return session.scalar(select(HqDevice.id).where(HqDevice.key_prefix == parts[1])) is not None


def revoke(session: Session, number: str, reason: str) -> CertificateRevocation:
    """Revokes certificate ``number`` (synced or not yet, as long as an enrolled laptop's
    prefix issued it). Revoking again keeps the first date and reason."""
    number = number.strip().upper()
    reason = " ".join(reason.split())
    if not reason:
        raise UserError("Indiquez le motif de la révocation (--reason).")
    if len(reason) > REASON_MAX:
        raise UserError(f"Motif trop long ({REASON_MAX} caractères au plus).")
    if not _known_number(session, number):
        raise UserError(f"Numéro d'attestation inconnu : « {number} » (ex. ATT-ABCD2345-00012).")
    existing = session.get(CertificateRevocation, number)
    if existing is not None:
        return existing
    revocation = CertificateRevocation(number=number, revoked_at=utcnow(), reason=reason)
    session.add(revocation)
    _stamp_synced_row(session, number, revocation)
    session.flush()
    return revocation


def _stamp_synced_row(session: Session, number: str, revocation: CertificateRevocation) -> None:
    """The synced certificate row, if the laptop has sent it, says so too: the next pull
    brings the revocation to the laptops of the region (the printed facts stay as signed)."""
    from advisor_app.hq.push import allocate  # the cursor numbers, as a push takes them

    row = session.scalar(select(Certificate).where(Certificate.number == number))
    if row is None or row.revoked_at is not None:
        return
    row.revoked_at, row.revoked_reason = revocation.revoked_at, revocation.reason
    row.row_version += 1
    row.updated_at, row.updated_by, row.origin_device = revocation.revoked_at, None, None
    [row.server_seq] = allocate(session, 1)


VERDICT_LABELS = {
    Verdict.VALID: "Attestation authentique",
    Verdict.REVOKED: "Attestation révoquée",
    Verdict.REPLACED: "Attestation remplacée",
    Verdict.UNKNOWN: "Attestation inconnue",
}


def summary_lines(result: Verification) -> list[str]:
    """The verdict and key facts as plain French lines (CLI and page share the words)."""
    lines = [VERDICT_LABELS[result.verdict]]
    if result.verdict == Verdict.UNKNOWN:
        lines.append("Ce code ne correspond à aucune attestation délivrée par un conseiller du programme "
                     "(code incomplet, modifié ou contrefait).")
        return lines
    f = result.facts
    lines.append(f"Numéro : {result.number}")
    lines.append(f"Bénéficiaire : {f.get('beneficiary') or result.beneficiary}")
    if f.get("company"):
        lines.append(f"Entreprise : {f['company']}" + (f" (ICE {f['ice']})" if f.get("ice") else ""))
    if f.get("track"):
        lines.append(f"Parcours : {f['track']} — groupe « {f.get('group', '')} »")
    if f.get("training"):
        lines.append(f"Formation : {f['training']}")
        lines.append("Délivrée par : le siège du programme")
    if f.get("period_start") and f.get("period_end"):
        start, end = dt.date.fromisoformat(f["period_start"]), dt.date.fromisoformat(f["period_end"])
        lines.append(f"Période : du {start:%d/%m/%Y} au {end:%d/%m/%Y}")
    if result.issued_on is not None:
        lines.append(f"Délivrée le : {result.issued_on:%d/%m/%Y}")
    if result.advisor:
        lines.append(f"Conseiller : {result.advisor}")
    if result.verdict == Verdict.REVOKED:
        when = f" le {result.revoked_at:%d/%m/%Y}" if result.revoked_at else ""
        lines.append(f"Révoquée{when} : {result.reason}")
    if result.verdict == Verdict.REPLACED:
        lines.append(f"Remplacée par l'attestation n° {result.replaced_by}")
    if not result.synced:
        lines.append("Signature vérifiée ; le détail de l'attestation n'est pas encore parvenu au siège.")
    return lines
