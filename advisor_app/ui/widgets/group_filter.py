"""A "which group" filter: every group of the portfolio, "all groups" first."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from advisor_app.i18n import tr
from advisor_app.services import groups
from advisor_app.services.database import Database
from advisor_app.ui.widgets.forms import selected


class GroupFilter(QComboBox):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.setMinimumContentsLength(28)
        self.refill()

    def group_id(self) -> str | None:
        return selected(self)

    def refill(self) -> None:
        """Reread the groups, keeping the current choice (silently: no reload per refill)."""
        current = selected(self)
        self.blockSignals(True)
        self.clear()
        self.addItem(tr("Tous les groupes"), "")
        for g in groups.list_groups(self._db):
            self.addItem(g.name, g.id)
        self.setCurrentIndex(max(self.findData(current or ""), 0))
        self.blockSignals(False)
