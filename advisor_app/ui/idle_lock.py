"""The idle lock: after N minutes without a key press or a mouse action anywhere in the
app, ``locked`` is emitted (the main window then hides its content behind the lock screen).
The delay comes from the local settings (services.protection); 0 means never."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

CHECK_MS = 15_000  # how often idleness is checked: the lock comes at most this late
_INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress})


class IdleLock(QObject):
    locked = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._clock = clock
        self.minutes = 0
        self.is_locked = False
        self.last_input = clock()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check_idle)
        self._watching = False
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        """A new delay (0: never); counting starts again from now. Input is watched (an
        application-wide event filter) only while a delay is set."""
        self.minutes = minutes
        self.last_input = self._clock()
        app = QApplication.instance()
        if minutes > 0:
            self.timer.start()
            if app is not None and not self._watching:
                app.installEventFilter(self)
                self._watching = True
        else:
            self.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT and not self.is_locked:
            self.last_input = self._clock()
        return False

    def check_idle(self) -> bool:
        """Locks (once) when the delay has passed since the last input; True when locked."""
        if self.minutes > 0 and not self.is_locked and self._clock() - self.last_input >= self.minutes * 60:
            self.is_locked = True
            self.locked.emit()
        return self.is_locked

    def lock_now(self) -> None:
        if not self.is_locked:
            self.is_locked = True
            self.locked.emit()

    def unlocked(self) -> None:
        self.is_locked = False
        self.last_input = self._clock()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
        self._watching = False
