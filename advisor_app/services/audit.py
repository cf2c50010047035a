"""The audit log as the advisor reads it: who changed what and when on a company, its
people and its enrolments (rows written by sync/capture.py and sync/local_apply.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select

from advisor_app.domain.base import SYNC_COLUMNS
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enrolments import Enrolment
from advisor_app.domain.labels import (
    GENDER_LABELS,
    LEGAL_FORM_LABELS,
    ROLE_LABELS,
    SEGMENT_LABELS,
    TURNOVER_LABELS,
    label,
)
from advisor_app.domain.local import AuditEntry
from advisor_app.domain.reference import Advisor
from advisor_app.domain.stages import stage_label
from advisor_app.i18n import tr
from advisor_app.services.database import Database
from advisor_app.services.sync_values import FIELD_LABELS, field_label, value_text

# what happened, and to what kind of record: French source texts shown through tr()
OP_LABELS: dict[str, str] = {"insert": "Création", "update": "Modification", "delete": "Suppression"}
RECORD_LABELS: dict[str, str] = {"company": "Entreprise", "person": "Personne",
                                 "enrolment": "Inscription au parcours"}
# fields the conflicts screen does not name (services/sync_values.py names the others)
MORE_FIELD_LABELS: dict[str, str] = {
    "first_name_ar": "Prénom en arabe", "last_name_ar": "Nom en arabe", "job_title": "Poste",
    "gender": "Genre", "turnover_band": "Chiffre d'affaires", "created_on": "Date de création",
    "track_code": "Parcours", "enrolled_on": "Date d'inscription", "ended_on": "Date de fin",
    "drop_reason": "Motif d'abandon", "stage_changed_at": "Changement d'étape",
}
_VALUE_LABELS = {"legal_form": LEGAL_FORM_LABELS, "segment": SEGMENT_LABELS, "role": ROLE_LABELS,
                 "turnover_band": TURNOVER_LABELS, "gender": GENDER_LABELS}
HISTORY_LIMIT = 500  # newest first; an old company rarely has more, and the tab stays quick


@dataclass(frozen=True)
class FieldChange:
    field: str  # label in the advisor's language
    old: str
    new: str
    created: bool = False  # a value of a new record: there was no old one

    @property
    def text(self) -> str:
        return f"{self.field} : {self.new}" if self.created else f"{self.field} : {self.old} → {self.new}"


@dataclass(frozen=True)
class HistoryLine:
    at: dt.datetime  # local time
    who: str
    source: str  # "local" / "hq"
    record: str  # "Entreprise", "Personne : Amina Alaoui", ...
    action: str
    changes: tuple[FieldChange, ...]

    @property
    def summary(self) -> str:
        return "; ".join(c.text for c in self.changes)


def company_history(db: Database, company_id: str, *, limit: int = HISTORY_LIMIT) -> list[HistoryLine]:
    """Changes of the company, its people and its enrolments, newest first."""
    with db.sessions() as session:
        people: dict[str, str] = {row_id: f"{first} {last}" for row_id, first, last in session.execute(
            select(Person.id, Person.first_name, Person.last_name).where(Person.company_id == company_id))}
        enrolments: dict[str, str] = {row_id: track for row_id, track in session.execute(
            select(Enrolment.id, Enrolment.track_code).where(Enrolment.company_id == company_id))}
        rows = session.scalars(
            select(AuditEntry).where(or_(
                (AuditEntry.table_name == "company") & (AuditEntry.row_id == company_id),
                (AuditEntry.table_name == "person") & AuditEntry.row_id.in_(list(people)),
                (AuditEntry.table_name == "enrolment") & AuditEntry.row_id.in_(list(enrolments)),
            )).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)).all()
        actors = {a for a in (r.actor for r in rows) if a}
        names: dict[str, str] = {advisor_id: name for advisor_id, name in session.execute(
            select(Advisor.id, Advisor.name).where(Advisor.id.in_(actors)))} if actors else {}
        company_exists = session.get(Company, company_id) is not None
    if not company_exists:
        return []
    lines = []
    for row in rows:
        record = tr(RECORD_LABELS.get(row.table_name, row.table_name))
        detail = people.get(row.row_id) or enrolments.get(row.row_id)
        if detail:
            record = f"{record} : {detail.strip()}"
        lines.append(HistoryLine(
            at=row.at.astimezone(), who=_who(row, names), source=row.source, record=record,
            action=_action(row), changes=_changes(row)))
    return lines


def _who(row: AuditEntry, names: dict[str, str]) -> str:
    if row.actor and row.actor in names:
        return names[row.actor]
    if row.source == "hq":
        return tr("Siège")
    return tr("Ce poste")  # changes made before this laptop was enrolled have no advisor


def _action(row: AuditEntry) -> str:
    if row.op == "update" and "deleted_at" in row.changes and row.changes["deleted_at"].get("new") is None:
        return tr("Restauration")
    return tr(OP_LABELS.get(row.op, row.op))


def _changes(row: AuditEntry) -> tuple[FieldChange, ...]:
    changes = []
    for field, values in row.changes.items():
        if field in SYNC_COLUMNS or field.startswith("scope_") or not isinstance(values, dict):
            continue  # who may see the row, not what it says
        old, new = values.get("old"), values.get("new")
        if row.op == "insert" and (field.endswith("_id") or new in (None, "")):
            continue  # links to parents (the record line says where it belongs), empty fields
        changes.append(FieldChange(_field_label(field), _value(field, old), _value(field, new),
                                   created=row.op == "insert"))
    return tuple(sorted(changes, key=lambda change: change.field))


def _field_label(field: str) -> str:
    if field not in FIELD_LABELS and field in MORE_FIELD_LABELS:
        return tr(MORE_FIELD_LABELS[field])
    return field_label(field)


def _value(field: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    if field in _VALUE_LABELS:
        return label(_VALUE_LABELS[field], value)
    if field == "stage":
        return stage_label(value)
    return value_text(field, value)
