"""Automatic backups from the app: at start when the newest backup is older than a day,
and after a sync (at most one an hour), in a worker thread (the GUI never waits)."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QObject, Signal

from advisor_app.services import backup
from advisor_app.services.database import Database
from advisor_app.ui.background import BackgroundTask

log = logging.getLogger(__name__)
AFTER_SYNC_MAX_AGE = dt.timedelta(hours=1)


class AutoBackup(QObject):
    done = Signal(object)  # the BackupFile made, or None when none was due

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._task: BackgroundTask | None = None

    @property
    def running(self) -> bool:
        return self._task is not None

    def at_start(self) -> None:
        self._run(backup.MAX_AGE)

    def after_sync(self, _report: object = None) -> None:
        self._run(AFTER_SYNC_MAX_AGE)

    def wait(self) -> None:
        if self._task is not None:
            self._task.wait()

    def _run(self, max_age: dt.timedelta) -> None:
        if self._task is not None:
            return
        task = self._task = BackgroundTask(
            self._db, lambda own: backup.backup_if_due(own, max_age=max_age), self)
        task.succeeded.connect(self.done)
        task.failed.connect(lambda message: log.warning("automatic backup failed: %s", message))
        task.finished.connect(self._finished)
        task.start()

    def _finished(self) -> None:
        if self._task is not None:
            self._task.deleteLater()
        self._task = None
