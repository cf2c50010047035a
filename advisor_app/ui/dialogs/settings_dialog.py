"""Paramètres: the language of the app (French by default, English). The choice is kept in
the user's settings and applies at the next start: every screen is then built in it."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QWidget

from advisor_app import i18n
from advisor_app.i18n import tr
from advisor_app.ui.widgets.forms import FormDialog, selected

LANGUAGE_KEY = "language"


def saved_language(settings: QSettings) -> str:
    """The language chosen in the settings; French when none was chosen or it is unknown."""
    value = str(settings.value(LANGUAGE_KEY)) if settings.contains(LANGUAGE_KEY) else ""
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


class SettingsDialog(FormDialog):
    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        self._settings = settings
        self.language = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(saved_language(settings)), 0))
        super().__init__(tr("Paramètres"), [(tr("Langue de l'application"), self.language)],
                         parent=parent)
        self.restart_note = self.error  # the dialog's message line
        self.restart_note.setStyleSheet("")
        self.language.currentIndexChanged.connect(self._explain)

    def _explain(self) -> None:
        changed = selected(self.language) != i18n.language()
        self.restart_note.setText(
            tr("La nouvelle langue s'appliquera au prochain démarrage de Mowakaba.") if changed else "")

    def save(self) -> bool:
        self._settings.setValue(LANGUAGE_KEY, selected(self.language) or i18n.DEFAULT_LANGUAGE)
        self._settings.sync()
        self.accept()
        return True
