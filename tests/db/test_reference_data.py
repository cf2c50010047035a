"""The shipped reference files load completely and stay HQ's once HQ has sent them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from advisor_app.domain.questionnaires import Questionnaire, QuestionnaireItem
from advisor_app.domain.reference import Agency, ProgrammeTrack, Region, RegionAlias, Sector
from advisor_app.domain.regions import resolve_region
from advisor_app.services.database import Database, open_database
from advisor_app.services.errors import UserError
from advisor_app.services.reference_data import load_reference_data
from advisor_app.storage.engine import make_engine, sqlite_url
from advisor_app.storage.paths import install_root

OLD_REGIONS = {
    "Oued Ed-Dahab-Lagouira": "MA-12", "Laâyoune-Boujdour-Sakia El Hamra": "MA-11",
    "Guelmim-Es Semara": "MA-10", "Souss-Massa-Drâa": "MA-09", "Gharb-Chrarda-Béni Hssen": "MA-04",
    "Chaouia-Ouardigha": "MA-06", "Marrakech-Tensift-Al Haouz": "MA-07", "L'Oriental": "MA-02",
    "Grand Casablanca": "MA-06", "Rabat-Salé-Zemmour-Zaër": "MA-04", "Doukkala-Abda": "MA-07",
    "Tadla-Azilal": "MA-05", "Meknès-Tafilalet": "MA-03", "Fès-Boulemane": "MA-03",
    "Taza-Al Hoceïma-Taounate": "MA-01", "Tanger-Tétouan": "MA-01",
}


def test_twelve_regions_and_the_sixteen_old_names(db: Database) -> None:
    with db.sessions() as session:
        regions = session.scalars(select(Region).order_by(Region.position)).all()
        assert [r.code for r in regions] == [f"MA-{n:02d}" for n in range(1, 13)]
        assert regions[5].name_fr == "Casablanca-Settat"
        assert all(r.name_ar for r in regions)
        index = dict(session.execute(select(RegionAlias.key, RegionAlias.region_code)).all())
        assert session.scalar(select(func.count()).select_from(Agency)) >= 12
    for old_name, code in OLD_REGIONS.items():
        assert resolve_region(old_name, index) == code, old_name
    assert resolve_region("BENI MELLAL-KHENIFRA", index) == "MA-05"


def test_tracks_match_the_programme(db: Database) -> None:
    with db.sessions() as session:
        tracks = {t.code: t for t in session.scalars(select(ProgrammeTrack))}
    ciblee, approfondie = tracks["PERF-CIBLEE"], tracks["PERF-APPROFONDIE"]
    assert (ciblee.name_fr, ciblee.duration_months, ciblee.half_days) == ("Performance ciblée", 4, 8)
    assert (ciblee.problems_min, ciblee.problems_max) == (1, 1)
    assert (approfondie.duration_months, approfondie.half_days) == (12, 14)
    assert (approfondie.problems_min, approfondie.problems_max) == (2, 3)


def test_questionnaire_has_eight_axes_of_four_items_in_three_languages(db: Database) -> None:
    with db.sessions() as session:
        questionnaire = session.scalars(select(Questionnaire)).one()
        assert (questionnaire.code, questionnaire.version) == ("AUTODIAG", 1)
        assert [a.code for a in questionnaire.axes] == [
            "STRAT", "COMM", "OPS", "FIN", "RH", "QUAL", "DIGI", "FORM"]
        assert all(len(a.items) == 4 for a in questionnaire.axes)
        assert sorted(level["value"] for level in questionnaire.scale) == [-1, 0, 1, 2, 3, 4]
        items = session.scalars(select(QuestionnaireItem)).all()
        assert len(items) == 32
        assert all(i.label_fr and i.label_en and i.label_ar for i in items)
        assert session.scalar(select(func.count()).select_from(Sector)) >= 12


def test_reload_is_skipped_when_files_did_not_change(db: Database) -> None:
    assert load_reference_data(db) is False
    assert load_reference_data(db, force=True) is True
    with db.sessions() as session:  # forcing does not duplicate the questionnaire version
        assert session.scalar(select(func.count()).select_from(Questionnaire)) == 1


def test_rows_received_from_hq_are_not_overwritten_by_the_shipped_files(db: Database) -> None:
    with db.unit_of_work() as session:
        track = session.get(ProgrammeTrack, "PERF-CIBLEE")
        assert track is not None
        track.half_days, track.server_seq = 10, 77  # as pulled from HQ
        other = session.get(ProgrammeTrack, "PERF-APPROFONDIE")
        assert other is not None
        other.half_days = 99  # a local edit of a shipped default: the file wins again
    load_reference_data(db, force=True)
    with db.sessions() as session:
        assert session.get(ProgrammeTrack, "PERF-CIBLEE").half_days == 10  # type: ignore[union-attr]
        assert session.get(ProgrammeTrack, "PERF-APPROFONDIE").half_days == 14  # type: ignore[union-attr]


def test_two_laptops_agree_on_reference_ids(db: Database, tmp_path: Path) -> None:
    other = open_database(tmp_path / "other-laptop.sqlite")
    try:
        def ids(database: Database) -> list[tuple[str, ...]]:
            with database.sessions() as session:
                items = session.execute(select(QuestionnaireItem.id, QuestionnaireItem.code)
                                        .order_by(QuestionnaireItem.code)).all()
                agencies = session.execute(select(Agency.id, Agency.code)
                                           .order_by(Agency.code)).all()
                return [tuple(r) for r in (*items, *agencies)]

        assert ids(db) == ids(other)
    finally:
        other.close()


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (('duration_months = 4', 'duration_months = "quatre"'),
         "tracks.toml : track.0.duration_months"),
        (('code = "PERF-APPROFONDIE"', 'code = "PERF-CIBLEE"'),
         "le parcours « PERF-CIBLEE » apparaît deux fois"),
    ],
)
def test_a_badly_edited_file_is_named_and_nothing_is_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: tuple[str, str], fragment: str
) -> None:
    root = tmp_path / "install"
    shutil.copytree(install_root() / "resources", root / "resources")
    (root / "migrations").symlink_to(install_root() / "migrations")
    tracks = root / "resources" / "tracks.toml"
    tracks.write_text(tracks.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    monkeypatch.setenv("MOWAKABA_ROOT", str(root))
    with pytest.raises(UserError, match=fragment) as error:
        open_database(tmp_path / "laptop.sqlite")
    assert str(error.value).startswith("Données de référence invalides : tracks.toml")
    engine = make_engine(sqlite_url(tmp_path / "laptop.sqlite"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM programme_track")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM region")).scalar() == 0
    engine.dispose()
