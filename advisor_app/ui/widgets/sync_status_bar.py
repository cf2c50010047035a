"""The sync part of the status bar: last successful sync ("il y a 5 min"), conflicts to
resolve (a click opens them), the last failure in a few plain French words (the whole
explanation in its tooltip), and while a sync runs, a busy bar and its progress."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from advisor_app.i18n import tr
from advisor_app.services.sync_status import Overview, ago_text, failure_short, failure_text
from advisor_app.ui.widgets.forms import ERROR_STYLE


class SyncStatusBar(QWidget):
    open_conflicts = Signal()
    sync_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.last_sync = QLabel()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.conflicts = QPushButton()
        self.conflicts.setFlat(True)
        self.conflicts.setStyleSheet("color: #b3261e; text-decoration: underline;")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(90)
        self.progress.setMaximumHeight(14)
        self.progress_text = QLabel()
        self.sync_button = QPushButton(tr("Synchroniser"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.error, self.conflicts, self.progress, self.progress_text, self.last_sync,
                       self.sync_button):
            layout.addWidget(widget)
        self.conflicts.clicked.connect(self.open_conflicts)
        self.sync_button.clicked.connect(self.sync_requested)
        self.set_running(False)

    def show_overview(self, overview: Overview, failure: tuple[str, str] | None) -> None:
        """``failure``: (kind, message) of a failure seen in this session, if any."""
        self.last_sync.setText(tr("Dernière synchronisation réussie : {when}").format(
            when=ago_text(overview.last_sync)))
        self.last_sync.setToolTip(overview.last_sync.astimezone().strftime("%d/%m/%Y %H:%M")
                                  if overview.last_sync else "")
        self.conflicts.setText(tr("Conflits à résoudre : {n}").format(n=overview.conflicts))
        self.conflicts.setVisible(overview.conflicts > 0)
        enrolled = bool(overview.hq_url)
        if failure is None and overview.last_failure and enrolled:
            failure = (overview.last_failure,
                       failure_text(overview.last_failure, overview.hq_url or ""))
        if failure is not None and enrolled:
            kind, message = failure
            self.error.setText(failure_short(kind))
            self.error.setToolTip(message)
        else:
            self.error.clear()
            self.error.setToolTip("")
        self.error.setVisible(bool(self.error.text()))
        self.sync_button.setVisible(enrolled)

    def set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.progress_text.setVisible(running)
        self.last_sync.setVisible(not running)  # the progress takes its place meanwhile
        self.sync_button.setEnabled(not running)
        if running:
            self.progress_text.setText(tr("Synchronisation…"))
