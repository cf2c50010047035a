"""Paramètres: the language of the app (French by default, English), kept in the user's
settings and applied at the next start (every screen is then built in it); and, for an
encrypted database, the idle lock delay, kept in the database's local settings."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QWidget

from advisor_app import i18n
from advisor_app.i18n import tr
from advisor_app.services import protection
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.ui.widgets.forms import FormDialog, selected

LANGUAGE_KEY = "language"


def saved_language(settings: QSettings) -> str:
    """The language chosen in the settings; French when none was chosen or it is unknown."""
    value = str(settings.value(LANGUAGE_KEY)) if settings.contains(LANGUAGE_KEY) else ""
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def _lock_label(minutes: int) -> str:
    return tr("Jamais") if minutes == 0 else tr("Après {n} min sans activité").format(n=minutes)


class SettingsDialog(FormDialog):
    def __init__(self, settings: QSettings, parent: QWidget | None = None, *,
                 db: Database | None = None) -> None:
        self._settings = settings
        self._db = db
        self.language = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(saved_language(settings)), 0))
        rows: list[tuple[str, QWidget]] = [(tr("Langue de l'application"), self.language)]
        self.idle_lock = QComboBox()
        for minutes in protection.IDLE_LOCK_CHOICES:
            self.idle_lock.addItem(_lock_label(minutes), str(minutes))
        if db is not None:
            current = protection.idle_lock_minutes(db)
            self.idle_lock.setCurrentIndex(max(self.idle_lock.findData(str(current)), 0))
            if not db.encrypted:
                self.idle_lock.setEnabled(False)
                self.idle_lock.setToolTip(tr(
                    "Le verrouillage demande la phrase secrète : chiffrez d'abord la base "
                    "(advisor-app encrypt)."))
            rows.append((tr("Verrouillage de l'écran"), self.idle_lock))
        super().__init__(tr("Paramètres"), rows, parent=parent)
        self.restart_note = self.error  # the dialog's message line
        self.restart_note.setStyleSheet("")
        self.language.currentIndexChanged.connect(self._explain)

    def _explain(self) -> None:
        changed = selected(self.language) != i18n.language()
        self.restart_note.setText(
            tr("La nouvelle langue s'appliquera au prochain démarrage de Mowakaba.") if changed else "")

    def save(self) -> bool:
        if self._db is not None and self._db.encrypted:
            try:
                protection.set_idle_lock_minutes(self._db, int(self.idle_lock.currentData() or 0))
            except UserError as exc:
                self.error.setText(str(exc))
                return False
        self._settings.setValue(LANGUAGE_KEY, selected(self.language) or i18n.DEFAULT_LANGUAGE)
        self._settings.sync()
        self.accept()
        return True
