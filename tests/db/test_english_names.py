"""Services in English: reference names (regions, sectors, tracks) come from their name_en
column, labels and messages from the catalog; French stays the default."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import update

from advisor_app.domain.companies import Company
from advisor_app.domain.enums import LegalForm, Segment
from advisor_app.domain.reference import Region
from advisor_app.services import companies, enrolments, groups, reference_names
from advisor_app.services.company_detail import company_detail
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.services.reference_data import load_reference_data


def _company(db: Database) -> str:
    with db.unit_of_work() as session:
        company = Company(name="Menuiserie Atlas", legal_form=LegalForm.SARL, segment=Segment.TPE,
                          region_code="MA-05", sector_code="BOIS", city="Béni Mellal")
        session.add(company)
    return company.id


def test_list_page_and_choices_in_english(db: Database, english: None) -> None:
    company_id = _company(db)
    enrolments.enrol_company(db, company_id=company_id, track_code="PERF-CIBLEE",
                             enrolled_on=dt.date(2026, 9, 1))
    [row] = companies.search_companies(db, filter=companies.CompanyFilter())
    assert (row.region, row.sector, row.stage) == ("Beni Mellal-Khenifra", "Wood and furniture",
                                                   "Enrolled")
    choices = companies.filter_choices(db)
    assert dict(choices.regions)["MA-05"] == "Beni Mellal-Khenifra"
    assert [code for code, _ in choices.regions][:2] == ["MA-01", "MA-02"]  # official order kept
    names = [name for _, name in choices.sectors]
    assert names == sorted(names, key=str.lower)
    assert dict(choices.segments)["project_holder"] == "Project holder"
    assert choices.stages[0] == ("none", "Not enrolled")
    detail = company_detail(db, company_id)
    assert (detail.region, detail.sector, detail.enrolments[0].track_name) == (
        "Beni Mellal-Khenifra", "Wood and furniture", "Targeted performance")
    assert [t.name for t in enrolments.tracks(db)] == ["Targeted performance", "In-depth performance"]
    expected = "“Menuiserie Atlas” is already enrolled in the “Targeted performance” track (stage “Enrolled”)"
    with pytest.raises(UserError, match=re.escape(expected)):
        enrolments.enrol_company(db, company_id=company_id, track_code="PERF-APPROFONDIE",
                                 enrolled_on=dt.date(2026, 9, 2))


def test_groups_in_english(db: Database, english: None) -> None:
    form = groups.GroupForm(id=None, name="Béni Mellal · Bois", track_code="PERF-CIBLEE",
                            sector_code="BOIS", region_code="MA-05", starts_on=dt.date(2026, 10, 1))
    group_id = groups.save_group(db, form)
    [row] = groups.list_groups(db)
    assert (row.track_name, row.sector_name, row.region_name) == (
        "Targeted performance", "Wood and furniture", "Beni Mellal-Khenifra")
    assert row.size_warning == "No active company: a group must have 4 to 10 companies."
    with pytest.raises(groups.GroupValidationError) as caught:
        groups.save_group(db, groups.GroupForm(id=group_id, name="", track_code="PERF-CIBLEE",
                                               region_code="MA-05"))
    assert caught.value.issues == {"name": "Give the group a name.",
                                   "starts_on": "Give the group's start date."}


def test_names_are_cached_per_database_and_forgotten_on_reload(db: Database, english: None) -> None:
    _company(db)
    with db.unit_of_work() as session:
        session.execute(update(Region).where(Region.code == "MA-05").values(name_en="Tadla"))
    # Cached from an earlier call? Not yet: this is the first English lookup of this database.
    assert companies.search_companies(db, filter=companies.CompanyFilter())[0].region == "Tadla"
    with db.unit_of_work() as session:
        session.execute(update(Region).where(Region.code == "MA-05").values(name_en="Tadla-Azilal"))
    assert companies.search_companies(db, filter=companies.CompanyFilter())[0].region == "Tadla"
    reference_names.forget(db.engine)
    assert companies.search_companies(db, filter=companies.CompanyFilter())[0].region == "Tadla-Azilal"
    load_reference_data(db, force=True)  # the shipped file wins again (no HQ row) and is seen
    assert companies.search_companies(db, filter=companies.CompanyFilter())[0].region == (
        "Beni Mellal-Khenifra")


def test_french_by_default(db: Database) -> None:
    _company(db)
    [row] = companies.search_companies(db, filter=companies.CompanyFilter())
    assert (row.region, row.sector, row.stage) == ("Béni Mellal-Khénifra", "Bois et ameublement",
                                                   "Non inscrite")
