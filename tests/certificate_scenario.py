"""A coaching group at the end of its track, for the certificate tests (db, qt, hq):
eight morning workshops, four companies whose participants meet the completion rules or
miss them in different ways.

* Atelier Amal: Khadija (Arabic name) and Youssef came to all 8; plan and final diagnostic
  validated -> both eligible.
* Boulangerie Nour: Salma came to 5 of 8; plan validated, no final diagnostic.
* Coopérative Tifawin: Hassan came to all 8; plan not validated; final diagnostic done.
* Dar Sanaa: nobody signed a sheet (its owner is listed, with "no session").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from advisor_app.domain.action_plans import KeyProblem
from advisor_app.domain.base import new_id, utcnow
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.diagnostics import Diagnostic
from advisor_app.domain.enums import (
    AttendanceStatus,
    DiagnosticKind,
    DiagnosticStatus,
    LegalForm,
    PersonRole,
    Segment,
    SessionKind,
)
from advisor_app.domain.questionnaires import Questionnaire
from advisor_app.services import attendance, sessions
from advisor_app.services.attendance import MarkInput
from advisor_app.services.database import Database, device_id, set_setting
from advisor_app.services.enrolments import enrol_company
from advisor_app.services.groups import GroupForm, add_member, save_group
from advisor_app.services.sessions import SessionForm
from advisor_app.sync import device_key
from advisor_app.sync import engine as sync_engine

START = dt.date(2026, 3, 2)
THEMES = ("Gérer sa trésorerie", "Fixer ses prix", "Suivre ses ventes", "Organiser l'atelier",
          "Gérer ses stocks", "Fidéliser ses clients", "Tableau de bord", "Bilan et suite")


@dataclass
class Member:
    name: str
    company_id: str
    enrolment_id: str
    people: dict[str, str] = field(default_factory=dict)  # first name -> person id


@dataclass
class Scenario:
    group_id: str
    members: dict[str, Member]

    def person(self, first_name: str) -> str:
        for member in self.members.values():
            if first_name in member.people:
                return member.people[first_name]
        raise KeyError(first_name)


def _company(db: Database, name: str, ice: str, people: list[tuple[str, str, str, str, str]]) -> Member:
    with db.unit_of_work() as session:
        company = Company(name=name, legal_form=LegalForm.SARL, segment=Segment.TPE, region_code="MA-06",
                          city="Settat", ice=ice)
        company.set_scope(region="MA-06", advisor=None)
        session.add(company)
        for n, (first, last, first_ar, last_ar, gender) in enumerate(people):
            person = Person(role=PersonRole.OWNER if n == 0 else PersonRole.PILOT, first_name=first,
                            last_name=last, first_name_ar=first_ar, last_name_ar=last_ar, gender=gender,
                            job_title="Gérante" if gender == "F" and n == 0 else "")
            person.set_scope(region="MA-06", advisor=None)
            company.people.append(person)
        session.flush()
        company_id, ids = company.id, {p.first_name: p.id for p in company.people}
    enrolment = enrol_company(db, company_id=company_id, track_code="PERF-CIBLEE",
                              enrolled_on=START - dt.timedelta(days=20))
    return Member(name, company_id, enrolment, ids)


def _plan_and_final(db: Database, enrolment_id: str, *, plan: bool, final: bool) -> None:
    with db.unit_of_work() as session:
        questionnaire = session.scalars(select(Questionnaire.id)).first()
        problem = KeyProblem(id=new_id(), enrolment_id=enrolment_id, axis_code="FIN",
                             title="Trésorerie tendue", validated_at=utcnow() if plan else None)
        problem.set_scope(region="MA-06", advisor=None)
        session.add(problem)
        if final:
            diagnostic = Diagnostic(id=new_id(), enrolment_id=enrolment_id, questionnaire_id=questionnaire,
                                    kind=DiagnosticKind.FINAL, status=DiagnosticStatus.VALIDATED,
                                    conducted_on=START + dt.timedelta(days=100), validated_at=utcnow())
            diagnostic.set_scope(region="MA-06", advisor=None)
            session.add(diagnostic)


def build_group(db: Database, *, final_diagnostics: bool = True) -> Scenario:
    """``final_diagnostics=False``: no diagnostic rows at all (the HQ tests, see there)."""
    group = save_group(db, GroupForm(id=None, name="Settat · Agro · G1", track_code="PERF-CIBLEE",
                                     sector_code="AGRO", region_code="MA-06", territory="Settat",
                                     starts_on=START))
    members = {
        "amal": _company(db, "Atelier Amal", "001525478000088", [
            ("Khadija", "Bennani", "خديجة", "بناني", "F"), ("Youssef", "Bennani", "يوسف", "بناني", "M")]),
        "nour": _company(db, "Boulangerie Nour", "", [("Salma", "Idrissi", "سلمى", "الإدريسي", "F")]),
        "tifawin": _company(db, "Coopérative Tifawin", "", [("Hassan", "Ait Lahcen", "", "", "M")]),
        "sanaa": _company(db, "Dar Sanaa", "", [("Nadia", "Tazi", "نادية", "التازي", "F")]),
    }
    for member in members.values():
        add_member(db, group_id=group, enrolment_id=member.enrolment_id, joined_on=START)
    _plan_and_final(db, members["amal"].enrolment_id, plan=True, final=final_diagnostics)
    _plan_and_final(db, members["nour"].enrolment_id, plan=True, final=False)
    _plan_and_final(db, members["tifawin"].enrolment_id, plan=False, final=final_diagnostics)
    for week, theme in enumerate(THEMES):
        day = START + dt.timedelta(weeks=week)
        session_id = sessions.save_session(db, SessionForm(
            id=None, kind=SessionKind.GROUP_WORKSHOP.value, group_id=group, held_on=day,
            starts_at=dt.time(9), ends_at=dt.time(12, 30), title=theme, place="CCIS Settat",
            facilitators="Samira Alaoui"))
        sheet = attendance.attendance_sheet(db, session_id)
        marks = []
        for p in sheet.participants:
            status = AttendanceStatus.PRESENT
            if p.person_id == members["nour"].people["Salma"] and week >= 5:
                status = AttendanceStatus.ABSENT
            if p.person_id == members["sanaa"].people["Nadia"]:
                continue
            marks.append(MarkInput(p.person_id, status.value))
        attendance.record_attendance(db, session_id, marks)
    return Scenario(group, members)


def enrol_for_signing(db: Database, *, hq_url: str = "https://siege.example.ma",
                      hq_device: str | None = None) -> str:
    """What ``sync_service.enroll`` leaves behind for certificates, without an HQ: the
    signing key kept and its public half, HQ's URL and device id in the settings. Returns
    the public key."""
    key = device_key.new_private_key()
    device_key.save_private_key(device_id(db), key)
    with db.unit_of_work() as session:
        set_setting(session, sync_engine.HQ_URL, hq_url)
        set_setting(session, sync_engine.HQ_DEVICE, hq_device or new_id())
        set_setting(session, device_key.PUBLIC_KEY_SETTING, device_key.public_text(key))
    return device_key.public_text(key)
