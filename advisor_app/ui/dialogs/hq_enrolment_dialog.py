"""Inscription auprès du siège: the HQ address and the single-use enrolment code given by
HQ; the exchange for a device token runs in a worker thread (the dialog stays alive and
can be closed), and a mistake is shown under the field it concerns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import sync_device
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.ui.sync_worker import NOT_SET_UP, EnrolWorker
from advisor_app.ui.widgets.forms import ERROR_STYLE, save_cancel_buttons

if TYPE_CHECKING:
    from advisor_app.services.sync_service import Enrolment

CODE_LENGTH = 12  # letters and digits; dashes and spaces are for reading it out
# failure kinds that concern the address rather than the code
ADDRESS_FAILURES = ("unreachable", "server", "upgrade", NOT_SET_UP)


def _enroll(db: Database, server: str, code: str) -> object:
    from advisor_app.services import sync_service  # httpx: only once the advisor enrols

    return sync_service.enroll(db, server=server, code=code)


class HqEnrolmentDialog(QDialog):
    worker_done = Signal()  # HQ answered (or could not be reached)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._worker: EnrolWorker | None = None
        self.enrolment: Enrolment | None = None
        self.setWindowTitle(tr("Inscrire cet ordinateur auprès du siège"))
        self.setMinimumWidth(640)
        intro = QLabel(tr("Le siège vous donne son adresse et un code d'inscription à usage unique. "
                          "Une fois inscrit, cet ordinateur envoie vos changements au siège et "
                          "reçoit ceux de votre région."))
        intro.setWordWrap(True)
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://siege.example.ma")
        self.code = QLineEdit()
        self.code.setPlaceholderText("ABCD-EFGH-JKLM")
        self.errors = {name: self._error_label() for name in ("server", "code")}
        form = QFormLayout()
        for label, name, field in ((tr("Adresse du siège *"), "server", self.server),
                                   (tr("Code d'inscription *"), "code", self.code)):
            box = QVBoxLayout()
            box.addWidget(field)
            box.addWidget(self.errors[name])
            form.addRow(label, box)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.buttons = save_cancel_buttons(tr("Inscrire"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.state)
        layout.addWidget(self.buttons)
        self.server.textEdited.connect(lambda _text: self._show("server", ""))
        self.code.textEdited.connect(lambda _text: self._show("code", ""))

    @staticmethod
    def _error_label() -> QLabel:
        label = QLabel()
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.setVisible(False)
        return label

    def _show(self, field: str, message: str) -> None:
        self.errors[field].setText(message)
        self.errors[field].setVisible(bool(message))
        layout = self.layout()
        if layout is not None:
            layout.activate()  # grows (or shrinks) with the messages
        self.resize(self.width(), self.sizeHint().height())

    def _check(self) -> tuple[str, str] | None:
        """(address, code) when both look right; else the mistakes are shown at the fields."""
        server = code = ""
        try:
            server = sync_device.check_server(self.server.text())
            self._show("server", "")
        except UserError as exc:
            self._show("server", str(exc))
        text = self.code.text().strip().upper()
        if not text:
            self._show("code", tr("Saisissez le code d'inscription donné par le siège."))
        elif len([ch for ch in text if ch.isalnum()]) != CODE_LENGTH:
            self._show("code", tr("Code d'inscription mal formé : « {code} » (ex. ABCD-EFGH-JKLM).")
                       .format(code=text))
        else:
            code = text
            self._show("code", "")
        return (server, code) if server and code else None

    def save(self) -> bool:
        if self._worker is not None:
            return False
        checked = self._check()
        if checked is None:
            return False
        server, code = checked
        self._busy(True)
        worker = self._worker = EnrolWorker(self._db, lambda db: _enroll(db, server, code), self)
        worker.succeeded.connect(self._enrolled)
        worker.failed.connect(self._failed)
        worker.finished.connect(self._done)
        worker.start()
        return True

    def _busy(self, busy: bool) -> None:
        self.state.setStyleSheet("")
        self.state.setText(tr("Connexion au siège…") if busy else "")
        for field in (self.server, self.code):
            field.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not busy)

    def _enrolled(self, enrolment: object) -> None:
        from advisor_app.services.sync_service import Enrolment

        assert isinstance(enrolment, Enrolment)
        self.enrolment = enrolment
        sync_device.adopt_identity(self._db)  # edits from now on are stamped with the advisor

    def _failed(self, kind: str, message: str) -> None:
        self._show("server" if kind in ADDRESS_FAILURES else "code", message)

    def _done(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.deleteLater()
        self._busy(False)
        if self.enrolment is not None:
            self.accept()
        self.worker_done.emit()

    def reject(self) -> None:
        if self._worker is not None:  # the answer is on its way: let it land, then close
            self._worker.wait()
        super().reject()
