"""Export sheets of programme operations: the financing of each enrolment, the financing
totals per group, advisor and region, and the complaints with their handling time. Read
through the same facts as the dashboards (same perimeter, same tariffs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain.companies import Company
from advisor_app.domain.enrolments import Enrolment
from advisor_app.domain.ops_metrics import FinancingTotals, expected_share
from advisor_app.domain.programme_ops import Complaint, ContributionPayment, PaymentStatus
from advisor_app.i18n import tr
from advisor_app.services import ops_config, reference_names
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.services.export_xlsx import DATE, DECIMAL, INT, Column, Sheet
from advisor_app.services.indicator_facts import load_facts
from advisor_app.services.ops_facts import Named, operations
from advisor_app.services.programme_ops import status_label

FINANCING_HEADERS = ("Entreprise", "Parcours", "Groupe", "Conseiller", "Région", "Prix du parcours",
                     "Participation de l'entreprise", "Subvention publique", "Montant reçu",
                     "Reste à recevoir", "Paiement", "Date du versement", "Devise")
TOTAL_HEADERS = ("Niveau", "Nom", "Inscriptions", "Prix des parcours", "Subvention publique",
                 "Participation attendue", "Participation reçue", "Reste à recevoir")
COMPLAINT_HEADERS = ("Entreprise", "Reçue le", "Motif", "Description", "Traitement", "Clôturée le",
                     "Délai de traitement (jours)", "État")


def _columns(headers: tuple[str, ...], kinds: dict[int, str]) -> list[Column]:
    return [Column(tr(h), kinds.get(i, "text")) for i, h in enumerate(headers)]


def _company_names(session: Session, ids: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        found.update((str(eid), str(name)) for eid, name in session.execute(
            select(Enrolment.id, Company.name).join(Company, Company.id == Enrolment.company_id)
            .where(Enrolment.id.in_(ids[i:i + 500]))))
    return found


def _total_row(level: str, n: Named | tuple[str, FinancingTotals]) -> tuple[Any, ...]:
    name, t = (n.name, n.totals) if isinstance(n, Named) else n
    return (level, name, t.enrolments, t.price, t.subsidy, t.company_share, t.received, t.outstanding)


def operations_sheets(db: Database, *, today: dt.date | None = None) -> list[Sheet]:
    """Financing per enrolment, financing totals, complaints (no sheet when the programme's
    tariffs cannot be read: the dashboard shows why)."""
    today = today or dt.date.today()
    try:
        config = ops_config.load_config()
    except UserError:
        return []
    with db.sessions() as session:
        facts = load_facts(session, today=today)
        ids = [f.enrolment_id for f in facts]
        companies = _company_names(session, ids)
        regions = reference_names.names(session, "region")
        tracks = reference_names.names(session, "track")
        o = operations(session, facts, today=today, config=config, targets=None,
                       regions=sorted({f.region_code for f in facts}),
                       names={f.region_code: regions.of(f.region_code, f.region_code) for f in facts})
        advisors = {n.key: n.name for n in o.by_advisor}
        payments = {p.enrolment_id: p for p in session.scalars(
            select(ContributionPayment).where(ContributionPayment.deleted_at.is_(None)))}
        money: list[tuple[Any, ...]] = []
        for f in sorted(facts, key=lambda f: (companies.get(f.enrolment_id, "").casefold(), f.enrolment_id)):
            tariff = config.tariffs.get(f.track_code)
            p = payments.get(f.enrolment_id)
            status = p.status if p else PaymentStatus.DUE
            received = p.amount_received if p else 0.0
            share = expected_share(tariff, status)
            money.append((companies.get(f.enrolment_id, ""), tracks.of(f.track_code, f.track_code),
                          f.group_name, advisors.get(f.advisor_id or "", ""),
                          regions.of(f.region_code, f.region_code),
                          tariff.price if tariff else None, share, tariff.subsidy if tariff else None,
                          received, max(share - received, 0.0), status_label(status),
                          p.received_on if p else None, config.currency))
        complaints: list[tuple[Any, ...]] = []
        for c in session.scalars(select(Complaint).where(Complaint.deleted_at.is_(None))
                                 .order_by(Complaint.received_on, Complaint.id)):
            if c.enrolment_id not in companies:  # an enrolment or company deleted since
                continue
            complaints.append((companies.get(c.enrolment_id, ""), c.received_on,
                               ops_config.reason_label(c.reason), c.details, c.handling, c.closed_on,
                               (c.closed_on - c.received_on).days if c.closed_on else None,
                               tr("Clôturée") if c.closed_on else tr("En cours")))
    totals = ([_total_row(tr("Groupe"), n) for n in o.by_group]
              + [_total_row(tr("Conseiller"), n) for n in o.by_advisor]
              + [_total_row(tr("Région"), n) for n in o.by_region]
              + [_total_row(tr("Total"), (tr("Tout le portefeuille"), o.financing))])
    return [
        Sheet(tr("Financement"),
              _columns(FINANCING_HEADERS, {i: DECIMAL for i in range(5, 10)} | {11: DATE}), money),
        Sheet(tr("Financement (totaux)"),
              _columns(TOTAL_HEADERS, {2: INT} | {i: DECIMAL for i in range(3, 8)}), totals),
        Sheet(tr("Réclamations"), _columns(COMPLAINT_HEADERS, {1: DATE, 5: DATE, 6: INT}), complaints),
    ]
