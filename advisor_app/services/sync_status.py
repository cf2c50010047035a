"""Where this laptop stands with headquarters: enrolment (who, which region), changes
waiting to be sent (by kind of record), last sync, last failure, conflicts waiting for the
advisor, automatic sync. Read-only, but for the automatic sync interval."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from advisor_app import i18n
from advisor_app.domain.local import SyncConflict, SyncOutbox
from advisor_app.domain.reference import Advisor, Region
from advisor_app.i18n import tr
from advisor_app.services.database import (
    ADVISOR_KEY,
    DEMO_KEY,
    DEVICE_KEY,
    Database,
    get_setting,
    set_setting,
)

HQ_URL_KEY = "hq_url"
LAST_SYNC_KEY = "last_sync_at"
LAST_FAILURE_KEY = "last_sync_failure"  # written by sync_service.sync
ENROLLED_NAME_KEY = "hq_advisor_name"  # the advisor HQ named at enrolment
ENROLLED_REGION_KEY = "hq_region_code"
AUTO_SYNC_KEY = "auto_sync_minutes"  # 0 or missing: no automatic sync
AUTO_SYNC_CHOICES = (0, 15, 30, 60, 120)

# synced table -> what the advisor calls its rows (French source text)
TABLE_LABELS: dict[str, str] = {
    "company": "Entreprises", "person": "Personnes", "enrolment": "Inscriptions",
    "stage_transition": "Changements d'étape", "coaching_group": "Groupes",
    "group_membership": "Entrées et sorties de groupes", "diagnostic": "Diagnostics",
    "diagnostic_answer": "Réponses aux diagnostics", "key_problem": "Problèmes clés",
    "action": "Actions", "indicator": "Indicateurs", "indicator_reading": "Relevés d'indicateurs",
    "coaching_session": "Séances", "attendance": "Émargements", "commitment": "Engagements",
    "certificate": "Certificats",
}


def moment_text(stored: str | None) -> str | None:
    """A stored UTC moment (ISO 8601) as the advisor reads it: local time, 23/11/2026 14:05."""
    if not stored:
        return None
    try:
        moment = dt.datetime.fromisoformat(stored)
    except ValueError:
        return stored
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")


def failure_text(kind: str, server: str = "", detail: str = "") -> str:
    """What the advisor reads for a failed exchange with HQ of this kind (the values of
    ``sync.transport.Failure``)."""
    if kind == "unreachable":
        return tr("Le siège est injoignable ({url}) : vérifiez la connexion Internet et "
                  "réessayez. Vos changements restent ici.").format(url=server)
    if kind == "unauthorized":
        return tr("Cet ordinateur a été révoqué par le siège ou n'y est plus reconnu : demandez "
                  "un nouveau code d'inscription. Vos changements restent ici.")
    if kind == "upgrade":
        return tr("Cette version de Mowakaba est trop ancienne pour le siège : installez la mise "
                  "à jour, puis synchronisez.")
    if kind == "refused":
        return tr("Le siège a refusé la demande : {detail}").format(detail=detail)
    return tr("Le siège a rencontré une erreur : réessayez plus tard. {detail}").format(
        detail=detail).strip()


def failure_short(kind: str) -> str:
    """A few words for the status bar; ``failure_text`` says the rest."""
    words = {"unreachable": tr("Siège injoignable"), "unauthorized": tr("Ordinateur révoqué par le siège"),
             "upgrade": tr("Application trop ancienne : mise à jour nécessaire"),
             "refused": tr("Synchronisation refusée par le siège")}
    return words.get(kind, tr("Erreur de synchronisation"))


def ago_text(moment: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """How long ago, as the status bar says it: "à l'instant", "il y a 5 min", "il y a 3 h",
    then the date."""
    if moment is None:
        return tr("jamais")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    seconds = ((now or dt.datetime.now(dt.UTC)) - moment).total_seconds()
    if seconds < 60:
        return tr("à l'instant")
    if seconds < 3600:
        return tr("il y a {n} min").format(n=int(seconds // 60))
    if seconds < 24 * 3600:
        return tr("il y a {n} h").format(n=int(seconds // 3600))
    return tr("le {date}").format(date=moment.astimezone().strftime("%d/%m/%Y %H:%M"))


def _moment(stored: str | None) -> dt.datetime | None:
    if not stored:
        return None
    try:
        moment = dt.datetime.fromisoformat(stored)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def table_label(table: str) -> str:
    return tr(TABLE_LABELS[table]) if table in TABLE_LABELS else table


@dataclass(frozen=True)
class PendingKind:
    table: str
    label: str
    changes: int
    oldest: dt.datetime


@dataclass(frozen=True)
class ConflictRow:
    id: int
    table_label: str
    row_id: str
    field: str
    local_value: str
    remote_value: str
    kept: str  # "local" / "remote": the value in force until the advisor decides
    since: dt.datetime


@dataclass(frozen=True)
class SyncStatus:
    device_id: str
    hq_url: str | None  # None: not enrolled with headquarters yet
    demo_data: bool
    last_sync: str | None
    pending: tuple[PendingKind, ...]
    conflicts: tuple[ConflictRow, ...]

    @property
    def pending_total(self) -> int:
        return sum(kind.changes for kind in self.pending)


def sync_status(db: Database) -> SyncStatus:
    with db.sessions() as session:
        o = SyncOutbox
        pending = tuple(sorted(
            (PendingKind(table, table_label(table), count, oldest)
             for table, count, oldest in session.execute(
                select(o.table_name, func.count(), func.min(o.created_at))
                .where(o.acked_at.is_(None)).group_by(o.table_name))),
            key=lambda kind: (-kind.changes, kind.label)))
        c = SyncConflict
        conflicts = tuple(
            ConflictRow(row.id, table_label(row.table_name), row.row_id, row.field,
                        _shown(row.local_value), _shown(row.remote_value), row.winner, row.created_at)
            for row in session.scalars(
                select(c).where(c.resolved_at.is_(None)).order_by(c.created_at, c.id)))
        return SyncStatus(
            device_id=get_setting(session, DEVICE_KEY) or "",
            hq_url=get_setting(session, HQ_URL_KEY),
            demo_data=get_setting(session, DEMO_KEY) is not None,
            last_sync=moment_text(get_setting(session, LAST_SYNC_KEY)),
            pending=pending, conflicts=conflicts)


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Overview:
    """What the status bar and the enrolment card show."""

    hq_url: str | None
    hq_device_id: str | None
    advisor_name: str | None
    region: str | None  # "Casablanca-Settat (MA-06)"
    demo_data: bool
    pending: int
    conflicts: int
    last_sync: dt.datetime | None
    last_failure: str  # a transport Failure value, "" when the last sync went well
    auto_sync_minutes: int


def overview(db: Database) -> Overview:
    with db.sessions() as session:
        advisor_id = get_setting(session, ADVISOR_KEY)
        advisor = session.get(Advisor, advisor_id) if advisor_id else None
        advisor_name = advisor.name if advisor else get_setting(session, ENROLLED_NAME_KEY)
        region_code = advisor.region_code if advisor else get_setting(session, ENROLLED_REGION_KEY)
        region = session.get(Region, region_code) if region_code else None
        region_text = None
        if region_code:
            name = (region.name_en if i18n.language() == "en" else region.name_fr) if region else ""
            region_text = f"{name} ({region_code})" if name else region_code
        pending = session.scalar(select(func.count()).select_from(SyncOutbox)
                                 .where(SyncOutbox.acked_at.is_(None))) or 0
        conflicts = session.scalar(select(func.count()).select_from(SyncConflict)
                                   .where(SyncConflict.resolved_at.is_(None))) or 0
        return Overview(
            hq_url=get_setting(session, HQ_URL_KEY) or None,
            hq_device_id=get_setting(session, "hq_device_id"),
            advisor_name=advisor_name, region=region_text,
            demo_data=get_setting(session, DEMO_KEY) is not None, pending=pending, conflicts=conflicts,
            last_sync=_moment(get_setting(session, LAST_SYNC_KEY)),
            last_failure=get_setting(session, LAST_FAILURE_KEY) or "",
            auto_sync_minutes=_minutes(get_setting(session, AUTO_SYNC_KEY)))


def _minutes(stored: str | None) -> int:
    try:
        return max(int(stored or 0), 0)
    except ValueError:
        return 0


def set_auto_sync(db: Database, minutes: int) -> None:
    """Automatic sync every ``minutes`` (0: off), kept with this laptop's database."""
    with db.unit_of_work() as session:
        set_setting(session, AUTO_SYNC_KEY, str(max(minutes, 0)))
