"""Paramètres: the language choice is kept in the user's settings for the next start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from advisor_app.ui.dialogs.settings_dialog import LANGUAGE_KEY, SettingsDialog, saved_language


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_choosing_english_is_saved_and_announced_for_the_next_start(qtbot: QtBot, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    assert saved_language(settings) == "fr"
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.language.currentText() == "Français"
    assert dialog.restart_note.text() == ""
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert dialog.restart_note.text() == "La nouvelle langue s'appliquera au prochain démarrage de Mowakaba."
    assert dialog.save()
    assert saved_language(_settings(tmp_path)) == "en"  # read back from the file


def test_cancel_keeps_the_language_and_unknown_values_read_as_french(qtbot: QtBot, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.reject()
    assert not settings.contains(LANGUAGE_KEY)
    settings.setValue(LANGUAGE_KEY, "tlh")
    assert saved_language(settings) == "fr"
