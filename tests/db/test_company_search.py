"""The companies list: full-text search, filters, SQL-side sort and paging, and the
``company_listing`` table its triggers keep in step with every write (revision 0003)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, update

from advisor_app.domain import models as m
from advisor_app.domain.base import utcnow
from advisor_app.domain.enums import Stage
from advisor_app.domain.validation import ice_with_check_digits
from advisor_app.services.companies import (
    NOT_ENROLLED,
    SORT_COLUMNS,
    CompanyFilter,
    CompanyForm,
    CompanyRow,
    PersonForm,
    count_companies,
    delete_company,
    filter_choices,
    optimize_search_index,
    save_company,
    search_companies,
)
from advisor_app.services.database import Database, open_database
from advisor_app.services.demo import generate_demo
from advisor_app.storage.repositories import companies as old_repo
from advisor_app.storage.repositories import company_search as search_repo
from advisor_app.storage.repositories.company_search import fts_query, sort_key

AS_OF = dt.date(2026, 6, 15)
FIXTURES = Path(__file__).with_name("fixtures")
ICE_BENI = ice_with_check_digits("0012345670000")
ICE_ATLAS = ice_with_check_digits("0029876540000")


def _company(db: Database, name: str, *, region: str = "MA-06", segment: str = "tpe",
             sector: str | None = "AGRO", city: str = "Settat", ice: str = "", phone: str = "",
             email: str = "", people: list[PersonForm] | None = None) -> str:
    return save_company(db, CompanyForm(
        name=name, legal_form="sarl", segment=segment, sector_code=sector, region_code=region,
        city=city, ice=ice, phone=phone, email=email,
        people=people if people is not None else [
            PersonForm(role="owner", first_name="Karim", last_name="Tazi")]))


def _names(db: Database, **criteria: Any) -> list[str]:
    rows = search_companies(db, filter=CompanyFilter(**criteria), today=AS_OF)
    assert count_companies(db, filter=CompanyFilter(**criteria)) == len(rows)
    return [r.name for r in rows]


def _enrol(db: Database, company_id: str, stage: Stage, *, group: str | None = None,
           enrolled_on: dt.date = dt.date(2026, 1, 5)) -> tuple[str, str | None]:
    """An enrolment (and a group membership) written through the ORM; (enrolment, group) ids."""
    with db.unit_of_work() as session:
        enrolment = m.Enrolment(company_id=company_id, track_code="PERF-CIBLEE", stage=stage,
                                stage_changed_at=utcnow(), enrolled_on=enrolled_on)
        session.add(enrolment)
        group_id = None
        if group is not None:
            existing = session.scalar(select(m.CoachingGroup).where(m.CoachingGroup.name == group))
            coaching_group = existing or m.CoachingGroup(
                name=group, track_code="PERF-CIBLEE", region_code="MA-06")
            session.add(coaching_group)
            session.flush()
            session.add(m.GroupMembership(group_id=coaching_group.id, enrolment_id=enrolment.id,
                                          joined_on=enrolled_on))
            group_id = coaching_group.id
        session.flush()
        return enrolment.id, group_id


@pytest.fixture
def sample(db: Database) -> dict[str, str]:
    ids = {
        "beni": _company(db, "Huilerie Béni Amir", region="MA-05", city="Fquih Ben Salah",
                         ice=ICE_BENI, phone="06 12 34 56 78", email="contact@beniamir.ma",
                         people=[PersonForm(role="owner", first_name="Fatima Zahra",
                                            last_name="Bennani", first_name_ar="فاطمة الزهراء",
                                            last_name_ar="بناني", gender="F"),
                                 PersonForm(role="pilot", first_name="Youssef",
                                            last_name="Alaoui", first_name_ar="يوسف",
                                            last_name_ar="العلوي")]),
        "atlas": _company(db, "Menuiserie Atlas", sector="BTP", ice=ICE_ATLAS,
                          phone="05 22 45 67 89", segment="pme"),
        "etoile": _company(db, "Boulangerie Étoile", city="Berrechid", sector="AGRO",
                           segment="auto_entrepreneur"),
        "zephyr": _company(db, "café zéphyr", region="MA-01", city="Tétouan", sector=None),
    }
    _enrol(db, ids["beni"], Stage.COACHING, group="Settat · Agro · G1")
    _enrol(db, ids["atlas"], Stage.COACHING, group="Settat · Agro · G1")
    _enrol(db, ids["etoile"], Stage.DIAGNOSED)
    return ids


# -- search ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "expected"), [
    ("beni", ["Huilerie Béni Amir"]),
    ("BÉNI am", ["Huilerie Béni Amir"]),
    ("hui ben", ["Huilerie Béni Amir"]),  # every word a prefix, in any column
    ("fquih", ["Huilerie Béni Amir"]),  # city
    ("etoile", ["Boulangerie Étoile"]),
    ("Zéphyr", ["café zéphyr"]),
    ("bennani", ["Huilerie Béni Amir"]),  # owner, Latin
    ("فاطمة", ["Huilerie Béni Amir"]),  # owner, Arabic
    ("فاطمه الزه", ["Huilerie Béni Amir"]),  # ta marbuta typed as ha, prefix of a second word
    ("العلوي", ["Huilerie Béni Amir"]),  # the pilot
    ("00123", ["Huilerie Béni Amir"]),  # ICE prefix
    ("001 234 567", ["Huilerie Béni Amir"]),  # ICE typed in groups
    ("0612", ["Huilerie Béni Amir"]),  # phone, national form
    ("06 12 34", ["Huilerie Béni Amir"]),
    ("+212 6 12", ["Huilerie Béni Amir"]),  # phone, international form
    ("00212612", ["Huilerie Béni Amir"]),
    ("612345678", ["Huilerie Béni Amir"]),
    ("0522", ["Menuiserie Atlas"]),
    ("beniamir", ["Huilerie Béni Amir"]),  # e-mail
    ("e", ["Boulangerie Étoile"]),  # one letter: still a prefix search, accents aside
    ("amir atlas", []),  # words are ANDed
    ("xyz", []),
])
def test_search_as_you_type(db: Database, sample: dict[str, str], typed: str, expected: list[str]) -> None:
    assert _names(db, text=typed) == expected


@pytest.mark.parametrize("typed", ['"', "AND", "OR beni", "NEAR(", "-beni", "beni*", "a:b", "^", "()", "   "])
def test_search_syntax_never_fails(db: Database, sample: dict[str, str], typed: str) -> None:
    search_companies(db, filter=CompanyFilter(text=typed))
    count_companies(db, filter=CompanyFilter(text=typed))


def test_fts_query() -> None:
    assert fts_query("Béni  Mellal-Khén") == '"Béni"* "Mellal"* "Khén"*'
    assert fts_query("06.12-34") == '"061234"*'
    assert fts_query("+212 6") == '"2126"*'
    assert fts_query("00 212 6") == '"002126"* OR "2126"*'
    assert fts_query("مُحَمَّد أحمد") == '"محمد"* "احمد"*'
    assert fts_query(" - ") is None


# -- filters --------------------------------------------------------------------------------
def test_each_filter_and_combined(db: Database, sample: dict[str, str]) -> None:
    group_id = search_companies(db, filter=CompanyFilter(text="atlas"))[0].group_id
    assert group_id is not None
    everything = ["Boulangerie Étoile", "café zéphyr", "Huilerie Béni Amir", "Menuiserie Atlas"]
    assert _names(db) == everything  # accents and case aside: Étoile before café
    assert _names(db, region_code="MA-06") == ["Boulangerie Étoile", "Menuiserie Atlas"]
    assert _names(db, segment="pme") == ["Menuiserie Atlas"]
    assert _names(db, sector_code="AGRO") == ["Boulangerie Étoile", "Huilerie Béni Amir"]
    assert _names(db, stage="coaching") == ["Huilerie Béni Amir", "Menuiserie Atlas"]
    assert _names(db, stage="diagnosed") == ["Boulangerie Étoile"]
    assert _names(db, stage=NOT_ENROLLED) == ["café zéphyr"]
    assert _names(db, group_id=group_id) == ["Huilerie Béni Amir", "Menuiserie Atlas"]
    assert _names(db, group_id=group_id, region_code="MA-05") == ["Huilerie Béni Amir"]
    assert _names(db, group_id=group_id, text="atl", sector_code="BTP", segment="pme",
                  stage="coaching", region_code="MA-06") == ["Menuiserie Atlas"]
    assert _names(db, text="settat", stage="coaching") == ["Menuiserie Atlas"]
    assert _names(db, region_code="MA-05", segment="pme") == []


def test_rows_and_filter_choices(db: Database, sample: dict[str, str]) -> None:
    row = search_companies(db, filter=CompanyFilter(text="beni"))[0]
    assert row == CompanyRow(
        id=sample["beni"], name="Huilerie Béni Amir", city="Fquih Ben Salah",
        region="Béni Mellal-Khénifra", sector="Agroalimentaire", stage="En accompagnement",
        stage_code="coaching", group="Settat · Agro · G1", overdue_actions=0, group_id=row.group_id)
    choices = filter_choices(db)
    assert len(choices.regions) == 12 and choices.regions[0][0] == "MA-01"
    assert ("tpe", "TPE") in choices.segments
    assert choices.stages[0] == (NOT_ENROLLED, "Non inscrite") and len(choices.stages) == 8
    assert [name for _, name in choices.groups] == ["Settat · Agro · G1"]
    sector_names = [name for _, name in choices.sectors]
    assert sector_names == sorted(sector_names, key=sort_key)


# -- sort and paging ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = open_database(tmp_path_factory.mktemp("list") / "demo.sqlite")
    generate_demo(db, companies=60, seed=5, as_of=AS_OF)
    yield db
    db.close()


STAGE_ORDER = [None, "registered", "diagnosed", "in_group", "plan_validated", "coaching",
               "completed", "dropped"]


def _expected_key(row: CompanyRow, column: str) -> tuple[Any, ...]:
    first: Any = {"name": "", "city": sort_key(row.city), "region": sort_key(row.region),
                  "sector": sort_key(row.sector), "stage": STAGE_ORDER.index(row.stage_code),
                  "group": sort_key(row.group)}[column]
    return (first, sort_key(row.name), row.id)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", SORT_COLUMNS)
def test_sort_by_every_column_with_stable_paging(demo_db: Database, column: str, descending: bool) -> None:
    everything = search_companies(demo_db, filter=CompanyFilter(), sort=column,
                                  descending=descending, limit=1000, today=AS_OF)
    assert len(everything) == 60
    assert [r.id for r in everything] == [r.id for r in sorted(
        everything, key=lambda r: _expected_key(r, column), reverse=descending)]
    pages: list[CompanyRow] = []
    while page := search_companies(demo_db, filter=CompanyFilter(), sort=column,
                                   descending=descending, offset=len(pages), limit=7, today=AS_OF):
        pages.extend(page)
    assert pages == everything


def test_sort_with_filter_and_search(demo_db: Database) -> None:
    rows = search_companies(demo_db, filter=CompanyFilter(stage="coaching"), sort="city",
                            descending=True, limit=1000, today=AS_OF)
    assert rows and {r.stage_code for r in rows} == {"coaching"}
    assert rows == sorted(rows, key=lambda r: _expected_key(r, "city"), reverse=True)
    word = rows[0].name.split()[0]
    hits = search_companies(demo_db, filter=CompanyFilter(text=word), sort="group", limit=1000)
    assert rows[0] in hits
    assert hits == sorted(hits, key=lambda r: _expected_key(r, "group"))
    assert len(hits) == count_companies(demo_db, filter=CompanyFilter(text=word))


def test_listing_agrees_with_the_correlated_queries(demo_db: Database) -> None:
    """The trigger-kept table says what the former per-row subqueries computed."""
    with demo_db.sessions() as session:
        old = {r[0]: r[1:] for r in old_repo.company_page(session, offset=0, limit=1000)}
    new = {r.id: (r.name, r.city, r.region, r.sector, r.stage_code, r.group or None)
           for r in search_companies(demo_db, filter=CompanyFilter(), limit=1000, today=AS_OF)}
    assert new == old
    assert {s for *_, s, _ in old.values()} >= {"coaching", "completed", "dropped", "registered"}


def test_sort_keys_match_the_python_folding(db: Database) -> None:
    names = ["Épicerie Œuvre", "ÂGE D'OR", "Ça Île", "naïve Ÿ", "Zürich Ñandú", "Ærø"]
    for name in names:
        _company(db, name)
    with db.sessions() as session:
        stored = dict(session.execute(select(m.CompanyListing.name, m.CompanyListing.name_key)).all())
    assert stored == {name: sort_key(name) for name in names}
    assert sort_key("Épicerie Œuvre") == "epicerie oeuvre"


# -- the listing follows every write ------------------------------------------------------
def test_listing_follows_edits_removals_and_renames(db: Database, sample: dict[str, str]) -> None:
    beni = sample["beni"]
    enrolment_id = _enrol(db, beni, Stage.REGISTERED, enrolled_on=dt.date(2026, 6, 1))[0]
    assert search_companies(db, filter=CompanyFilter(text="beni"))[0].stage_code == "registered"
    assert search_companies(db, filter=CompanyFilter(text="beni"))[0].group == ""  # new enrolment
    with db.unit_of_work() as session:
        enrolment = session.get(m.Enrolment, enrolment_id)
        assert enrolment is not None
        enrolment.deleted_at = utcnow()  # back to the coaching enrolment and its group
    row = search_companies(db, filter=CompanyFilter(text="beni"))[0]
    assert (row.stage_code, row.group) == ("coaching", "Settat · Agro · G1")
    with db.unit_of_work() as session:
        group = session.get(m.CoachingGroup, row.group_id)
        assert group is not None
        group.name = "Settat · Huiles · G1"
        atlas = session.scalars(select(m.GroupMembership).join(m.Enrolment).where(
            m.Enrolment.company_id == sample["atlas"])).one()
        atlas.left_on = dt.date(2026, 6, 1)
    with db.engine.begin() as conn:  # reference data pulled from HQ
        conn.execute(update(m.Region).where(m.Region.code == "MA-05").values(name_fr="Béni Mellal"))
    row = search_companies(db, filter=CompanyFilter(text="beni"))[0]
    assert (row.group, row.region) == ("Settat · Huiles · G1", "Béni Mellal")
    assert _names(db, group_id=row.group_id) == ["Huilerie Béni Amir"]
    with db.unit_of_work() as session:
        person = session.scalar(select(m.Person).where(m.Person.last_name == "Alaoui"))
        assert person is not None
        person.deleted_at = utcnow()
        company = session.get(m.Company, beni)
        assert company is not None
        company.name = "Huilerie Zitoun"
    assert _names(db, text="alaoui") == [] and _names(db, text="béni am") == []
    assert _names(db, text="zitoun bennani") == ["Huilerie Zitoun"]
    delete_company(db, beni)
    assert _names(db, text="zitoun") == [] and count_companies(db, filter=CompanyFilter()) == 3
    with db.engine.begin() as conn:  # restored (e.g. by a sync): back with stage and group
        conn.execute(update(m.Company).where(m.Company.id == beni).values(deleted_at=None))
    row = search_companies(db, filter=CompanyFilter(text="zitoun"))[0]
    assert (row.stage_code, row.group) == ("coaching", "Settat · Huiles · G1")


def test_raw_sql_writes_are_followed_too(db: Database) -> None:
    """Bulk inserts (demo data, a sync pull) bypass the ORM, not the triggers."""
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO company (id, name, legal_form, segment, region_code, city, address, notes, "
            "row_version, updated_at) VALUES ('c1', 'Tissage Ouarzazate', 'sarl', 'tpe', 'MA-06', "
            "'Settat', '', '', 0, '2026-01-01 00:00:00')"))
        conn.execute(text(
            "INSERT INTO person (id, company_id, role, first_name, last_name, first_name_ar, "
            "last_name_ar, job_title, row_version, updated_at) VALUES ('p1', 'c1', 'owner', 'Hind', "
            "'Berrada', 'هِنْد', 'برادة', '', 0, '2026-01-01 00:00:00')"))
    assert _names(db, text="هند") == ["Tissage Ouarzazate"]  # short vowels typed or not
    assert _names(db, text="berr ouarz") == ["Tissage Ouarzazate"]
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM person WHERE id = 'p1'"))
        conn.execute(text("DELETE FROM company WHERE id = 'c1'"))
    assert _names(db) == []
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM company_fts_listing")).scalar() == 0


def test_a_database_of_revision_0001_gets_its_listing(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "schema_0001.sqlite", path)
    db = open_database(path)
    try:
        assert _names(db, text="beni") == ["Huilerie Béni Amir"]
        assert _names(db, text="فاطمة") == ["Huilerie Béni Amir"]
    finally:
        db.close()


def test_optimizing_the_index_changes_no_result(db: Database, sample: dict[str, str]) -> None:
    before = {word: _names(db, text=word) for word in ("b", "beni", "فاطمة", "0612", "settat")}
    optimize_search_index(db)
    assert {word: _names(db, text=word) for word in before} == before


@pytest.mark.parametrize("descending", [False, True])
def test_every_search_strategy_gives_the_same_page(demo_db: Database, monkeypatch: pytest.MonkeyPatch,
                                                   descending: bool) -> None:
    """Sparse words read every match and sort them (IN); others walk the name index and
    check each row in a set of the matches (SET) or probe the full-text index row by row
    (WALK). Same rows, same order, whichever is chosen."""
    words = ["a", "co", "el", "b", "ع", "06", "zz"]
    chosen = search_repo._text_mode

    def run(mode: str) -> dict[str, list[str]]:
        def forced(session: Any, params: dict[str, Any], *args: Any) -> str | None:
            return mode if chosen(session, params, *args) is not None else None

        monkeypatch.setattr(search_repo, "_text_mode", forced)
        return {w: [r.id for r in search_companies(demo_db, filter=CompanyFilter(text=w), limit=9,
                                                   offset=2, descending=descending, today=AS_OF)]
                for w in words}

    read_all, in_set, walked = run(search_repo.IN), run(search_repo.SET), run(search_repo.WALK)
    assert in_set == read_all
    assert walked == read_all
    assert sum(map(len, walked.values())) > 20


def test_the_cheapest_strategy_is_chosen_from_the_number_of_matches(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_db.sessions() as session:
        def mode(word: str, rows: int = 50) -> str | None:
            params = search_repo._params(search_repo.Criteria(text=word))
            return search_repo._text_mode(session, params, frozenset(), "name", rows)

        total = search_repo.count(session, search_repo.Criteria())
        counts = {w: search_repo.count(session, search_repo.Criteria(text=w)) for w in ("a", "zz")}
        assert counts["a"] > total / 3 and mode("a") == search_repo.SET
        assert counts["zz"] < 5 and mode("zz") == search_repo.IN
        assert mode("a", rows=10**9) == search_repo.IN  # a whole list: reading every match wins
        monkeypatch.setattr(search_repo, "PROBE_STEP", 0.01)  # probes nearly free: walk
        assert mode("a") == search_repo.WALK
