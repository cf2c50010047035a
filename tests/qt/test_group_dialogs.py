"""Groups: create one, add companies (permanent entry), a company leaves with a reason."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from advisor_app.domain.companies import Company
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership
from advisor_app.domain.enums import LegalForm, Segment, Stage
from advisor_app.services import enrolments
from advisor_app.services.database import Database
from advisor_app.ui.dialogs.add_member_dialog import AddMemberDialog
from advisor_app.ui.dialogs.group_dialog import GroupDialog
from advisor_app.ui.dialogs.remove_member_dialog import RemoveMemberDialog
from advisor_app.ui.views.groups_view import GroupsView


def _enrolled_companies(db: Database, count: int) -> list[str]:
    ids = []
    for n in range(count):
        with db.unit_of_work() as session:
            company = Company(name=f"Atelier {n}", legal_form=LegalForm.SARL, segment=Segment.TPE,
                              region_code="MA-06", city="Settat")
            session.add(company)
        ids.append(enrolments.enrol_company(db, company_id=company.id, track_code="PERF-CIBLEE",
                                            enrolled_on=dt.date(2026, 9, 1)))
    return ids


def _new_group(qtbot: QtBot, db: Database) -> str:
    dialog = GroupDialog(db)
    qtbot.addWidget(dialog)
    dialog.name.setText("Settat · Bois · G1")
    dialog.track.setCurrentIndex(dialog.track.findData("PERF-CIBLEE"))
    dialog.region.setCurrentIndex(dialog.region.findData("MA-06"))
    dialog.territory.setText("Settat")
    dialog.starts_on.setDate(QDate(2026, 10, 1))
    assert dialog.save(), dialog.general_error.text()
    assert dialog.saved_id is not None
    return dialog.saved_id


def test_group_is_created_with_its_default_end(qtbot: QtBot, db: Database) -> None:
    group_id = _new_group(qtbot, db)
    with db.sessions() as session:
        group = session.get(CoachingGroup, group_id)
        assert group is not None
        assert (group.name, group.track_code, group.region_code, group.territory) == (
            "Settat · Bois · G1", "PERF-CIBLEE", "MA-06", "Settat")
        assert group.starts_on == dt.date(2026, 10, 1)
        assert group.ends_on is not None and group.ends_on > group.starts_on


def test_missing_name_is_shown_at_the_field(qtbot: QtBot, db: Database) -> None:
    dialog = GroupDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.save() is False
    assert dialog.errors["name"].text()
    with db.sessions() as session:
        assert session.scalars(select(CoachingGroup)).all() == []


def test_members_join_and_leave_and_the_size_rule_is_shown(qtbot: QtBot, db: Database) -> None:
    _enrolled_companies(db, 4)
    group_id = _new_group(qtbot, db)
    view = GroupsView(db)
    qtbot.addWidget(view)
    for expected in range(1, 5):
        dialog = AddMemberDialog(db, group_id)
        qtbot.addWidget(dialog)
        dialog.joined_on.setDate(QDate(2026, 10, 1))
        assert dialog.candidate.count() == 5 - expected
        assert dialog.save(), dialog.error.text()
        view.reload()
        assert view.detail is not None and len(view.detail.members) == expected
        assert bool(view.warning.text()) == (expected < 4)
    with db.sessions() as session:
        stages = set(session.scalars(select(Enrolment.stage)))
    assert stages == {Stage.IN_GROUP}

    membership = view.detail.members[0]
    leave = RemoveMemberDialog(db, membership.membership_id, membership.company_name)
    qtbot.addWidget(leave)
    leave.left_on.setDate(QDate(2026, 11, 2))
    assert leave.save() is False  # a reason is required
    assert leave.error.text() == "Indiquez le motif de la sortie."
    leave.reason.setText("Cessation d'activité")
    assert leave.save(), leave.error.text()
    with db.sessions() as session:
        row = session.get(GroupMembership, membership.membership_id)
        assert row is not None
        assert (row.left_on, row.leave_reason) == (dt.date(2026, 11, 2), "Cessation d'activité")
    view.reload()  # left on 2 November: three active companies, below the rule of four
    assert view.detail is not None and view.detail.group.active_members == 3
    assert view.warning.text() and not view.warning.isHidden()
    assert len(view.detail.members) == 4  # the company that left stays listed, greyed
