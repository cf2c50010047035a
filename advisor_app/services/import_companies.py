"""Importing companies and their contact person from a spreadsheet: read, map the columns,
validate every row and find the duplicates, without writing anything.

The result (``ImportPlan``) is plain data: a validation report (row as the spreadsheet
shows it, column, reason), the rows that can be imported, and the duplicates (same ICE,
or same name and phone, against the database and within the file) for the advisor to
merge, create anyway or skip. ``services.import_writer.apply_import`` writes an accepted
plan in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain import validation as v
from advisor_app.domain.company_rules import CompanyInput, validate_company
from advisor_app.domain.enums import LegalForm, PersonRole, Segment, TurnoverBand
from advisor_app.domain.labels import (
    LEGAL_FORM_LABELS,
    ROLE_LABELS,
    SEGMENT_LABELS,
    TURNOVER_LABELS,
)
from advisor_app.domain.reference import Advisor, Region, RegionAlias, Sector
from advisor_app.domain.regions import normalise_region_name
from advisor_app.i18n import tr
from advisor_app.importing import mapping as m
from advisor_app.importing import values as cells
from advisor_app.importing import vocabulary
from advisor_app.importing.reader import SourceTable, UnreadableFile, column_letter, read_table
from advisor_app.services.database import ADVISOR_KEY, Database, get_setting
from advisor_app.services.errors import UserError
from advisor_app.storage import resources
from advisor_app.storage.repositories import company_search as repo

MERGE, CREATE, SKIP = "merge", "create", "skip"
DECISIONS = (MERGE, CREATE, SKIP)
DECISION_LABELS: dict[str, str] = {MERGE: "Fusionner", CREATE: "Créer quand même", SKIP: "Ignorer"}
ERROR, WARNING = "error", "warning"
PROGRESS_STEP = 100

# Upper bound (MAD, excluded) of each turnover band: an amount picks its band.
_TURNOVER_BOUNDS = ((500_000, TurnoverBand.UNDER_500K), (3_000_000, TurnoverBand.FROM_500K_TO_3M),
                    (10_000_000, TurnoverBand.FROM_3M_TO_10M), (50_000_000, TurnoverBand.FROM_10M_TO_50M))
# Field names of the company rules -> mapping fields (where the report points).
_RULE_FIELDS = {"region_code": "region", "sector_code": "sector"}


@dataclass(frozen=True)
class ImportIssue:
    row: int  # as the spreadsheet shows it
    column: str  # "C (Téléphone)"; "" for the row as a whole
    reason: str
    severity: str = ERROR


@dataclass(frozen=True)
class Duplicate:
    """What a row duplicates: a company of the database, or an earlier row of the file."""

    same_ice: bool  # False: same name and phone
    company_id: str | None
    row: int | None
    name: str
    city: str

    def describe(self) -> str:
        what = tr("même ICE") if self.same_ice else tr("même nom et même téléphone")
        if self.row is not None:
            return tr("Ligne {row} du fichier ({what})").format(row=self.row, what=what)
        city = f" ({self.city})" if self.city else ""
        return tr("« {name} »{city} déjà enregistrée ({what})").format(name=self.name, city=city,
                                                                       what=what)


@dataclass
class ImportRow:
    number: int
    company: dict[str, Any]  # normalised values, named like CompanyForm's fields
    person: dict[str, Any] | None  # normalised values, named like PersonForm's fields
    given: frozenset[str]  # company fields the file filled (the only ones a merge brings)
    refused: bool = False
    duplicate: Duplicate | None = None


@dataclass
class ImportPlan:
    table: SourceTable
    mapping: dict[int, str | None]
    rows: list[ImportRow]
    issues: list[ImportIssue] = field(default_factory=list)

    @property
    def accepted(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.refused]

    @property
    def refused(self) -> list[ImportRow]:
        return [r for r in self.rows if r.refused]

    @property
    def duplicates(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.refused and r.duplicate is not None]

    @property
    def errors(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == ERROR]


def read_file(path: Path, *, sheet: str | None = None, encoding: str | None = None) -> SourceTable:
    """The file as a table; ``UserError`` when it cannot be read."""
    try:
        return read_table(path, sheet=sheet, encoding=encoding)
    except UnreadableFile as exc:
        raise UserError(str(exc)) from exc


def field_choices() -> list[tuple[str | None, str]]:
    """(field, label in the current language) for the mapping combo boxes; None: ignored."""
    return [(None, tr("(ignorer)")), *((key, tr(m.FIELD_LABELS[key])) for key in m.FIELDS)]


@dataclass
class _Reference:
    regions: dict[str, str]  # normalised name, alias or code -> region code
    cities: dict[str, str]  # normalised city -> region code
    sectors: dict[str, str]
    known_regions: set[str]
    default_region: str | None
    legal_forms: dict[str, str]
    segments: dict[str, str]
    turnovers: dict[str, str]
    roles: dict[str, str]


def _labels(labels: dict[str, str], synonyms: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return cells.options((code, (text, tr(text), *synonyms.get(code, ())))
                         for code, text in labels.items())


def _reference(session: Session) -> _Reference:
    regions = {key: code for key, code in session.execute(select(RegionAlias.key, RegionAlias.region_code))}
    codes = set(session.scalars(select(Region.code).where(Region.deleted_at.is_(None))))
    regions.update({normalise_region_name(code): code for code in codes})
    cities: dict[str, str] = {}
    for region in resources.read_toml("regions.toml").get("region", []):
        for city in (region.get("capital", ""), *region.get("cities", [])):
            cities.setdefault(normalise_region_name(city), region["code"])
    sectors = cells.options(
        (code, (fr, en)) for code, fr, en in session.execute(
            select(Sector.code, Sector.name_fr, Sector.name_en).where(Sector.deleted_at.is_(None))))
    advisor = get_setting(session, ADVISOR_KEY)
    default = session.scalar(select(Advisor.region_code).where(Advisor.id == advisor)) if advisor else None
    return _Reference(regions=regions, cities=cities, sectors=sectors, known_regions=codes,
                      default_region=default,
                      legal_forms=_labels(LEGAL_FORM_LABELS, vocabulary.LEGAL_SYNONYMS),
                      segments=_labels(SEGMENT_LABELS, vocabulary.SEGMENT_SYNONYMS),
                      turnovers=_labels(TURNOVER_LABELS, {}),
                      roles=_labels(ROLE_LABELS, vocabulary.ROLE_SYNONYMS))


def analyse(db: Database, table: SourceTable, mapping: dict[int, str | None] | None = None, *,
            today: dt.date | None = None, cancelled: Callable[[], bool] | None = None,
            progress: Callable[[int, int], None] | None = None) -> ImportPlan:
    """Every row read, validated and checked for duplicates; nothing written. ``progress``
    hears (rows done, rows in all) every few hundred rows; ``cancelled`` is asked as often."""
    mapping = dict(mapping) if mapping is not None else m.auto_mapping(table.headers)
    twice = m.check_mapping(mapping)
    if twice:
        raise UserError(tr("Plusieurs colonnes vont vers le même champ : {fields}.").format(
            fields=", ".join(tr(m.FIELD_LABELS[f]) for f in twice)))
    if "name" not in mapping.values():
        raise UserError(tr("Aucune colonne ne donne la raison sociale : choisissez-la dans la "
                           "correspondance des colonnes."))
    columns = {f: i for i, f in mapping.items() if f is not None}
    plan = ImportPlan(table=table, mapping=mapping, rows=[])
    with db.sessions() as session:
        ref = _reference(session)
        seen: dict[tuple[str, ...], int] = {}
        for done, source in enumerate(table.rows):
            if done % PROGRESS_STEP == 0:
                if cancelled is not None and cancelled():
                    raise UserError(tr("Analyse interrompue."))
                if progress is not None:
                    progress(done, len(table.rows))
            reader = _RowReader(table, columns, source.number, source.values)
            row = _read_row(reader, ref, today or dt.date.today())
            plan.issues.extend(reader.issues)
            if not row.refused:
                row.duplicate = _duplicate(session, row, seen)
            plan.rows.append(row)
    return plan


class _RowReader:
    def __init__(self, table: SourceTable, columns: dict[str, int], number: int,
                 values: tuple[object, ...]) -> None:
        self.table, self.columns, self.number, self.values = table, columns, number, values
        self.issues: list[ImportIssue] = []

    def raw(self, name: str) -> object:
        index = self.columns.get(name)
        return None if index is None or index >= len(self.values) else self.values[index]

    def column(self, name: str) -> str:
        index = self.columns.get(name)
        if index is None:
            return tr(m.FIELD_LABELS.get(name, name))
        return f"{column_letter(index)} ({self.table.headers[index]})"

    def add(self, name: str, reason: str, severity: str = ERROR) -> None:
        self.issues.append(ImportIssue(self.number, self.column(name) if name else "", reason, severity))

    def read(self, name: str, parse: Callable[[object], Any]) -> Any:
        try:
            return parse(self.raw(name))
        except ValueError as exc:
            self.add(name, str(exc))
            return None

    def text(self, name: str) -> str:
        return cells.text(self.raw(name))


def _turnover(value: object, options: dict[str, str]) -> str | None:
    amount: float | None
    try:
        amount = cells.number(value)
    except ValueError:
        return cells.choice(value, options)
    if amount is None:
        return None
    return next((band.value for bound, band in _TURNOVER_BOUNDS if amount < bound),
                TurnoverBand.OVER_50M.value)


def _ice(r: _RowReader) -> str:
    ice, padded = cells.digits(r.raw("ice"), width=v.ICE_LENGTH)
    if padded:
        r.add("ice", tr("ICE complété par ses zéros initiaux (perdus par le tableur) : {ice}.").format(
            ice=ice), WARNING)
    return ice


def _region(r: _RowReader, ref: _Reference, city: str) -> tuple[str | None, bool]:
    """(region code, whether a message about it was already given)."""
    raw = r.text("region")
    if raw:
        code = ref.regions.get(normalise_region_name(raw))
        if code is None:
            r.add("region", tr("Région inconnue : « {code} ».").format(code=raw))
            return None, True
        return code, False
    from_city = ref.cities.get(normalise_region_name(city)) if city else None
    if from_city is not None:
        return from_city, False
    if ref.default_region is not None:
        r.add("region", tr("Région absente : celle du conseiller est retenue."), WARNING)
    return ref.default_region, False


def _read_row(r: _RowReader, ref: _Reference, today: dt.date) -> ImportRow:
    company: dict[str, Any] = {
        "name": r.text("name"), "city": r.text("city"), "address": r.text("address"),
        "notes": r.text("notes"), "ice": _ice(r),
        "phone": cells.phone(r.raw("phone")), "email": r.text("email"),
        "legal_form": r.read("legal_form", lambda x: cells.choice(x, ref.legal_forms)),
        "segment": r.read("segment", lambda x: cells.choice(x, ref.segments)),
        "sector_code": r.read("sector", lambda x: cells.choice(x, ref.sectors, prefix=True)),
        "turnover_band": r.read("turnover_band", lambda x: _turnover(x, ref.turnovers)),
        "employees": r.read("employees", cells.whole_number),
        "created_on": r.read("created_on", cells.date),
    }
    given = frozenset(k for k, value in company.items() if value not in (None, ""))
    company["region_code"], region_said = _region(r, ref, company["city"])
    if company["segment"] is None:
        company["segment"] = (Segment.AUTO_ENTREPRENEUR.value
                              if company["legal_form"] == LegalForm.AUTO_ENTREPRENEUR else Segment.TPE.value)
    if company["legal_form"] is None:
        company["legal_form"] = (LegalForm.AUTO_ENTREPRENEUR.value
                                 if company["segment"] == Segment.AUTO_ENTREPRENEUR else LegalForm.SARL.value)
    report = validate_company(CompanyInput(
        name=company["name"], legal_form=company["legal_form"], segment=company["segment"],
        region_code=company["region_code"] or "", sector_code=company["sector_code"],
        city=company["city"], ice=company["ice"], phone=company["phone"], email=company["email"],
        employees=company["employees"], turnover_band=company["turnover_band"],
        created_on=company["created_on"]), today=today, known_regions=ref.known_regions)
    for issue in report.issues:
        if issue.field == "region_code" and region_said:
            continue  # already said: unknown region name
        r.add(_RULE_FIELDS.get(issue.field, issue.field), issue.message,
              WARNING if issue.severity is v.Severity.WARNING else ERROR)
    company.update({k: report.values[k] for k in ("name", "city", "ice", "phone", "email")})
    person = _read_person(r, ref)
    refused = any(i.severity == ERROR for i in r.issues)
    return ImportRow(number=r.number, company=company, person=person, given=given, refused=refused)


def _read_person(r: _RowReader, ref: _Reference) -> dict[str, Any] | None:
    first, last = r.text("person_first_name"), r.text("person_last_name")
    full = r.text("person_full_name")
    if full and not (first or last):
        first, last = cells.split_full_name(full)
    person: dict[str, Any] = {
        "first_name": first, "last_name": last, "first_name_ar": r.text("person_first_name_ar"),
        "last_name_ar": r.text("person_last_name_ar"), "job_title": r.text("person_job_title"),
        "phone": cells.phone(r.raw("person_phone")), "email": r.text("person_email"),
        "role": r.read("person_role", lambda x: cells.choice(x, ref.roles)),
        "gender": r.read("person_gender", lambda x: cells.choice(x, vocabulary.GENDERS)),
    }
    if not any(value for key, value in person.items() if key not in ("role", "gender")):
        return None
    name_field = "person_full_name" if full else None
    for key, label in (("first_name", tr("Prénom")), ("last_name", tr("Nom"))):
        if not person[key]:
            r.add(name_field or f"person_{key}",
                  tr("Contact : ce champ est obligatoire : {label}.").format(label=label))
    for key in ("phone", "email"):
        check = v.check_phone if key == "phone" else v.check_email
        person[key], found = check(person[key] or None, field_name=key)
        for issue in found:
            r.add(f"person_{key}", issue.message)
    person["role"] = person["role"] or PersonRole.OWNER.value
    return person


def _duplicate(session: Session, row: ImportRow, seen: dict[tuple[str, ...], int]) -> Duplicate | None:
    """The first match of: same ICE in the database, same ICE earlier in the file, same
    name and phone in the database, same name and phone earlier in the file."""
    ice, name, phone = row.company["ice"], row.company["name"], row.company["phone"]
    keys: list[tuple[bool, tuple[str, ...]]] = []
    if ice:
        keys.append((True, ("ice", ice)))
    if name and phone:
        keys.append((False, ("name_phone", repo.sort_key(name), phone)))
    found: Duplicate | None = None
    for same_ice, key in keys:
        if found is None:
            matches = (repo.same_ice(session, ice, exclude_id=None) if same_ice
                       else repo.same_name_and_phone(session, name, phone, exclude_id=None))
            if matches:
                company_id, other, city = matches[0]
                found = Duplicate(same_ice, company_id, None, other, city or "")
            elif key in seen:
                found = Duplicate(same_ice, None, seen[key], name, row.company["city"])
        seen.setdefault(key, row.number)
    return found
