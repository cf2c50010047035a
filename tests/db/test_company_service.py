"""The company form (validation, save in one transaction with its outbox rows, soft
deletions) and a company's page on demo data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from advisor_app.domain import models as m
from advisor_app.domain.enums import LegalForm, OutboxOp, PersonRole
from advisor_app.domain.validation import Severity, format_phone, ice_with_check_digits
from advisor_app.services import companies as svc
from advisor_app.services.companies import CompanyFilter, CompanyForm, CompanyValidationError, PersonForm
from advisor_app.services.company_detail import company_detail
from advisor_app.services.database import ADVISOR_KEY, Database, open_database, set_setting
from advisor_app.services.demo import generate_demo
from advisor_app.services.errors import UserError

AS_OF = dt.date(2026, 6, 15)
ICE = ice_with_check_digits("0015432100000")


def _form(**extra: Any) -> CompanyForm:
    values: dict[str, Any] = {
        "name": "  Menuiserie   Atlas ", "legal_form": "sarl", "segment": "tpe", "sector_code": "BTP",
        "region_code": "MA-06", "city": "Settat", "address": "12, rue Al Qods", "ice": ICE,
        "phone": "05 22 45 67 89", "email": "Contact@Atlas.ma", "employees": "7",
        "turnover_band": "lt_500k", "created_on": dt.date(2015, 3, 2), "notes": "Atelier bois",
        "people": [
            PersonForm(role="owner", first_name="Khadija", last_name="Bennani",
                       first_name_ar="خديجة", last_name_ar="بناني", gender="F",
                       job_title="Gérante", phone="06 61 23 45 67", email="k.bennani@atlas.ma"),
            PersonForm(role="pilot", first_name="Omar", last_name="Tazi", gender="m"),
        ],
    }
    values.update(extra)
    return CompanyForm(**values)


def _outbox(db: Database) -> list[m.SyncOutbox]:
    with db.sessions() as session:
        return list(session.scalars(select(m.SyncOutbox).order_by(m.SyncOutbox.seq)))


def _messages(report: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for issue in report.errors:
        found.setdefault(issue.field, []).append(issue.message)
    return found


# -- save -----------------------------------------------------------------------------------
def test_new_company_with_two_people_in_one_transaction(db: Database) -> None:
    company_id = svc.save_company(db, _form(), today=AS_OF)
    with db.sessions() as session:
        company = session.get(m.Company, company_id)
        assert company is not None
        assert (company.name, company.legal_form, company.ice, company.phone, company.email) == (
            "Menuiserie Atlas", LegalForm.SARL, ICE, "+212522456789", "Contact@atlas.ma")
        assert (company.employees, company.city, company.notes) == (7, "Settat", "Atelier bois")
        assert company.scope_region == "MA-06" and company.scope_advisor is None
        people = sorted(company.people, key=lambda p: p.role)
        assert [(p.role, p.full_name, p.full_name_ar, p.gender, p.phone) for p in people] == [
            (PersonRole.OWNER, "Khadija Bennani", "خديجة بناني", "F", "+212661234567"),
            (PersonRole.PILOT, "Omar Tazi", "", "M", None)]
        assert all(p.scope_region == "MA-06" for p in people)
    entries = _outbox(db)
    assert sorted((e.table_name, e.op) for e in entries) == [
        ("company", OutboxOp.INSERT), ("person", OutboxOp.INSERT), ("person", OutboxOp.INSERT)]
    assert len({e.created_at for e in entries}) >= 1
    assert {e.row_id for e in entries} == {company_id, *(p.id for p in people)}


def test_a_failure_mid_save_leaves_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*_: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(svc, "_save_people", crash)
    with pytest.raises(RuntimeError):
        svc.save_company(db, _form(), today=AS_OF)
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(m.Company)) == 0
    assert _outbox(db) == []


def test_update_records_only_changed_fields(db: Database) -> None:
    company_id = svc.save_company(db, _form(), today=AS_OF)
    form = svc.load_company_form(db, company_id)
    assert form.phone == format_phone("+212522456789") and form.people[0].role == "owner"
    before = len(_outbox(db))
    assert svc.save_company(db, form, today=AS_OF) == company_id
    assert len(_outbox(db)) == before  # nothing changed, nothing to send
    form.city = "Berrechid"
    form.employees = "8"
    form.people[1].phone = "0700112233"
    svc.save_company(db, form, today=AS_OF)
    changes = {(e.table_name, e.op): e.changed for e in _outbox(db)[before:]}
    assert changes == {
        ("company", OutboxOp.UPDATE): {"city": "Berrechid", "employees": 8},
        ("person", OutboxOp.UPDATE): {"phone": "+212700112233"},
    }


def test_removed_person_is_soft_deleted(db: Database) -> None:
    company_id = svc.save_company(db, _form(), today=AS_OF)
    form = svc.load_company_form(db, company_id)
    pilot = form.people[1]
    pilot.remove = True
    form.people.append(PersonForm())  # a blank row the advisor left: ignored
    svc.save_company(db, form, today=AS_OF)
    with db.sessions() as session:
        row = session.get(m.Person, pilot.id)
        assert row is not None and row.deleted_at is not None
        assert session.scalar(select(func.count()).select_from(m.Person)) == 2
    assert _outbox(db)[-1].op is OutboxOp.DELETE and _outbox(db)[-1].row_id == pilot.id
    assert [p.first_name for p in svc.load_company_form(db, company_id).people] == ["Khadija"]
    assert svc.count_companies(db, filter=CompanyFilter(text="tazi")) == 0
    assert svc.count_companies(db, filter=CompanyFilter(text="bennani")) == 1


def test_delete_company(db: Database) -> None:
    company_id = svc.save_company(db, _form(), today=AS_OF)
    svc.delete_company(db, company_id)
    svc.delete_company(db, company_id)  # twice: nothing more
    assert svc.count_companies(db, filter=CompanyFilter()) == 0
    assert [e.op for e in _outbox(db) if e.table_name == "company"] == [OutboxOp.INSERT, OutboxOp.DELETE]
    with pytest.raises(UserError, match="supprimée"):
        svc.load_company_form(db, company_id)
    with pytest.raises(UserError, match="n'existe pas"):
        svc.delete_company(db, "nope")
    # its ICE is free again
    assert svc.save_company(db, _form(), today=AS_OF) != company_id


def test_empty_form_defaults_to_the_advisors_region(db: Database) -> None:
    assert svc.empty_company_form(db).region_code is None
    with db.unit_of_work() as session:
        session.add(m.Advisor(id="adv-1", name="Nadia Alami", email="n.alami@mowakaba.ma",
                              region_code="MA-03"))
        set_setting(session, ADVISOR_KEY, "adv-1")
    form = svc.empty_company_form(db)
    assert (form.segment, form.legal_form, form.region_code) == ("tpe", "sarl", "MA-03")
    assert [p.role for p in form.people] == ["owner"]
    form.name = "Tissage Fès"
    company_id = svc.save_company(db, form, today=AS_OF)  # the untouched owner row is ignored
    with db.sessions() as session:
        company = session.get(m.Company, company_id)
        assert company is not None and company.scope_advisor == "adv-1" and company.people == []


# -- validation -----------------------------------------------------------------------------
@pytest.mark.parametrize(("change", "field", "message"), [
    ({"name": "  "}, "name", "Ce champ est obligatoire : Raison sociale."),
    ({"legal_form": ""}, "legal_form", "Ce champ est obligatoire : Forme juridique."),
    ({"segment": "startup"}, "segment", "Segment : valeur inconnue « startup »."),
    ({"region_code": None}, "region_code", "Ce champ est obligatoire : Région."),
    ({"region_code": "MA-99"}, "region_code", "Région inconnue : « MA-99 »."),
    ({"sector_code": "SPACE"}, "sector_code", "Secteur inconnu : « SPACE »."),
    ({"ice": "12345"}, "ice", "L'ICE doit comporter 15 chiffres (5 saisis)."),
    ({"ice": "00154321000ABC"}, "ice", "L'ICE ne doit contenir que des chiffres."),
    ({"phone": "12"}, "phone", "Numéro de téléphone invalide : « 12 »."),
    ({"email": "contact@"}, "email", "Adresse e-mail invalide : « contact@ »"),
    ({"employees": "sept"}, "employees", "Effectif : un nombre entier est attendu."),
    ({"created_on": dt.date(2027, 1, 1)}, "created_on", "Date de création : la date ne peut pas"),
])
def test_company_field_errors(db: Database, change: dict[str, Any], field: str, message: str) -> None:
    form = _form(**change)
    report = svc.validate_company_form(db, form, today=AS_OF)
    assert list(_messages(report)) == [field]
    assert _messages(report)[field][0].startswith(message)
    with pytest.raises(CompanyValidationError) as caught:
        svc.save_company(db, form, today=AS_OF)
    assert str(caught.value).startswith(message)
    assert caught.value.report.for_field(field)
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(m.Company)) == 0
    assert _outbox(db) == []


def test_people_errors_are_keyed_by_row(db: Database) -> None:
    people = [
        PersonForm(role="owner", first_name="Khadija", last_name="Bennani"),
        PersonForm(role="owner", first_name="", last_name="Tazi", phone="123", email="omar@"),
        PersonForm(role="pilot", first_name="Sara", last_name="Idrissi"),
        PersonForm(role="pilot", first_name="Ali", last_name="Fassi", gender="X"),
        PersonForm(role="pilot", first_name="Hamza", last_name="Kettani"),
        PersonForm(role=None, first_name="Laila", last_name="Chraibi"),
        PersonForm(role="owner", first_name="Removed", last_name="Owner", remove=True),
    ]
    report = svc.validate_company_form(db, _form(people=people), today=AS_OF)
    assert _messages(report) == {
        "people[1].first_name": ["Ce champ est obligatoire : Prénom."],
        "people[1].phone": ["Numéro de téléphone invalide : « 123 ». "
                            "Exemples : 06 12 34 56 78 ou +212 5 22 12 34 56."],
        "people[1].email": ["Adresse e-mail invalide : « omar@ » (ex. nom@domaine.ma)."],
        "people[1].role": ["Une entreprise n'a qu'un(e) dirigeant(e) : « Khadija Bennani » l'est déjà."],
        "people[3].gender": ["Genre : « F » (femme) ou « M » (homme)."],
        "people[4].role": ["Une entreprise a au plus 2 pilotes internes."],
        "people[5].role": ["Ce champ est obligatoire : Rôle."],
    }


def test_warnings_do_not_block(db: Database) -> None:
    bad_check_digits = ICE[:-2] + ("00" if ICE[-2:] != "00" else "01")
    form = _form(ice=bad_check_digits)
    report = svc.validate_company_form(db, form, today=AS_OF)
    assert report.ok and [i.severity for i in report.for_field("ice")] == [Severity.WARNING]
    svc.save_company(db, form, today=AS_OF)


def test_duplicates_are_refused_with_the_other_companys_name(db: Database) -> None:
    first = svc.save_company(db, _form(), today=AS_OF)
    with pytest.raises(CompanyValidationError) as caught:
        svc.save_company(db, _form(name="Atlas Bois", phone=""), today=AS_OF)
    assert _messages(caught.value.report) == {"ice": [
        "Cet ICE est déjà celui de « Menuiserie Atlas » (Settat) : ouvrez sa fiche plutôt que "
        "d'en créer une autre."]}
    with pytest.raises(CompanyValidationError) as caught:  # same name, accents and case aside
        svc.save_company(db, _form(name="MENUISERIE ATLAS", ice="", phone="0522456789"), today=AS_OF)
    assert list(_messages(caught.value.report)) == ["name"]
    assert "« Menuiserie Atlas » (Settat) existe déjà" in str(caught.value)
    # the same name with another phone is another company; editing the company itself is fine
    svc.save_company(db, _form(ice="", phone="0522000000"), today=AS_OF)
    form = svc.load_company_form(db, first)
    form.notes = "Revu"
    assert svc.save_company(db, form, today=AS_OF) == first


# -- the company's page ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = open_database(tmp_path_factory.mktemp("detail") / "demo.sqlite")
    generate_demo(db, companies=20, seed=3, as_of=AS_OF)
    yield db
    db.close()


def test_company_detail_on_demo_data(demo: Database) -> None:
    rows = svc.search_companies(demo, filter=CompanyFilter(), limit=100, today=AS_OF)
    assert len(rows) == 20
    seen_overdue = seen_sessions = 0
    for row in rows:
        detail = company_detail(demo, row.id, today=AS_OF)
        assert (detail.name, detail.city, detail.region, detail.sector) == (
            row.name, row.city, row.region, row.sector)
        assert detail.people and detail.people[0].role_label == "Dirigeant(e)"
        assert all(p.full_name_ar for p in detail.people)
        enrolment = detail.enrolments[0]
        assert enrolment.stage_label == row.stage
        assert enrolment.transitions[0].from_label == ""
        assert enrolment.transitions[-1].to_label == row.stage
        assert [t.at for t in enrolment.transitions] == sorted(t.at for t in enrolment.transitions)
        assert row.group == next((g.name for g in detail.groups if g.left_on is None), "")
        # totals agree with the sessions shown
        attended = [s for s in detail.sessions if s.attended]
        assert detail.totals.sessions_attended == len(attended)
        assert detail.totals.half_days_used == pytest.approx(sum(s.half_days for s in attended))
        assert detail.totals.half_days_used == pytest.approx(sum(e.half_days_used for e in detail.enrolments))
        marks = [a for s in detail.sessions for a in s.attendance]
        if marks:
            present = sum(a.status in ("present", "late") for a in marks)
            assert detail.totals.attendance_rate == pytest.approx(present / len(marks))
            assert {a.status_label for a in marks} <= {"Présent(e)", "Absent(e)", "Excusé(e)", "En retard"}
        assert [s.held_on for s in detail.sessions] == sorted(s.held_on for s in detail.sessions)
        assert all(s.held_on <= AS_OF for s in detail.sessions)
        # overdue flags, and the list counts the same actions
        running = enrolment.stage not in ("completed", "dropped")
        for action in (a for kp in detail.key_problems for a in kp.actions):
            expected = (running and action.due_on is not None and action.due_on < AS_OF
                        and action.status not in ("done", "dropped"))
            assert action.overdue == expected, action
        assert detail.totals.overdue_actions == row.overdue_actions
        seen_overdue += detail.totals.overdue_actions
        seen_sessions += len(detail.sessions)
        for diagnostic in detail.diagnostics:
            assert diagnostic.score_pct is not None and 0 <= diagnostic.score_pct <= 100
            assert diagnostic.answered == 32 or diagnostic.answered < 32  # N/A left out
    assert seen_overdue > 0 and seen_sessions > 0


def test_diagnostic_score_by_hand(demo: Database) -> None:
    with demo.sessions() as session:
        diagnostic = session.scalars(select(m.Diagnostic).order_by(m.Diagnostic.id)).first()
        assert diagnostic is not None
        enrolment = session.get(m.Enrolment, diagnostic.enrolment_id)
        assert enrolment is not None
        scores = [a.advisor_score if a.advisor_score is not None else a.entrepreneur_score
                  for a in diagnostic.answers]
        counted = [s for s in scores if s is not None and s >= 0]
        company_id, diagnostic_id = enrolment.company_id, diagnostic.id
    found = next(d for d in company_detail(demo, company_id, today=AS_OF).diagnostics
                 if d.id == diagnostic_id)
    assert found.answered == len(counted)
    assert found.score_pct == pytest.approx(round(sum(counted) / len(counted) / 4 * 100, 1))
    assert found.kind_label == "Diagnostic initial (T0)"
    assert found.status_label == "Validé par le conseiller"


def test_company_detail_of_a_new_or_missing_company(db: Database) -> None:
    company_id = svc.save_company(db, _form(), today=AS_OF)
    detail = company_detail(db, company_id, today=AS_OF)
    assert (detail.legal_form, detail.segment, detail.phone, detail.turnover) == (
        "SARL", "TPE", format_phone("+212522456789"), "Moins de 500 000 MAD")
    assert (detail.sector, detail.region) == ("Bâtiment et travaux publics", "Casablanca-Settat")
    assert detail.enrolments == () and detail.sessions == () and detail.key_problems == ()
    assert detail.totals.attendance_rate is None and detail.totals.half_days_used == 0
    assert [p.gender for p in detail.people] == ["Femme", "Homme"]
    with pytest.raises(UserError):
        company_detail(db, "missing")
