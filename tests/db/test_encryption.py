"""Encryption at rest: a database encrypted with the advisor's passphrase (SQLCipher) keeps
no readable personal data on disk, refuses a wrong passphrase, and works in full: search
(FTS5 triggers), saving companies, migrations from an old schema, the demo, decrypting."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from advisor_app.domain.companies import Company
from advisor_app.services import database, protection
from advisor_app.services.companies import (
    CompanyFilter,
    CompanyForm,
    PersonForm,
    save_company,
    search_companies,
)
from advisor_app.services.database import (
    PassphraseRequired,
    WrongPassphrase,
    is_encrypted,
    open_database,
    open_database_readonly,
)
from advisor_app.services.errors import UserError
from advisor_app.storage import encryption, migrate

PASSPHRASE = "Argane d'Agadir 2026"
FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture(autouse=True)
def _no_remembered_passphrase() -> Iterator[None]:
    yield
    database.use_passphrase(None)


def _add_company(db: database.Database, name: str, owner: str = "Tazi") -> str:
    return save_company(db, CompanyForm(
        name=name, legal_form="sarl", segment="tpe", sector_code="AGRO", region_code="MA-06",
        city="Settat", people=[PersonForm(role="owner", first_name="Khadija", last_name=owner)]))


def _file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, *encryption.companions(path)) if p.exists())


def _names(db: database.Database, text: str) -> list[str]:
    return [row.name for row in search_companies(db, filter=CompanyFilter(text=text))]


def test_an_encrypted_file_shows_no_personal_data_and_refuses_a_wrong_passphrase(db_path: Path) -> None:
    db = open_database(db_path)
    _add_company(db, "Boulangerie Zitoune Settat", owner="Bennani")
    db.close()
    assert b"Zitoune" in _file_bytes(db_path)  # plain SQLite: readable by anyone

    protection.encrypt_database(db_path, PASSPHRASE)
    assert is_encrypted(db_path)
    assert not db_path.read_bytes().startswith(migrate.SQLITE_HEADER)
    raw = _file_bytes(db_path)
    assert b"Zitoune" not in raw and b"Bennani" not in raw and "Zitoune".encode("utf-16-le") not in raw
    before = db_path.read_bytes()

    with pytest.raises(PassphraseRequired, match="est chiffrée : sa phrase secrète est nécessaire"):
        open_database(db_path)
    with pytest.raises(WrongPassphrase, match="Phrase secrète incorrecte"):
        open_database(db_path, passphrase="argane d'agadir 2026")
    assert db_path.read_bytes() == before  # a refused open writes nothing

    db = open_database(db_path, passphrase=PASSPHRASE)
    try:
        assert db.encrypted
        assert _names(db, "zitoune") == ["Boulangerie Zitoune Settat"]  # FTS5 index came along
        _add_company(db, "Coopérative Tifawin", owner="Ait Ouaziz")  # triggers, outbox: all work
        assert _names(db, "tifawin") == ["Coopérative Tifawin"]
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.close()
    raw = _file_bytes(db_path)
    assert b"Tifawin" not in raw and b"Ouaziz" not in raw  # new rows (and the WAL) encrypted too

    readonly = open_database_readonly(db_path, passphrase=PASSPHRASE)
    try:
        with readonly.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Company)) == 2
    finally:
        readonly.close()


def test_decrypting_gives_back_a_plain_file_with_every_row(db_path: Path) -> None:
    db = open_database(db_path)
    _add_company(db, "Atelier Amal")
    db.close()
    protection.encrypt_database(db_path, PASSPHRASE)
    with pytest.raises(UserError, match="déjà chiffrée"):
        protection.encrypt_database(db_path, PASSPHRASE)
    with pytest.raises(UserError, match="Phrase secrète incorrecte"):
        protection.decrypt_database(db_path, "pas la bonne")
    assert is_encrypted(db_path)

    protection.change_passphrase(db_path, PASSPHRASE, "Nouvelle phrase 2027")
    with pytest.raises(WrongPassphrase):
        open_database(db_path, passphrase=PASSPHRASE)
    protection.decrypt_database(db_path, "Nouvelle phrase 2027")
    assert not is_encrypted(db_path)
    assert migrate.inspect_sqlite_file(db_path).revision == migrate.head_revision()
    db = open_database(db_path)
    try:
        assert _names(db, "amal") == ["Atelier Amal"]
    finally:
        db.close()
    # no work file left beside the database
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith(".")) == []


def test_an_old_encrypted_database_is_upgraded_with_an_encrypted_backup(tmp_path: Path) -> None:
    path = tmp_path / "ancienne.sqlite"
    shutil.copyfile(FIXTURES / "schema_0001.sqlite", path)
    old = migrate.inspect_sqlite_file(path).revision
    assert old != migrate.head_revision()
    protection.encrypt_database(path, PASSPHRASE)

    db = open_database(path, passphrase=PASSPHRASE)
    try:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        _add_company(db, "Dar Sanaa")
        assert _names(db, "sanaa") == ["Dar Sanaa"]
    finally:
        db.close()
    backup = path.with_name(f"{path.stem}.avant-mise-a-jour-{old}{path.suffix}")
    assert is_encrypted(backup)  # the copy kept before the upgrade is no plain leak
    assert encryption.inspect_encrypted_file(backup, PASSPHRASE).revision == old


def test_the_demo_fills_an_encrypted_database(tmp_path: Path) -> None:
    import advisor_app.domain.models  # noqa: F401  (every table known to the bulk writer)
    from advisor_app.services.demo import generate_demo

    path = tmp_path / "demo.sqlite"
    open_database(path).close()
    protection.encrypt_database(path, PASSPHRASE)
    db = open_database(path, passphrase=PASSPHRASE)
    try:
        summary = generate_demo(db, companies=12, seed=3)
        with db.sessions() as session:
            names = list(session.scalars(select(Company.name)))
    finally:
        db.close()
    assert summary.companies == 12 and len(names) == 12
    raw = _file_bytes(path)
    assert not any(name.encode() in raw for name in names)


def test_a_file_that_is_not_a_database_is_still_called_so(tmp_path: Path) -> None:
    text_file = tmp_path / "liste.sqlite"
    text_file.write_text("liste des entreprises\n", encoding="utf-8")
    assert not is_encrypted(text_file)
    with pytest.raises(UserError, match="n'est pas une base de données SQLite"):
        open_database(text_file)
    garbage = tmp_path / "bruit.sqlite"
    garbage.write_bytes(bytes(range(256)) * 16)  # page-sized noise: only a passphrase can tell
    with pytest.raises(WrongPassphrase):
        open_database(garbage, passphrase=PASSPHRASE)
    assert garbage.read_bytes() == bytes(range(256)) * 16


def test_passphrase_rules(db_path: Path) -> None:
    with pytest.raises(UserError, match="au moins 8 caractères"):
        protection.check_new_passphrase("court", "court")
    with pytest.raises(UserError, match="ne sont pas identiques"):
        protection.check_new_passphrase("une phrase longue", "une phrase longue.")
    assert protection.check_new_passphrase("une phrase longue", "une phrase longue") == "une phrase longue"


def test_idle_lock_setting_defaults_to_15_minutes_when_encrypted(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        assert protection.idle_lock_minutes(db) == 0  # plain: nothing to unlock with
    finally:
        db.close()
    protection.encrypt_database(db_path, PASSPHRASE)
    db = open_database(db_path, passphrase=PASSPHRASE)
    try:
        assert protection.idle_lock_minutes(db) == 15
        protection.set_idle_lock_minutes(db, 5)
        assert protection.idle_lock_minutes(db) == 5
        with pytest.raises(UserError, match="Délai de verrouillage inconnu"):
            protection.set_idle_lock_minutes(db, 7)
        assert protection.passphrase_matches(db, PASSPHRASE)
        assert not protection.passphrase_matches(db, PASSPHRASE.upper())
    finally:
        db.close()


def test_a_database_open_in_another_process_is_not_converted(db_path: Path) -> None:
    """The app still running on the file: converting it would leave the app writing into
    the replaced file. Refused, file untouched (SQLite file locks work between processes)."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path\n"
         "from advisor_app.services.database import open_database\n"
         f"db = open_database(Path({str(db_path)!r}), load_reference=False)\n"
         "with db.engine.connect() as c: c.exec_driver_sql('SELECT 1')\n"
         "print('ready', flush=True); sys.stdin.readline(); db.close()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        before = db_path.read_bytes()
        with pytest.raises(UserError, match="est ouverte"):
            protection.encrypt_database(db_path, PASSPHRASE)
        assert not is_encrypted(db_path) and db_path.read_bytes() == before
    finally:
        holder.communicate("\n", timeout=60)
    protection.encrypt_database(db_path, PASSPHRASE)  # closed: now it can
    assert is_encrypted(db_path)
