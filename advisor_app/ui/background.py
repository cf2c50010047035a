"""A service call off the GUI thread, on its own connection to the database file (SQLite
connections do not cross threads); the outcome comes back through signals, delivered in
the GUI thread. Used by the import and export dialogs."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from advisor_app.i18n import tr
from advisor_app.services import sync_device
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError

log = logging.getLogger(__name__)


class BackgroundTask(QThread):
    succeeded = Signal(object)
    failed = Signal(str)  # the message to show

    def __init__(self, db: Database, call: Callable[[Database], object],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._call = call
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def run(self) -> None:
        own = sync_device.worker_database(self._db)
        try:
            result = self._call(own)
        except UserError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug: logged, and said plainly rather than lost in a thread
            log.exception("background task failed")
            self.failed.emit(tr("Erreur inattendue : {error}").format(error=f"{type(exc).__name__}: {exc}"))
        else:
            self.succeeded.emit(result)
        finally:
            own.close()


def stop_task(task: BackgroundTask | None) -> None:
    """Before a dialog closes: asks ``task`` to stop and waits for it (a write in one
    transaction finishes first)."""
    if task is not None:
        task.cancel()
        task.wait()
