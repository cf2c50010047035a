"""The short satisfaction survey at the end of a track: a score from 1 to 5 and a comment."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPlainTextEdit, QRadioButton, QWidget

from advisor_app.i18n import tr
from advisor_app.services import programme_ops as ops
from advisor_app.services.database import Database
from advisor_app.services.programme_ops import SurveyRow
from advisor_app.ui.widgets.forms import FormDialog, date_edit, from_qdate

SCORE_LABELS = {1: "1 — pas du tout satisfait", 2: "2", 3: "3", 4: "4", 5: "5 — très satisfait"}


class SurveyDialog(FormDialog):
    def __init__(self, db: Database, enrolment_id: str, company_name: str,
                 previous: SurveyRow | None = None, parent: QWidget | None = None) -> None:
        self._db = db
        self._enrolment_id = enrolment_id
        self.scores = QButtonGroup()
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        for score, label in SCORE_LABELS.items():
            button = QRadioButton(tr(label))
            button.setChecked(previous is not None and previous.score == score)
            self.scores.addButton(button, score)
            line.addWidget(button)
        self.comment = QPlainTextEdit(previous.comment if previous else "")
        self.comment.setPlaceholderText(tr("Ce que l'entreprise retient de l'accompagnement"))
        self.comment.setFixedHeight(80)
        self.answered_on = date_edit(previous.answered_on if previous else None)
        super().__init__(tr("Satisfaction de {company}").format(company=company_name),
                         [(tr("Note"), row), (tr("Commentaire"), self.comment),
                          (tr("Répondu le"), self.answered_on)], parent=parent)

    def save(self) -> bool:
        answered = from_qdate(self.answered_on.date())
        assert answered is not None
        score = self.scores.checkedId()  # -1: none chosen; the service says so
        return self.run_service(lambda: ops.record_survey(
            self._db, enrolment_id=self._enrolment_id, score=score, comment=self.comment.toPlainText(),
            answered_on=answered))
