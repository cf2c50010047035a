"""Companies: the list (search, filters, SQL-side sort and paging), the create/edit form with
field-level validation, saving in one transaction, and soft deletion.

Plain dataclasses in and out: the UI never holds an ORM object or a session. The list reads
``company_listing`` (kept by SQLite triggers, revision 0003); saves go through the ORM so
that the sync outbox records them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain import stages
from advisor_app.domain import validation as v
from advisor_app.domain.base import utcnow
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.company_rules import CompanyInput, validate_company
from advisor_app.domain.enums import LegalForm, PersonRole, Segment, TurnoverBand
from advisor_app.domain.labels import SEGMENT_LABELS, choices
from advisor_app.domain.reference import Advisor, Region, Sector
from advisor_app.i18n import tr
from advisor_app.services import reference_names
from advisor_app.services.database import ADVISOR_KEY, Database, get_setting
from advisor_app.services.errors import UserError
from advisor_app.storage.repositories import company_search as repo

SORT_COLUMNS = ("name", "city", "region", "sector", "stage", "group")
NOT_ENROLLED = repo.NOT_ENROLLED
NOT_ENROLLED_LABEL = "Non inscrite"  # French source text: shown through tr()
PAGE_LIMIT_MAX = 10_000

MAX_PILOTS = 2


def stage_label(stage: str | None) -> str:
    return stages.stage_label(stage, none=tr(NOT_ENROLLED_LABEL))


# -- the list --------------------------------------------------------------------------------
@dataclass(frozen=True)
class CompanyFilter:
    text: str = ""  # search as you type: words are prefixes, accents and case aside
    region_code: str | None = None
    segment: str | None = None
    sector_code: str | None = None
    stage: str | None = None  # stage of the latest enrolment; NOT_ENROLLED: none
    group_id: str | None = None  # an active member of that group


@dataclass(frozen=True)
class CompanyRow:
    """A row of the list; region, sector and stage in the current language."""

    id: str
    name: str
    city: str
    region: str
    sector: str
    stage: str
    stage_code: str | None
    group: str
    overdue_actions: int
    group_id: str | None = None


@dataclass(frozen=True)
class FilterChoices:
    """(value, label in the current language) pairs for the filter combo boxes."""

    regions: list[tuple[str, str]]
    segments: list[tuple[str, str]]
    sectors: list[tuple[str, str]]
    stages: list[tuple[str, str]]
    groups: list[tuple[str, str]]


def _criteria(company_filter: CompanyFilter) -> repo.Criteria:
    f = company_filter
    return repo.Criteria(text=f.text, region_code=f.region_code, segment=f.segment,
                         sector_code=f.sector_code, stage=f.stage, group_id=f.group_id)


def count_companies(db: Database, *, filter: CompanyFilter) -> int:
    with db.sessions() as session:
        return repo.count(session, _criteria(filter))


def search_companies(
    db: Database, *, filter: CompanyFilter, sort: str = "name",
    descending: bool = False, offset: int = 0, limit: int = 200, today: dt.date | None = None,
    total: int | None = None,
) -> list[CompanyRow]:
    """One page of live companies, filtered and sorted in SQL; ties are broken by name then
    id, so pages never overlap or skip a row. ``today`` dates the overdue actions. ``total``:
    what ``count_companies`` just said for this filter (spares counting the matches again to
    plan the search).

    Region and sector names come in the current language; the sort follows the French names
    the list stores (``company_listing``), whatever the language."""
    if sort not in SORT_COLUMNS:
        raise ValueError(f"unknown sort column {sort!r}; expected one of {SORT_COLUMNS}")
    with db.sessions() as session:
        rows = repo.page(session, _criteria(filter), sort=sort, descending=descending,
                         offset=offset, limit=min(limit, PAGE_LIMIT_MAX),
                         today=today or dt.date.today(), total=total)
        localize = reference_names.localize
        return [
            CompanyRow(id=r[0], name=r[1], city=r[2], region=localize(session, "region", r[3]),
                       sector=localize(session, "sector", r[4]),
                       stage=stage_label(r[5]), stage_code=r[5], group=r[6],
                       overdue_actions=int(r[7] or 0), group_id=r[8])
            for r in rows
        ]


def filter_choices(db: Database) -> FilterChoices:
    """Regions in their official order, sectors and groups by name, in the current language."""
    with db.sessions() as session:
        sectors = reference_names.localize_pairs(session, "sector", repo.sectors(session))
        return FilterChoices(
            regions=reference_names.localize_pairs(session, "region", repo.regions(session)),
            segments=choices(SEGMENT_LABELS),
            sectors=sorted(sectors, key=lambda pair: repo.sort_key(pair[1])),
            stages=[(NOT_ENROLLED, tr(NOT_ENROLLED_LABEL)),
                    *((stage.value, stages.stage_label(stage)) for stage in stages.STAGE_LABELS_FR)],
            groups=repo.groups(session),
        )


def optimize_search_index(db: Database) -> None:
    """Maintenance after a bulk load (demo data, a long sync pull): merges the search index
    so that short prefixes ("b", "bo") answer several times faster. Safe at any time."""
    with db.unit_of_work() as session:
        repo.optimize_index(session)


# -- the form --------------------------------------------------------------------------------
@dataclass
class PersonForm:
    id: str | None = None
    role: str | None = None  # "owner" / "pilot" / "employee"
    first_name: str = ""
    last_name: str = ""
    first_name_ar: str = ""
    last_name_ar: str = ""
    gender: str | None = None  # "F" / "M"
    job_title: str = ""
    phone: str | None = ""
    email: str | None = ""
    remove: bool = False

    def is_blank(self) -> bool:
        """A new row the advisor left empty: ignored rather than refused."""
        texts = (self.first_name, self.last_name, self.first_name_ar, self.last_name_ar,
                 self.job_title, self.phone, self.email)
        return self.id is None and not any((t or "").strip() for t in texts)


@dataclass
class CompanyForm:
    """Raw text as typed (codes for the choices). ``people`` lists the removed too."""

    id: str | None = None
    name: str = ""
    legal_form: str | None = LegalForm.SARL.value
    segment: str | None = Segment.TPE.value
    sector_code: str | None = None
    region_code: str | None = None
    city: str = ""
    address: str = ""
    ice: str | None = ""
    phone: str | None = ""
    email: str | None = ""
    employees: str | int | None = ""
    turnover_band: str | None = None
    created_on: dt.date | None = None
    notes: str = ""
    people: list[PersonForm] = field(default_factory=list)


class CompanyValidationError(UserError):
    """Errors found on save; ``report`` keys them by field ("name", "people[0].phone"...)."""

    def __init__(self, report: v.Report) -> None:
        errors = report.errors
        message = errors[0].message if len(errors) == 1 else (
            tr("La fiche contient {count} erreurs ; la première : {first}").format(
                count=len(errors), first=errors[0].message)
            if errors else tr("La fiche contient des erreurs."))
        super().__init__(message)
        self.report = report


def empty_company_form(db: Database) -> CompanyForm:
    """A new company: TPE, SARL, in the region of the laptop's advisor, with an owner row."""
    with db.sessions() as session:
        advisor_id = get_setting(session, ADVISOR_KEY)
        region = (session.scalar(select(Advisor.region_code).where(Advisor.id == advisor_id))
                  if advisor_id else None)
    return CompanyForm(region_code=region, people=[PersonForm(role=PersonRole.OWNER.value)])


def _live_company(session: Session, company_id: str) -> Company:
    company = session.get(Company, company_id)
    if company is None or company.deleted_at is not None:
        raise UserError(tr("Cette entreprise n'existe pas ou a été supprimée."))
    return company


_ROLE_ORDER = {PersonRole.OWNER: 0, PersonRole.PILOT: 1, PersonRole.EMPLOYEE: 2}


def load_company_form(db: Database, company_id: str) -> CompanyForm:
    with db.sessions() as session:
        c = _live_company(session, company_id)
        people = sorted((p for p in c.people if p.deleted_at is None),
                        key=lambda p: (_ROLE_ORDER.get(p.role, 9), p.last_name, p.first_name, p.id))
        return CompanyForm(
            id=c.id, name=c.name, legal_form=c.legal_form.value, segment=c.segment.value,
            sector_code=c.sector_code, region_code=c.region_code, city=c.city or "",
            address=c.address or "", ice=c.ice or "", phone=v.format_phone(c.phone),
            email=c.email or "", employees="" if c.employees is None else str(c.employees),
            turnover_band=c.turnover_band.value if c.turnover_band else None,
            created_on=c.created_on, notes=c.notes or "",
            people=[PersonForm(
                id=p.id, role=p.role.value, first_name=p.first_name, last_name=p.last_name,
                first_name_ar=p.first_name_ar or "", last_name_ar=p.last_name_ar or "",
                gender=p.gender, job_title=p.job_title or "", phone=v.format_phone(p.phone),
                email=p.email or "") for p in people],
        )


# -- validation ------------------------------------------------------------------------------
def _text(raw: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", raw or "").split())


def _check_person(form: PersonForm, index: int, report: v.Report) -> dict[str, Any]:
    prefix = f"people[{index}]."
    issues: list[v.Issue] = []
    values: dict[str, Any] = {}
    role = (form.role or "").strip()
    if not role:
        issues.append(v.Issue(prefix + "role", tr("Ce champ est obligatoire : {label}.").format(
            label=tr("Rôle"))))
    elif role not in {r.value for r in PersonRole}:
        issues.append(v.Issue(prefix + "role", tr("Rôle inconnu : « {role} ».").format(role=role)))
    values["role"] = role
    for name, label in (("first_name", tr("Prénom")), ("last_name", tr("Nom"))):
        value, found = v.check_required(getattr(form, name), field_name=prefix + name, label=label)
        values[name] = value
        issues.extend(found)
    for name in ("first_name_ar", "last_name_ar", "job_title"):
        values[name] = _text(getattr(form, name))
    gender = (form.gender or "").strip().upper() or None
    if gender not in (None, "F", "M"):
        issues.append(v.Issue(prefix + "gender", tr("Genre : « F » (femme) ou « M » (homme).")))
    values["gender"] = gender
    values["phone"], found = v.check_phone(form.phone, field_name=prefix + "phone")
    issues.extend(found)
    values["email"], found = v.check_email(form.email, field_name=prefix + "email")
    issues.extend(found)
    report.issues.extend(issues)
    return values


def _check_roles(people: list[tuple[int, dict[str, Any]]], report: v.Report) -> None:
    owners = [(i, p) for i, p in people if p["role"] == PersonRole.OWNER]
    for i, _ in owners[1:]:
        report.issues.append(v.Issue(
            f"people[{i}].role",
            tr("Une entreprise n'a qu'un(e) dirigeant(e) : {who} l'est déjà.").format(
                who=_who(owners[0][1]))))
    pilots = [i for i, p in people if p["role"] == PersonRole.PILOT]
    for i in pilots[MAX_PILOTS:]:
        report.issues.append(v.Issue(
            f"people[{i}].role",
            tr("Une entreprise a au plus {count} pilotes internes.").format(count=MAX_PILOTS)))


def _who(person: dict[str, Any]) -> str:
    name = f"{person['first_name']} {person['last_name']}".strip()
    return tr("« {name} »").format(name=name) if name else tr("une autre personne")


def _check_duplicates(session: Session, form: CompanyForm, report: v.Report) -> None:
    ice, name, phone = report.values.get("ice"), report.values.get("name"), report.values.get("phone")
    if ice and not report.for_field("ice"):
        for _, other, city in repo.same_ice(session, ice, exclude_id=form.id)[:1]:
            report.issues.append(v.Issue(
                "ice", tr("Cet ICE est déjà celui de « {company} »{city} : ouvrez sa fiche "
                          "plutôt que d'en créer une autre.").format(company=other, city=_in(city))))
    if name and phone and not report.for_field("phone"):
        for _, other, city in repo.same_name_and_phone(session, name, phone, exclude_id=form.id)[:1]:
            report.issues.append(v.Issue(
                "name", tr("« {company} »{city} existe déjà avec ce nom et ce numéro de "
                           "téléphone : ouvrez sa fiche plutôt que d'en créer une autre.").format(
                               company=other, city=_in(city))))


def _in(city: str | None) -> str:
    return f" ({city})" if city else ""


def _validate(session: Session, form: CompanyForm, today: dt.date) -> v.Report:
    known_regions = set(session.scalars(select(Region.code).where(Region.deleted_at.is_(None))))
    employees = form.employees if isinstance(form.employees, int) else (form.employees or None)
    report = validate_company(CompanyInput(
        name=form.name, legal_form=form.legal_form, segment=form.segment,
        region_code=form.region_code, sector_code=form.sector_code, city=form.city,
        ice=form.ice, phone=form.phone, email=form.email, employees=employees,
        turnover_band=form.turnover_band, created_on=form.created_on,
    ), today=today, known_regions=known_regions)
    sector = report.values.get("sector_code")
    if sector and session.get(Sector, sector) is None:
        report.issues.append(v.Issue("sector_code", tr("Secteur inconnu : « {code} ».").format(
            code=sector)))
    report.values["address"] = _text(form.address)
    report.values["notes"] = (form.notes or "").strip()
    kept = [(i, _check_person(p, i, report))
            for i, p in enumerate(form.people) if not p.remove and not p.is_blank()]
    _check_roles(kept, report)
    report.values["people"] = dict(kept)
    _check_duplicates(session, form, report)
    return report


def validate_company_form(db: Database, form: CompanyForm, *, today: dt.date | None = None) -> v.Report:
    """Every issue, field by field (people as "people[2].email"); writes nothing.

    ``report.values`` holds the normalised company values and, under "people", the
    normalised values of each kept person by index."""
    with db.sessions() as session:
        return _validate(session, form, today or dt.date.today())


# -- saving ----------------------------------------------------------------------------------
_COMPANY_FIELDS = ("name", "legal_form", "segment", "sector_code", "region_code", "city",
                   "address", "ice", "phone", "email", "employees", "turnover_band",
                   "created_on", "notes")
_PERSON_FIELDS = ("role", "first_name", "last_name", "first_name_ar", "last_name_ar", "gender",
                  "job_title", "phone", "email")
_ENUMS: dict[str, Any] = {"legal_form": LegalForm, "segment": Segment,
                          "turnover_band": TurnoverBand, "role": PersonRole}


def _assign(row: Company | Person, values: dict[str, Any], names: tuple[str, ...]) -> None:
    """Sets only what changed: the outbox then carries exactly the edited fields."""
    for name in names:
        value = values.get(name)
        if value is not None and name in _ENUMS:
            value = _ENUMS[name](value)
        if getattr(row, name) != value:
            setattr(row, name, value)


def save_company(db: Database, form: CompanyForm, *, today: dt.date | None = None) -> str:
    """Creates or updates the company and its people in one transaction (outbox included);
    removed people are soft-deleted. Raises ``CompanyValidationError`` on any error
    (warnings, such as an ICE whose check digits do not match, do not block)."""
    with db.unit_of_work() as session:
        report = _validate(session, form, today or dt.date.today())
        if not report.ok:
            raise CompanyValidationError(report)
        values = dict(report.values)
        values["city"] = values.get("city") or ""
        if form.id is None:
            advisor = get_setting(session, ADVISOR_KEY)
            company = Company()
            company.set_scope(region=values["region_code"], advisor=advisor)
            session.add(company)
        else:
            company = _live_company(session, form.id)
        _assign(company, values, _COMPANY_FIELDS)
        _save_people(session, company, form, values["people"])
        session.flush()
        return company.id


def _save_people(session: Session, company: Company, form: CompanyForm,
                 kept: dict[int, dict[str, Any]]) -> None:
    now = utcnow()
    for index, person_form in enumerate(form.people):
        person: Person | None = None
        if person_form.id is not None:
            person = session.get(Person, person_form.id)
            if person is None or person.company_id != company.id:
                raise UserError(tr("Une personne de la fiche n'appartient pas à cette "
                                   "entreprise ; rouvrez la fiche."))
        if person_form.remove or index not in kept:
            if person is not None and person.deleted_at is None:
                person.deleted_at = now
            continue
        if person is None:
            person = Person(company=company)
            person.set_scope(region=company.scope_region, advisor=company.scope_advisor,
                             group=company.scope_group)
            session.add(person)
        _assign(person, kept[index], _PERSON_FIELDS)


def delete_company(db: Database, company_id: str) -> None:
    """Soft delete (the tombstone syncs); its people, enrolments and history are kept."""
    with db.unit_of_work() as session:
        company = session.get(Company, company_id)
        if company is None:
            raise UserError(tr("Cette entreprise n'existe pas."))
        if company.deleted_at is None:
            company.deleted_at = utcnow()
