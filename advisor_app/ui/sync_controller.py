"""The one place a sync is started, from the button, the menu or the timer: never two at
once, always in a worker thread (an unreachable HQ costs the GUI nothing), cancellable.
The screens and the status bar listen to its signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from advisor_app.services import sync_status
from advisor_app.services.database import Database
from advisor_app.ui.sync_worker import CANCELLED, SyncWorker


class SyncController(QObject):
    started = Signal()
    progress = Signal(str)
    finished = Signal(object)  # the SyncReport
    failed = Signal(str, str)  # kind, message in plain French
    idle = Signal()  # after finished or failed: the buttons come back

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._worker: SyncWorker | None = None
        self.last_failure: tuple[str, str] | None = None  # (kind, message) of the last failure
        self.automatic = False  # the running sync was started by the timer
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.start_automatic)

    @property
    def running(self) -> bool:
        return self._worker is not None

    def start(self, *, automatic: bool = False, full: bool = False, check: bool = False) -> bool:
        """Starts a sync unless one runs; False when it did not start. ``check``: compare
        with HQ afterwards; ``full``: start over (see ``sync_service.sync``)."""
        if self._worker is not None:
            return False
        self.automatic = automatic
        worker = self._worker = SyncWorker(self._db, self, full=full, check=check)
        worker.progress.connect(self.progress)
        worker.succeeded.connect(self._succeeded)
        worker.failed.connect(self._failed)
        worker.finished.connect(self._done)
        self.started.emit()
        worker.start()
        return True

    def start_automatic(self) -> None:
        if self._worker is None and sync_status.overview(self._db).hq_url:
            self.start(automatic=True)

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    def set_interval(self, minutes: int) -> None:
        """Automatic sync every ``minutes`` (0: off)."""
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def wait(self) -> None:
        """Cancels and waits for a running sync (the window is closing)."""
        worker = self._worker
        if worker is not None:
            worker.cancel()
            worker.wait()

    def _succeeded(self, report: object) -> None:
        self.last_failure = None
        self.finished.emit(report)

    def _failed(self, kind: str, message: str) -> None:
        if kind != CANCELLED:
            self.last_failure = (kind, message)
        self.failed.emit(kind, message)

    def _done(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.deleteLater()
        self.idle.emit()
