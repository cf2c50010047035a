"""The audit log of pulled changes: who at HQ's side changed what (old and new values), and
nothing for our own changes coming back."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from advisor_app.domain.companies import Company
from advisor_app.domain.local import AuditEntry
from advisor_app.hq.admin import NewAdvisor
from advisor_app.services import audit
from tests.hq.harness import Laptop


def _entries(laptop: Laptop, source: str) -> list[AuditEntry]:
    with laptop.db.sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.source == source)
                                    .order_by(AuditEntry.id)))


def test_pulled_changes_are_logged_with_their_author(
        laptops: Callable[..., Laptop], samira: NewAdvisor, karim: NewAdvisor) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    company_id = a.add_company("Atlas Conserves")
    a.sync()
    b.sync()
    inserted = [e for e in _entries(b, "hq") if e.table_name == "company"]
    assert len(inserted) == 1
    assert inserted[0].op == "insert" and inserted[0].actor == samira.advisor_id
    assert inserted[0].changes == {}  # the values are the row itself

    a.edit(Company, company_id, city="Berrechid")
    a.sync()
    b.sync()
    update = _entries(b, "hq")[-1]
    assert (update.row_id, update.op) == (company_id, "update")
    assert update.changes == {"city": {"old": "Settat", "new": "Berrechid"}}
    assert update.device is not None

    history = audit.company_history(b.db, company_id)
    assert history[0].who == "Samira Alaoui"
    assert [(c.field, c.old, c.new) for c in history[0].changes] == [("Ville", "Settat", "Berrechid")]

    # A's own changes came back from HQ: nothing logged as HQ's on A
    a.sync()
    assert _entries(a, "hq") == []
    before = len(_entries(b, "hq"))
    b.sync()  # nothing new
    assert len(_entries(b, "hq")) == before
