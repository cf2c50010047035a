"""Writing an accepted import plan: one transaction for the whole file (the sync outbox
records every company and person it creates or completes, like any other save).

A duplicate merged into a company fills that company's empty fields only: a value the
company already has is never overwritten, and each value of the file left aside that way
is reported. People join the company they were listed with; a contact already there
(same name, accents and case aside) is completed, not added twice."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enums import LegalForm, PersonRole, Segment, TurnoverBand
from advisor_app.i18n import tr
from advisor_app.importing import mapping as m
from advisor_app.services.companies import MAX_PILOTS
from advisor_app.services.database import ADVISOR_KEY, Database, get_setting
from advisor_app.services.errors import UserError
from advisor_app.services.import_companies import (
    CREATE,
    DECISIONS,
    MERGE,
    SKIP,
    WARNING,
    ImportIssue,
    ImportPlan,
    ImportRow,
)
from advisor_app.storage.repositories.company_search import optimize_index, sort_key

_ENUMS: dict[str, Any] = {"legal_form": LegalForm, "segment": Segment, "turnover_band": TurnoverBand,
                          "role": PersonRole}
_COMPANY_FIELDS = ("name", "legal_form", "segment", "sector_code", "region_code", "city", "address",
                   "ice", "phone", "email", "employees", "turnover_band", "created_on", "notes")
_PERSON_FIELDS = ("first_name", "last_name", "first_name_ar", "last_name_ar", "gender", "job_title",
                  "phone", "email")
_FIELD_OF = {"sector_code": "sector", "region_code": "region"}
OPTIMIZE_AFTER = 1000  # companies created: then the search index is merged


@dataclass
class ImportResult:
    created: int = 0
    merged: int = 0
    skipped: int = 0
    refused: int = 0
    people_added: int = 0
    people_completed: int = 0
    notes: list[ImportIssue] = field(default_factory=list)  # values kept aside, roles changed
    company_ids: dict[int, str] = field(default_factory=dict)  # row -> company written


def default_decision(row: ImportRow) -> str:
    return MERGE if row.duplicate is not None else CREATE


def _value(name: str, value: Any) -> Any:
    return _ENUMS[name](value) if value is not None and name in _ENUMS else value


def _empty(value: Any) -> bool:
    return value is None or value == ""


def apply_import(db: Database, plan: ImportPlan, decisions: Mapping[int, str] | None = None, *,
                 progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Writes the accepted rows of ``plan`` (refused rows never); ``decisions`` (row ->
    MERGE / CREATE / SKIP) applies to the duplicates, merged by default. All or nothing."""
    decisions = dict(decisions or {})
    bad = sorted(set(decisions.values()) - set(DECISIONS))
    if bad:
        raise ValueError(f"unknown decisions {bad}")
    result = ImportResult(refused=len(plan.refused))
    with db.unit_of_work() as session:
        advisor = get_setting(session, ADVISOR_KEY)
        written: dict[int, Company] = {}
        total = len(plan.rows)
        for done, row in enumerate(plan.rows, start=1):
            if progress is not None and done % 100 == 0:
                progress(done, total)
            if row.refused:
                continue
            decision = decisions.get(row.number, default_decision(row)) if row.duplicate else CREATE
            if decision == SKIP:
                result.skipped += 1
                continue
            target = None
            if decision == MERGE and row.duplicate is not None:
                if row.duplicate.company_id is not None:
                    target = session.get(Company, row.duplicate.company_id)
                    if target is None or target.deleted_at is not None:
                        raise UserError(tr(
                            "Ligne {row} : l'entreprise à compléter a été supprimée entre-temps ; "
                            "relancez l'analyse du fichier.").format(row=row.number))
                elif row.duplicate.row is not None:
                    target = written.get(row.duplicate.row)  # None: that row was skipped
            if target is None:
                company = Company()
                company.set_scope(region=row.company["region_code"], advisor=advisor)
                session.add(company)
                for name in _COMPANY_FIELDS:
                    value = row.company.get(name)
                    setattr(company, name, _value(name, "" if value is None and name in
                                                  ("city", "address", "notes") else value))
                result.created += 1
            else:
                company = target
                _fill(company, row, result)
                result.merged += 1
            written[row.number] = company
            if row.person is not None:
                person = _person(company, row, result)
                if person is not None:
                    session.add(person)
        session.flush()
        if result.created >= OPTIMIZE_AFTER:  # as after a demo load: short prefixes stay fast
            optimize_index(session)
        result.company_ids = {number: company.id for number, company in written.items()}
    return result


def _note(result: ImportResult, row: int, name: str, reason: str) -> None:
    label = tr(m.FIELD_LABELS.get(_FIELD_OF.get(name, name), name))
    result.notes.append(ImportIssue(row, label, reason, WARNING))


def _same_text(current: Any, incoming: Any) -> bool:
    """"boulangerie ATLAS" is "Boulangerie Atlas": not worth a note."""
    return isinstance(current, str) and isinstance(incoming, str) and sort_key(current) == sort_key(incoming)


def _shown(value: Any) -> str:
    return str(getattr(value, "value", value))


def _fill(company: Company, row: ImportRow, result: ImportResult) -> None:
    for name in _COMPANY_FIELDS:
        if name not in row.given:
            continue
        incoming = _value(name, row.company.get(name))
        current = getattr(company, name)
        if _empty(incoming) or current == incoming or _same_text(current, incoming):
            continue
        if _empty(current):
            setattr(company, name, incoming)
        else:
            _note(result, row.number, name, tr(
                "valeur du fichier « {new} » non reprise : la fiche garde « {old} ».").format(
                    new=_shown(incoming), old=_shown(current)))


def _person(company: Company, row: ImportRow, result: ImportResult) -> Person | None:
    """The new person to add; None when an existing one was completed instead."""
    assert row.person is not None
    values = row.person
    live = [p for p in company.people if p.deleted_at is None]
    key = sort_key(f"{values['first_name']} {values['last_name']}".strip())
    same = next((p for p in live if sort_key(p.full_name) == key), None)
    if same is not None:
        changed = False
        for name in _PERSON_FIELDS:
            incoming, current = values.get(name), getattr(same, name)
            if _empty(incoming) or current == incoming or _same_text(current, incoming):
                continue
            if _empty(current):
                setattr(same, name, incoming)
                changed = True
            else:
                _note(result, row.number, f"person_{name}", tr(
                    "valeur du fichier « {new} » non reprise : la fiche garde « {old} ».").format(
                        new=incoming, old=current))
        result.people_completed += changed
        return None
    role = PersonRole(values["role"])
    if role is PersonRole.OWNER and any(p.role == PersonRole.OWNER for p in live):
        role = PersonRole.EMPLOYEE
        _note(result, row.number, "person_role", tr("l'entreprise a déjà un(e) dirigeant(e) : "
                                                    "{name} est ajouté(e) comme salarié(e).").format(
                                                        name=f"{values['first_name']} {values['last_name']}"))
    elif role is PersonRole.PILOT and sum(p.role == PersonRole.PILOT for p in live) >= MAX_PILOTS:
        role = PersonRole.EMPLOYEE
        _note(result, row.number, "person_role", tr("l'entreprise a déjà {count} pilotes internes : "
                                                    "{name} est ajouté(e) comme salarié(e).").format(
                                                        count=MAX_PILOTS,
                                                        name=f"{values['first_name']} {values['last_name']}"))
    person = Person(company=company, role=role)
    person.set_scope(region=company.scope_region, advisor=company.scope_advisor, group=company.scope_group)
    for name in _PERSON_FIELDS:
        value = values.get(name)
        setattr(person, name, "" if value is None and name in ("first_name_ar", "last_name_ar", "job_title")
                else value)
    result.people_added += 1
    return person
