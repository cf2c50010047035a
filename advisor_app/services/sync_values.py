"""How a conflict's values read for the advisor (dates in French, yes/no, "deleted on ..."),
what a row of a synced table is called (the company's name rather than its id), and how a
value typed by the advisor becomes a value of the column."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Float, Integer, Time
from sqlalchemy.orm import Session

from advisor_app.domain.base import UTCDateTime
from advisor_app.domain.companies import Company
from advisor_app.i18n import tr
from advisor_app.services.errors import UserError
from advisor_app.sync.capture import to_wire
from advisor_app.sync.rows import WireValueError, from_wire

DELETED = "deleted_at"
# column -> what the advisor calls it (French source text); others show their column name
FIELD_LABELS: dict[str, str] = {
    "name": "Nom", "legal_name": "Raison sociale", "ice": "ICE", "city": "Ville",
    "address": "Adresse", "phone": "Téléphone", "email": "E-mail", "sector_code": "Secteur",
    "region_code": "Région", "legal_form": "Forme juridique", "segment": "Segment",
    "employees": "Effectif", "first_name": "Prénom", "last_name": "Nom de famille",
    "role": "Fonction", "title": "Intitulé", "status": "Statut", "progress": "Avancement",
    "due_on": "Échéance", "notes": "Notes", "place": "Lieu", "held_on": "Date",
    "starts_on": "Début", "ends_on": "Fin", "stage": "Étape", "target": "Cible",
    "baseline": "Valeur de départ", "value": "Valeur", DELETED: "Suppression",
}
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def field_label(field: str) -> str:
    return tr(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def value_text(field: str, value: Any) -> str:
    """A stored (JSON) value as the advisor reads it."""
    if field == DELETED:
        return tr("Gardé (non supprimé)") if value is None else tr("Supprimé le {when}").format(
            when=_moment_text(value))
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return tr("Oui") if value else tr("Non")
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}T.*", value):
            return _moment_text(value)
        return value
    return str(value)


def _moment_text(value: Any) -> str:
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")


def row_label(session: Session, row: Any) -> str:
    """What the advisor calls ``row``: a name, a title, or its company's name."""
    if row is None:
        return ""
    first, last = getattr(row, "first_name", None), getattr(row, "last_name", None)
    if first or last:
        return " ".join(part for part in (first, last) if part)
    for attribute in ("name", "title", "topic"):
        text = getattr(row, attribute, None)
        if isinstance(text, str) and text:
            return text
    company_id = getattr(row, "company_id", None)
    if isinstance(company_id, str):
        company = session.get(Company, company_id)
        if company is not None:
            return company.name
    return ""


def parse_input(column: Column[Any], text: str) -> Any:
    """The value the advisor typed for ``column`` (French writing: 12/03/2026, 1,5, oui),
    checked like a value coming from HQ. UserError with a French message if it does not fit."""
    text = text.strip()
    kind = column.type
    try:
        if not text:
            wire: Any = None
        elif isinstance(kind, Boolean):
            words = {tr("Oui").casefold(): True, tr("Non").casefold(): False, "true": True, "false": False}
            wire = words.get(text.casefold(), text)
        elif isinstance(kind, Integer):
            wire = int(text.replace(" ", "").replace("\u202f", ""))
        elif isinstance(kind, Float):
            wire = float(text.replace(" ", "").replace("\u202f", "").replace(",", "."))
        elif isinstance(kind, Date) and (match := _DATE.match(text)):
            wire = dt.date(int(match[3]), int(match[2]), int(match[1])).isoformat()
        elif isinstance(kind, Time | UTCDateTime | DateTime):
            raise UserError(tr("Ce champ ne se modifie pas ici : gardez l'une des deux valeurs."))
        else:
            wire = text
        return from_wire(column, wire)
    except (ValueError, WireValueError):
        raise UserError(tr("Valeur invalide pour ce champ : « {text} ».").format(text=text)) from None


def wire_value(value: Any) -> Any:
    return to_wire(value)
