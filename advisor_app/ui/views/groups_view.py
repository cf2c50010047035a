"""Coaching groups: the list, and for the selected group its members with their half-day
budget (planned / used / remaining) and the 4-10 active companies rule; the group's
certificates (attestations de participation) open from here."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import groups
from advisor_app.services.database import Database
from advisor_app.services.groups import GroupDetail, GroupRow, MemberRow
from advisor_app.ui.dialogs.add_member_dialog import AddMemberDialog
from advisor_app.ui.dialogs.certificates_dialog import CertificatesDialog
from advisor_app.ui.dialogs.group_dialog import GroupDialog
from advisor_app.ui.dialogs.remove_member_dialog import RemoveMemberDialog
from advisor_app.ui.widgets.display import widget_table
from advisor_app.ui.widgets.forms import number_text, percent_text

# French source texts, passed through tr() when the tables are built.
GROUP_HEADERS = ("Groupe", "Parcours", "Territoire", "Conseiller", "Début", "Fin", "Actives")
MEMBER_HEADERS = ("Entreprise", "Entrée", "Sortie", "Motif de sortie", "Budget",
                  "Collectif", "Individuel", "Restant", "Assiduité")
WARNING_STYLE = "color: #8a5a00; font-weight: bold;"
LEFT_COLOR = QColor("#777777")


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


class GroupsView(QWidget):
    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._groups: list[GroupRow] = []
        self.detail: GroupDetail | None = None
        self.new_button = QPushButton(tr("Nouveau groupe"))
        self.edit_button = QPushButton(tr("Modifier le groupe"))
        self.add_button = QPushButton(tr("Ajouter une entreprise"))
        self.remove_button = QPushButton(tr("Sortie du groupe"))
        self.certificates_button = QPushButton(tr("Attestations…"))
        self.certificates_button.setToolTip(tr("Règles d'achèvement, délivrance et impression des "
                                               "attestations de participation du groupe"))
        self.group_table = widget_table(GROUP_HEADERS)
        self.member_table = widget_table(MEMBER_HEADERS)
        self.title = QLabel()
        self.title.setObjectName("viewTitle")
        self.warning = QLabel()
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.setWordWrap(True)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Groupes d'accompagnement")))
        top.addStretch(1)
        top.addWidget(self.new_button)
        left_layout.addLayout(top)
        left_layout.addWidget(self.group_table)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        actions = QHBoxLayout()
        for button in (self.edit_button, self.add_button, self.remove_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.certificates_button)
        right_layout.addWidget(self.title)
        right_layout.addWidget(self.warning)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.member_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([300, 400])
        QVBoxLayout(self).addWidget(splitter)

        self.new_button.clicked.connect(self.new_group)
        self.edit_button.clicked.connect(self.edit_group)
        self.add_button.clicked.connect(self.add_member)
        self.remove_button.clicked.connect(self.remove_member)
        self.certificates_button.clicked.connect(self.open_certificates)
        self.group_table.itemSelectionChanged.connect(self._show_selected)
        self.member_table.itemSelectionChanged.connect(self._update_buttons)
        self.reload()

    # -- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        selected = self.selected_group_id()
        self._groups = groups.list_groups(self._db)
        table = self.group_table
        table.blockSignals(True)
        table.setRowCount(len(self._groups))
        for row, group in enumerate(self._groups):
            values = (group.name, group.track_name, group.territory, group.advisor_name,
                      _date(group.starts_on), _date(group.ends_on), str(group.active_members))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if group.size_warning:
                    item.setToolTip(group.size_warning)
                table.setItem(row, column, item)
        table.blockSignals(False)
        ids = [g.id for g in self._groups]
        table.selectRow(ids.index(selected) if selected in ids else 0)
        self._show_selected()

    def selected_group_id(self) -> str | None:
        rows = self.group_table.selectionModel().selectedRows() if self.group_table.model() else []
        return self._groups[rows[0].row()].id if rows and rows[0].row() < len(self._groups) else None

    def select_group(self, group_id: str) -> None:
        ids = [g.id for g in self._groups]
        if group_id in ids:
            self.group_table.selectRow(ids.index(group_id))

    def selected_member(self) -> MemberRow | None:
        if self.detail is None:
            return None
        rows = self.member_table.selectionModel().selectedRows()
        return self.detail.members[rows[0].row()] if rows else None

    def _show_selected(self) -> None:
        group_id = self.selected_group_id()
        self.detail = groups.group_detail(self._db, group_id) if group_id else None
        members = self.detail.members if self.detail else []
        if self.detail is None:
            self.title.setText(tr("Aucun groupe : « Nouveau groupe » pour en créer un.")
                               if not self._groups else "")
        else:
            g = self.detail.group
            self.title.setText(tr("{group} — {track}, du {start} au {end} — {count} entreprise(s) "
                                  "active(s)").format(group=g.name, track=g.track_name,
                                                      start=_date(g.starts_on), end=_date(g.ends_on),
                                                      count=g.active_members))
        self.warning.setText(self.detail.size_warning or "" if self.detail else "")
        self.warning.setVisible(bool(self.detail and self.detail.size_warning))
        table = self.member_table
        table.setRowCount(len(members))
        for row, m in enumerate(members):
            values = (m.company_name, _date(m.joined_on), _date(m.left_on), m.leave_reason,
                      number_text(m.half_days_budget), number_text(m.collective_used),
                      number_text(m.individual_used), number_text(m.half_days_remaining),
                      percent_text(m.attendance_rate))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if not m.active:
                    item.setForeground(LEFT_COLOR)
                if column == 7 and m.half_days_remaining < 0:
                    item.setForeground(QColor("#b3261e"))
                    item.setToolTip(tr("Budget de demi-journées dépassé"))
                table.setItem(row, column, item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_group = self.detail is not None
        member = self.selected_member()
        self.edit_button.setEnabled(has_group)
        self.add_button.setEnabled(has_group)
        self.certificates_button.setEnabled(has_group)
        self.remove_button.setEnabled(member is not None and member.active)

    # -- actions ------------------------------------------------------------------------------
    def new_group(self) -> None:
        dialog = GroupDialog(self._db, parent=self)
        if dialog.exec():
            self._after_change(dialog.saved_id)

    def edit_group(self) -> None:
        group_id = self.selected_group_id()
        if group_id and GroupDialog(self._db, group_id, parent=self).exec():
            self._after_change(group_id)

    def add_member(self) -> None:
        group_id = self.selected_group_id()
        if group_id and AddMemberDialog(self._db, group_id, parent=self).exec():
            self._after_change(group_id)

    def remove_member(self) -> None:
        member = self.selected_member()
        if member and RemoveMemberDialog(self._db, member.membership_id, member.company_name,
                                         parent=self).exec():
            self._after_change(self.selected_group_id())

    def open_certificates(self) -> None:
        group_id = self.selected_group_id()
        if group_id:
            CertificatesDialog(self._db, group_id, parent=self).exec()
            self.changed.emit()  # certificates are changes to sync

    def _after_change(self, group_id: str | None) -> None:
        self.reload()
        ids = [g.id for g in self._groups]
        if group_id in ids:
            self.group_table.selectRow(ids.index(group_id))
        self.changed.emit()
