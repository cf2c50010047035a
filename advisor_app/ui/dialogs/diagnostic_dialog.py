"""The whole self-diagnostic questionnaire: per item the entrepreneur's score (0-4 or N/A),
the advisor's validated score, the importance (1-3) and the evidence. "Enregistrer le
brouillon" keeps a draft; "Valider" freezes it (every item needs the advisor's score). A
validated diagnostic opens read-only; "Corriger" unlocks it and saving writes a new version
that supersedes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.enums import DiagnosticKind
from advisor_app.domain.labels import DIAGNOSTIC_KIND_LABELS, label
from advisor_app.domain.scoring import ItemAnswer, score_answers
from advisor_app.i18n import tr
from advisor_app.services import diagnostics
from advisor_app.services.database import Database
from advisor_app.services.diagnostics import AnswerInput, DiagnosticRecord, QuestionnaireInfo
from advisor_app.services.errors import UserError
from advisor_app.ui.widgets.forms import ERROR_STYLE, combo, date_edit, from_qdate, percent_text, selected

IMPORTANCE_LABELS = {1: "1 — faible", 2: "2 — moyenne", 3: "3 — forte"}


@dataclass
class ItemRow:
    """The widgets of one questionnaire item."""

    axis_code: str
    item_code: str
    entrepreneur: QComboBox
    advisor: QComboBox
    importance: QComboBox
    evidence: QLineEdit

    def value(self) -> AnswerInput:
        ent, adv = selected(self.entrepreneur), selected(self.advisor)
        return AnswerInput(
            int(ent) if ent is not None else None,
            int(adv) if adv is not None else None,
            int(selected(self.importance) or 2),
            self.evidence.text().strip(),
        )

    def set_value(self, answer: AnswerInput) -> None:
        for box, score in (
            (self.entrepreneur, answer.entrepreneur_score),
            (self.advisor, answer.advisor_score),
        ):
            box.setCurrentIndex(max(0, box.findData("" if score is None else str(score))))
        self.importance.setCurrentIndex(max(0, self.importance.findData(str(answer.importance))))
        self.evidence.setText(answer.evidence)

    def widgets(self) -> tuple[QWidget, ...]:
        return self.entrepreneur, self.advisor, self.importance, self.evidence


class DiagnosticDialog(QDialog):
    def __init__(
        self,
        db: Database,
        enrolment_id: str,
        diagnostic_id: str | None = None,
        *,
        kind: str = DiagnosticKind.INITIAL.value,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._enrolment_id = enrolment_id
        self.record: DiagnosticRecord | None = (
            diagnostics.load_diagnostic(db, diagnostic_id) if diagnostic_id else None
        )
        self.questionnaire: QuestionnaireInfo = (
            self.record.questionnaire if self.record else diagnostics.current_questionnaire(db)
        )
        self.correcting = False
        self.saved_id: str | None = None
        self.setWindowTitle(tr("Autodiagnostic"))
        self.resize(1100, 760)
        self.kind = combo(
            [(k.value, label(DIAGNOSTIC_KIND_LABELS, k)) for k in DiagnosticKind],
            self.record.kind if self.record else kind,
        )
        self.conducted_on = date_edit(self.record.conducted_on if self.record else dt.date.today())
        self.kind.setMaximumWidth(320)
        self.conducted_on.setMaximumWidth(160)
        self.notes = QPlainTextEdit(self.record.notes if self.record else "")
        self.notes.setPlaceholderText(tr("Observations du conseiller (facultatif)"))
        self.notes.setFixedHeight(52)
        self.state = QLabel()
        self.score = QLabel()
        self.score.setStyleSheet("font-weight: bold;")
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.rows: dict[str, ItemRow] = {}
        head = QFormLayout()
        head.addRow(tr("Type"), self.kind)
        head.addRow(tr("Date"), self.conducted_on)
        head.addRow(tr("Observations"), self.notes)
        head.addRow(tr("État"), self.state)
        self.copy_button = QPushButton(tr("Reprendre les notes de l'entreprise"))
        self.copy_button.setToolTip(tr("Recopie la note de l'entrepreneur là où le conseiller n'a rien noté"))
        self.draft_button = QPushButton(tr("Enregistrer le brouillon"))
        self.validate_button = QPushButton(tr("Valider"))
        self.correct_button = QPushButton(tr("Corriger"))
        self.close_button = QPushButton(tr("Annuler"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.score, 1)
        for button in (self.correct_button, self.draft_button, self.validate_button, self.close_button):
            buttons.addWidget(button)
        self.questions_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._questions())
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        if self.record:
            for item_id, answer in self.record.answers.items():
                if item_id in self.rows:
                    self.rows[item_id].set_value(answer)
        self.copy_button.clicked.connect(self.copy_scores)
        self.draft_button.clicked.connect(lambda: self.save(validate=False))
        self.validate_button.clicked.connect(lambda: self.save(validate=True))
        self.correct_button.clicked.connect(self.start_correction)
        self.close_button.clicked.connect(self.reject)
        self._set_mode()
        self.update_score()

    def _questions(self) -> QWidget:
        scale = [("", "—")] + [
            (
                str(s.value),
                f"{s.value} — {s.label}" if s.value >= 0 else tr("N/A — {label}").format(label=s.label),
            )
            for s in self.questionnaire.scale
        ]
        importance = [(str(k), tr(v)) for k, v in IMPORTANCE_LABELS.items()]
        page = QWidget()
        layout = QVBoxLayout(page)
        for axis in self.questionnaire.axes:
            box = QGroupBox(axis.label)
            grid = QGridLayout(box)
            for column, text in enumerate(
                (
                    tr("Item"),
                    tr("Note de l'entreprise"),
                    tr("Note validée"),
                    tr("Importance"),
                    tr("Preuve / commentaire"),
                )
            ):
                heading = QLabel(text)
                heading.setStyleSheet("font-weight: bold;")
                grid.addWidget(heading, 0, column)
            for r, item in enumerate(axis.items, start=1):
                question = QLabel(f"{item.code} — {item.label}")
                question.setWordWrap(True)
                row = ItemRow(
                    axis.code,
                    item.code,
                    combo(scale),
                    combo(scale),
                    combo(importance, "2"),
                    QLineEdit(placeholderText=tr("facultatif")),
                )
                for box_widget in (row.entrepreneur, row.advisor):
                    box_widget.setMaximumWidth(230)
                    box_widget.currentIndexChanged.connect(self.update_score)
                row.importance.setMaximumWidth(130)
                grid.addWidget(question, r, 0)
                for column, widget in enumerate(row.widgets(), start=1):
                    grid.addWidget(widget, r, column)
                self.rows[item.id] = row
            grid.setColumnStretch(0, 5)
            grid.setColumnStretch(4, 3)
            layout.addWidget(box)
        return page

    # -- state --------------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.record is not None and self.record.validated and not self.correcting

    def _set_mode(self) -> None:
        editable = not self.read_only
        for row in self.rows.values():
            for widget in row.widgets():
                widget.setEnabled(editable)
        self.kind.setEnabled(editable and not self.correcting)
        for widget in (
            self.conducted_on,
            self.notes,
            self.copy_button,
            self.draft_button,
            self.validate_button,
        ):
            widget.setEnabled(editable)
        can_correct = self.record is not None and self.record.validated and not self.record.superseded
        self.correct_button.setVisible(bool(can_correct) and not self.correcting)
        self.close_button.setText(tr("Fermer") if self.read_only else tr("Annuler"))
        if self.correcting:
            assert self.record is not None
            self.validate_button.setText(tr("Valider la correction"))
            self.draft_button.setText(tr("Enregistrer la correction en brouillon"))
            self.state.setText(
                tr("Correction : la version {n} remplacera la version {old}.").format(
                    n=self.record.version + 1, old=self.record.version
                )
            )
        elif self.record is not None:
            suffix = tr(" — remplacé par une correction") if self.record.superseded else ""
            self.state.setText(
                tr("{status} — version {n}").format(status=self.record.status_label, n=self.record.version)
                + suffix
            )
        else:
            self.state.setText(
                tr("Nouveau diagnostic (questionnaire {code} v{version})").format(
                    code=self.questionnaire.code, version=self.questionnaire.version
                )
            )

    def answers(self) -> dict[str, AnswerInput]:
        return {item_id: row.value() for item_id, row in self.rows.items()}

    def update_score(self) -> None:
        answers = [
            ItemAnswer(row.axis_code, row.item_code, v.entrepreneur_score, v.advisor_score, v.importance)
            for row, v in ((row, row.value()) for row in self.rows.values())
        ]
        scores = score_answers(answers, {a.code: len(a.items) for a in self.questionnaire.axes})
        self.score.setText(
            tr("Score : {score} · {answered} / {items} items notés").format(
                score=percent_text(scores.percent / 100) if scores.percent is not None else "—",
                answered=scores.answered,
                items=scores.items,
            )
        )

    # -- actions ------------------------------------------------------------------------------
    def copy_scores(self) -> None:
        for row in self.rows.values():
            if selected(row.advisor) is None and selected(row.entrepreneur) is not None:
                row.advisor.setCurrentIndex(row.entrepreneur.currentIndex())

    def start_correction(self) -> None:
        self.correcting = True
        self._set_mode()

    def save(self, *, validate: bool) -> bool:
        on = from_qdate(self.conducted_on.date()) or dt.date.today()
        try:
            if self.correcting:
                assert self.record is not None
                self.saved_id = diagnostics.correct_diagnostic(
                    self._db,
                    diagnostic_id=self.record.id,
                    conducted_on=on,
                    answers=self.answers(),
                    notes=self.notes.toPlainText(),
                    validate=validate,
                )
            else:
                self.saved_id = diagnostics.save_diagnostic(
                    self._db,
                    enrolment_id=self._enrolment_id,
                    diagnostic_id=self.record.id if self.record else None,
                    kind=selected(self.kind) or DiagnosticKind.INITIAL.value,
                    conducted_on=on,
                    answers=self.answers(),
                    notes=self.notes.toPlainText(),
                    validate=validate,
                )
        except UserError as exc:
            self.error.setText(str(exc))
            self._show_item(str(exc))
            return False
        self.accept()
        return True

    def _show_item(self, message: str) -> None:
        """Scrolls to the item a message names and puts the cursor on its validated score."""
        for row in self.rows.values():
            if f" {row.item_code} " in f" {message} ".replace(":", " "):
                self.questions_area.ensureWidgetVisible(row.advisor)
                row.advisor.setFocus()
                return
