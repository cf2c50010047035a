"""``advisor-app encrypt|decrypt|passphrase``, ``--passphrase-stdin`` on the other commands,
and password-protected exports: certificates (PDF, ``--pdf-password-stdin``) and .xlsx."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from advisor_app.cli import main
from advisor_app.services import database, export_sheets
from advisor_app.services.companies import CompanyForm, PersonForm, save_company
from advisor_app.services.database import is_encrypted, open_database
from tests.certificate_scenario import build_group, enrol_for_signing

PASSPHRASE = "Oasis de Figuig 1"


@pytest.fixture(autouse=True)
def _no_remembered_passphrase() -> Iterator[None]:
    yield
    database.use_passphrase(None)


def _stdin(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def test_encrypt_then_every_command_takes_the_passphrase_then_decrypt(
        db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(db_path)
    save_company(db, CompanyForm(name="Menuiserie Atlas", legal_form="sarl", segment="tpe",
                                 region_code="MA-06", city="Settat",
                                 people=[PersonForm(role="owner", first_name="Hamid", last_name="Alami")]))
    db.close()

    _stdin(monkeypatch, "court")
    assert main(["encrypt", "--db", str(db_path), "--passphrase-stdin"]) == 2
    assert "au moins 8 caractères" in capsys.readouterr().err
    assert not is_encrypted(db_path)

    _stdin(monkeypatch, PASSPHRASE)
    assert main(["encrypt", "--db", str(db_path), "--passphrase-stdin"]) == 0
    assert "Base chiffrée" in capsys.readouterr().out
    assert is_encrypted(db_path) and b"Atlas" not in db_path.read_bytes()

    _stdin(monkeypatch)  # no passphrase at all: a clear refusal, no traceback
    assert main(["stats", "--db", str(db_path)]) == 1
    assert "est chiffrée : sa phrase secrète est nécessaire" in capsys.readouterr().err
    _stdin(monkeypatch, "mauvaise phrase")
    assert main(["stats", "--db", str(db_path), "--passphrase-stdin"]) == 1
    err = capsys.readouterr().err
    assert "Phrase secrète incorrecte" in err and "Traceback" not in err

    _stdin(monkeypatch, PASSPHRASE)
    assert main(["stats", "--db", str(db_path), "--passphrase-stdin", "--json"]) == 0
    assert '"company": 1' in capsys.readouterr().out
    _stdin(monkeypatch, PASSPHRASE)
    assert main(["init", "--db", str(db_path), "--passphrase-stdin"]) == 0
    capsys.readouterr()
    database.use_passphrase(None)
    monkeypatch.setenv(database.PASSPHRASE_ENV, PASSPHRASE)  # tests and scripts only
    _stdin(monkeypatch)
    assert main(["stats", "--db", str(db_path)]) == 0
    monkeypatch.delenv(database.PASSPHRASE_ENV)

    _stdin(monkeypatch, PASSPHRASE, "Autre phrase 2")
    assert main(["passphrase", "--db", str(db_path), "--passphrase-stdin"]) == 0
    _stdin(monkeypatch, PASSPHRASE)
    assert main(["decrypt", "--db", str(db_path), "--passphrase-stdin"]) == 2
    assert "Phrase secrète incorrecte" in capsys.readouterr().err
    _stdin(monkeypatch, "Autre phrase 2")
    assert main(["decrypt", "--db", str(db_path), "--passphrase-stdin"]) == 0
    assert not is_encrypted(db_path)
    _stdin(monkeypatch)
    assert main(["stats", "--db", str(db_path)]) == 0


def test_certificates_of_an_encrypted_database_as_password_protected_pdfs(
        db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(db_path)
    scenario = build_group(db)
    enrol_for_signing(db)
    db.close()
    _stdin(monkeypatch, PASSPHRASE)
    assert main(["encrypt", "--db", str(db_path), "--passphrase-stdin"]) == 0
    out_dir = tmp_path / "attestations"

    _stdin(monkeypatch, PASSPHRASE, "abc")  # too short: refused before anything is issued
    assert main(["certificates", "issue", "--db", str(db_path), "--group", scenario.group_id,
                 "--out", str(out_dir), "--passphrase-stdin", "--pdf-password-stdin"]) == 2
    assert "au moins 4 caractères" in capsys.readouterr().err
    assert not out_dir.exists()

    _stdin(monkeypatch, PASSPHRASE, "attestation-2026")
    assert main(["certificates", "issue", "--db", str(db_path), "--group", scenario.group_id,
                 "--out", str(out_dir), "--passphrase-stdin", "--pdf-password-stdin",
                 "--date", "2026-07-03"]) == 0
    assert "2 attestation(s) délivrée(s)" in capsys.readouterr().out
    files = sorted(out_dir.glob("*.pdf"))
    assert len(files) == 2
    for path in files:
        reader = PdfReader(path)
        assert reader.is_encrypted
        with pytest.raises(FileNotDecryptedError):
            reader.pages[0].extract_text()
        assert not PdfReader(path).decrypt("mauvais")
        reader = PdfReader(path)
        assert reader.decrypt("attestation-2026")
        assert "ATTESTATION DE PARTICIPATION" in reader.pages[0].extract_text()


def test_an_xlsx_export_with_a_password_opens_only_with_it(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    try:
        owner = PersonForm(role="owner", first_name="Salma", last_name="Idrissi")
        save_company(db, CompanyForm(name="Tissage Nour", legal_form="sarl", segment="tpe",
                                     region_code="MA-06", city="Settat", people=[owner]))
        target = tmp_path / "entreprises.xlsx"
        assert export_sheets.export_companies(db, target, password="secret-export") == 1
    finally:
        db.close()
    raw = target.read_bytes()
    assert b"Tissage" not in raw
    with pytest.raises(Exception):  # noqa: B017  (openpyxl: not a zip file)
        openpyxl.load_workbook(target)
    document = msoffcrypto.OfficeFile(io.BytesIO(raw))
    assert document.is_encrypted()
    with pytest.raises(Exception):  # noqa: B017  (msoffcrypto: the key does not fit)
        document.load_key(password="pas le bon")
        document.decrypt(io.BytesIO(), verify_password=True)
    plain = io.BytesIO()
    document = msoffcrypto.OfficeFile(io.BytesIO(raw))
    document.load_key(password="secret-export")
    document.decrypt(plain)
    book = openpyxl.load_workbook(plain)
    values = [cell.value for row in book.worksheets[0].iter_rows() for cell in row]
    assert "Tissage Nour" in values
