"""Sync and enrolment off the GUI thread. Each worker opens its own connection to the
database file (SQLite connections do not cross threads) and reports through signals, which
Qt delivers in the GUI thread. A sync is cancelled between batches: what was exchanged
before stays."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from advisor_app.i18n import tr
from advisor_app.services import sync_device
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError

log = logging.getLogger(__name__)
CANCELLED = "cancelled"  # the kind a cancelled sync reports
NOT_SET_UP = "setup"  # not enrolled, token missing: a UserError before any request
BUG = "bug"


class _Worker(QThread):
    succeeded = Signal(object)
    failed = Signal(str, str)  # kind (a transport failure kind, or one of the above), message

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db

    def work(self, db: Database) -> object:
        raise NotImplementedError

    def run(self) -> None:
        from advisor_app.services import sync_service  # httpx: not before the window paints

        own = sync_device.worker_database(self._db)
        try:
            result = self.work(own)
        except sync_service.SyncCancelled as exc:
            self.failed.emit(CANCELLED, str(exc))
        except sync_service.SyncFailed as exc:
            self.failed.emit(str(exc.kind), str(exc))
        except UserError as exc:
            self.failed.emit(NOT_SET_UP, str(exc))
        except Exception as exc:  # a bug: logged, and said plainly rather than lost in a thread
            log.exception("background sync work failed")
            self.failed.emit(BUG, tr("Erreur inattendue pendant la synchronisation : {error}").format(
                error=type(exc).__name__))
        else:
            self.succeeded.emit(result)
        finally:
            own.close()


class SyncWorker(_Worker):
    """One sync cycle (``full``, ``check``: see ``sync_service.sync``); ``succeeded`` carries
    the SyncReport."""

    progress = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None, *, full: bool = False,
                 check: bool = False) -> None:
        super().__init__(db, parent)
        self._cancelled = False
        self._full, self._check = full, check

    def cancel(self) -> None:
        self._cancelled = True

    def work(self, db: Database) -> object:
        from advisor_app.services import sync_service

        return sync_service.sync(db, cancelled=lambda: self._cancelled, progress=self.progress.emit,
                                 full=self._full, check=self._check)


class EnrolWorker(_Worker):
    """Exchanges an enrolment code for a device token; ``succeeded`` carries the Enrolment."""

    def __init__(self, db: Database, call: Callable[[Database], object],
                 parent: QObject | None = None) -> None:
        super().__init__(db, parent)
        self._call = call

    def work(self, db: Database) -> object:
        return self._call(db)
