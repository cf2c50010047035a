"""The passphrase asked at start for an encrypted database, and the password of an Excel
export (both typed in dialogs, checked at the field)."""

from __future__ import annotations

import io
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from advisor_app.services import protection
from advisor_app.services.database import Database, open_database
from advisor_app.ui.dialogs.export_dialog import COMPANIES, ExportDialog
from advisor_app.ui.dialogs.passphrase_dialog import PassphraseDialog

PASSPHRASE = "Jardin Majorelle 1923"


@pytest.fixture
def encrypted_path(db_path: Path) -> Path:
    protection.encrypt_database(db_path, PASSPHRASE)
    return db_path


def test_a_wrong_passphrase_is_refused_in_french_and_the_right_one_opens(
        qtbot: QtBot, encrypted_path: Path) -> None:
    before = encrypted_path.read_bytes()
    dialog = PassphraseDialog(encrypted_path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.passphrase.echoMode() == dialog.passphrase.EchoMode.Password

    dialog.unlock_button.click()
    assert dialog.error.text() == "Tapez la phrase secrète."
    qtbot.keyClicks(dialog.passphrase, "jardin majorelle 1923")
    dialog.unlock_button.click()
    assert "Phrase secrète incorrecte" in dialog.error.text()
    assert dialog.passphrase.text() == ""  # cleared for the next try
    assert dialog.isVisible() and dialog.database is None
    assert encrypted_path.read_bytes() == before  # nothing written by the refused tries
    dialog.grab().save("/tmp/passphrase_dialog.png")

    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    dialog.unlock_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.database is not None and dialog.database.encrypted
    assert dialog.attempts == 2
    dialog.database.close()


def test_the_passphrase_dialog_in_english(qtbot: QtBot, encrypted_path: Path, english: None) -> None:
    dialog = PassphraseDialog(encrypted_path)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.passphrase, "wrong one")
    dialog.unlock_button.click()
    assert dialog.error.text() == "Wrong passphrase. Check Caps Lock and try again."


def test_an_export_with_a_password_is_encrypted(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    from advisor_app.services.companies import CompanyForm, PersonForm, save_company

    save_company(db, CompanyForm(name="Poterie Safi", legal_form="sarl", segment="tpe",
                                 region_code="MA-06", city="Safi",
                                 people=[PersonForm(role="owner", first_name="Aziz", last_name="Lahlou")]))
    dialog = ExportDialog(db, kind=COMPANIES, folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.password.setText("abc")
    dialog.confirm.setText("abc")
    dialog.export_button.click()
    assert "au moins 4 caractères" in dialog.error.text()
    dialog.confirm.setText("abcd")
    dialog.password.setText("abce")
    dialog.export_button.click()
    assert "ne sont pas identiques" in dialog.error.text()
    assert not list(tmp_path.glob("*.xlsx"))

    dialog.password.setText("safi-2026")
    dialog.confirm.setText("safi-2026")
    with qtbot.waitSignal(dialog.finished_export, timeout=20_000):
        dialog.export_button.click()
    assert "(protégé par mot de passe)" in dialog.message.text()
    assert dialog.written is not None
    path = dialog.written[0]
    qtbot.waitUntil(lambda: not dialog.busy())
    document = msoffcrypto.OfficeFile(io.BytesIO(path.read_bytes()))
    assert document.is_encrypted()
    document.load_key(password="safi-2026")
    plain = io.BytesIO()
    document.decrypt(plain)
    values = [cell.value for row in openpyxl.load_workbook(plain).worksheets[0].iter_rows() for cell in row]
    assert "Poterie Safi" in values
    db_check = open_database(db.path)  # the database itself is untouched by the export
    db_check.close()


def test_the_app_asks_the_passphrase_of_an_encrypted_database_at_start(
        qtbot: QtBot, encrypted_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from advisor_app import app

    shown: list[PassphraseDialog] = []

    def type_then_open(dialog: PassphraseDialog) -> int:
        shown.append(dialog)
        dialog.passphrase.setText("pas la bonne")
        dialog.unlock_button.click()
        dialog.passphrase.setText(PASSPHRASE)
        dialog.unlock_button.click()
        return int(dialog.result())

    monkeypatch.setattr(PassphraseDialog, "exec", type_then_open)
    assert app.is_encrypted(encrypted_path)
    db = app._unlock(encrypted_path)
    assert db is not None and db.encrypted and shown[0].attempts == 2
    db.close()

    monkeypatch.setattr(PassphraseDialog, "exec", lambda dialog: int(dialog.reject() or 0))
    assert app._unlock(encrypted_path) is None  # "Quitter": the app ends, nothing opened
