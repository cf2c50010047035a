"""Backups of this database (date, size), a backup now, and restoring one after a
confirmation; the database is closed for the replacement and reopened by the views."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import backup
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.ui.widgets.message_label import MessageLabel

HEADERS = ("Date", "Taille", "Fichier")


def size_text(size: int) -> str:
    if size >= 1_048_576:
        return tr("{n} Mo").format(n=f"{size / 1_048_576:.1f}".replace(".", ","))
    return tr("{n} Ko").format(n=max(1, size // 1024))


class RestoreDialog(QDialog):
    restored = Signal()  # the database was replaced: every view reloads

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.backups: list[backup.BackupFile] = []
        self.setWindowTitle(tr("Sauvegardes et restauration"))
        self.resize(720, 420)
        intro = QLabel(tr("Une sauvegarde est faite chaque jour au démarrage et après une "
                          "synchronisation, dans le dossier « {folder} ». Restaurer remplace la base "
                          "actuelle, dont une copie est gardée.").format(
            folder=backup.backups_dir(db.path)))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message = MessageLabel()
        self.error = MessageLabel("color: #b3261e;")
        self.backup_button = QPushButton(tr("Sauvegarder maintenant"))
        self.restore_button = QPushButton(tr("Restaurer la sauvegarde choisie…"))
        self.file_button = QPushButton(tr("Restaurer un autre fichier…"))
        close = QPushButton(tr("Fermer"))
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.file_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.file_button.clicked.connect(self.restore_other_file)
        close.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.reload()

    def reload(self) -> None:
        self.backups = backup.list_backups(self._db.path)
        self.table.setRowCount(len(self.backups))
        for r, item in enumerate(self.backups):
            for c, value in enumerate((item.taken_at.strftime("%d/%m/%Y %H:%M:%S"),
                                       size_text(item.size), item.path.name)):
                cell = QTableWidgetItem(value)
                if c == 1:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, cell)
        if self.backups:
            self.table.selectRow(0)
        self._update_buttons()

    def _say(self, info: str = "", *, error: str = "") -> None:
        self.message.setText(info)
        self.error.setText(error)

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def backup_now(self) -> None:
        try:
            made = backup.backup_now(self._db)
        except UserError as exc:
            self._say(error=str(exc))
            return
        self.reload()
        self._say(tr("Sauvegarde faite : {name} ({size}).").format(
            name=made.path.name, size=size_text(made.size)))

    def restore_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.restore_file(self.backups[rows[0].row()].path)

    def restore_other_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Choisir une sauvegarde"),
                                              str(backup.backups_dir(self._db.path)),
                                              tr("Bases Mowakaba (*.sqlite);;Tous les fichiers (*)"))
        if name:
            self.restore_file(Path(name))

    def confirm(self, source: Path) -> bool:
        """Asks before replacing the database (tests replace this method)."""
        answer = QMessageBox.question(self, tr("Restaurer une sauvegarde"), tr(
            "Remplacer la base actuelle par la sauvegarde « {name} » ? Les changements faits depuis "
            "cette sauvegarde ne seront plus visibles (une copie de la base actuelle est gardée).").format(
            name=source.name))
        return answer == QMessageBox.StandardButton.Yes

    def restore_file(self, source: Path) -> None:
        try:
            backup.check_backup(source, self._db.passphrase)
        except UserError as exc:
            self._say(error=str(exc))
            return
        if not self.confirm(source):
            return
        self._db.close()  # the pool's connections go; the engine reconnects to the new file
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            done = backup.restore(self._db.path, source, passphrase=self._db.passphrase)
        except UserError as exc:
            self._say(error=str(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.reload()
        kept = (tr(" L'ancienne base est gardée dans « {path} ».").format(path=done.previous_copy)
                if done.previous_copy else "")
        self._say(tr("Base restaurée depuis « {name} ».").format(name=source.name) + kept)
        self.restored.emit()
