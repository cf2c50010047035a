"""Create or edit a coaching group (track, sector, territory, advisor, dates)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import companies, enrolments, groups, portfolio
from advisor_app.services.database import Database
from advisor_app.services.groups import GroupForm, GroupValidationError
from advisor_app.ui.widgets.forms import (
    ERROR_STYLE,
    combo,
    date_edit,
    from_qdate,
    save_cancel_buttons,
    selected,
)


class GroupDialog(QDialog):
    def __init__(self, db: Database, group_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.saved_id: str | None = None
        self._form = groups.load_group_form(db, group_id) if group_id else groups.empty_group_form(db)
        self.setWindowTitle(tr("Modifier le groupe") if group_id else tr("Nouveau groupe"))
        choices = companies.filter_choices(db)
        form = self._form
        self.name = QLineEdit(form.name or "")
        self.track = combo([(t.code, t.name) for t in enrolments.tracks(db)], form.track_code)
        self.sector = combo([("", "—"), *choices.sectors], form.sector_code)
        self.region = combo(choices.regions, form.region_code)
        self.territory = QLineEdit(form.territory or "")
        self.advisor = combo([("", "—"), *portfolio.advisor_choices(db)], form.advisor_id)
        self.starts_on = date_edit(form.starts_on)
        self.ends_on = date_edit(form.ends_on, optional=True)
        self.errors: dict[str, QLabel] = {}
        layout = QFormLayout()
        for label, name, widget in (
            (tr("Nom du groupe *"), "name", self.name), (tr("Parcours *"), "track_code", self.track),
            (tr("Secteur"), "sector_code", self.sector), (tr("Région *"), "region_code", self.region),
            (tr("Territoire"), "territory", self.territory),
            (tr("Conseiller"), "advisor_id", self.advisor),
            (tr("Début *"), "starts_on", self.starts_on),
            (tr("Fin (défaut : durée du parcours)"), "ends_on", self.ends_on),
        ):
            error = QLabel()
            error.setStyleSheet(ERROR_STYLE)
            error.setVisible(False)
            self.errors[name] = error
            box = QVBoxLayout()
            box.addWidget(widget)
            box.addWidget(error)
            layout.addRow(label, box)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        buttons = save_cancel_buttons()
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(layout)
        outer.addWidget(self.general_error)
        outer.addWidget(buttons)

    def current_form(self) -> GroupForm:
        return GroupForm(
            id=self._form.id, name=self.name.text(), track_code=selected(self.track) or "",
            sector_code=selected(self.sector), region_code=selected(self.region) or "",
            territory=self.territory.text(), advisor_id=selected(self.advisor),
            starts_on=from_qdate(self.starts_on.date()), ends_on=from_qdate(self.ends_on.date()),
        )

    def save(self) -> bool:
        try:
            self.saved_id = groups.save_group(self._db, self.current_form())
        except GroupValidationError as exc:
            for name, label in self.errors.items():
                message = exc.issues.get(name, "")
                label.setText(message)
                label.setVisible(bool(message))
            others = [m for f, m in exc.issues.items() if f not in self.errors]
            self.general_error.setText("\n".join(others) or ("" if exc.issues else str(exc)))
            return False
        self.accept()
        return True
