"""Use cases of programme operations on one enrolment: complaints (record, handle, close),
the end-of-track satisfaction survey and the payment of the company's contribution. One
unit of work each; rows carry the enrolment's scope so they sync like its other rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain.base import new_id
from advisor_app.domain.enrolments import Enrolment
from advisor_app.domain.enums import Stage
from advisor_app.domain.ops_metrics import SCORES, payment_status_for
from advisor_app.domain.programme_ops import (
    Complaint,
    ComplaintStatus,
    ContributionPayment,
    PaymentStatus,
    SatisfactionSurvey,
)
from advisor_app.i18n import tr
from advisor_app.services import ops_config
from advisor_app.services.database import Database
from advisor_app.services.enrolments import enrolments_of_company, fmt_date, require_enrolment
from advisor_app.services.errors import UserError

MAX_TEXT = 4000


@dataclass(frozen=True)
class ComplaintRow:
    id: str
    enrolment_id: str
    received_on: dt.date
    reason: str  # code
    reason_label: str
    details: str
    handling: str
    closed_on: dt.date | None

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


@dataclass(frozen=True)
class SurveyRow:
    id: str
    enrolment_id: str
    answered_on: dt.date
    score: int
    comment: str


@dataclass(frozen=True)
class EnrolmentFinancing:
    enrolment_id: str
    track_code: str
    currency: str
    priced: bool  # the track has a tariff
    price: float
    company_share: float  # the tariff's (owed unless waived)
    subsidy: float
    subsidy_payer: str
    status: PaymentStatus
    amount_received: float
    received_on: dt.date | None
    note: str


def status_label(status: PaymentStatus) -> str:
    return {PaymentStatus.DUE: tr("À payer"), PaymentStatus.PARTIAL: tr("Payée en partie"),
            PaymentStatus.PAID: tr("Payée"), PaymentStatus.WAIVED: tr("Exonérée")}[status]


def _text(value: str, field: str) -> str:
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise UserError(tr("{field} : {max} caractères au plus.").format(field=field, max=MAX_TEXT))
    return value


def _not_future(day: dt.date, what: str) -> None:
    if day > dt.date.today():
        raise UserError(tr("{what} ne peut pas être dans le futur.").format(what=what))


def _scoped(row: Complaint | SatisfactionSurvey | ContributionPayment, enrolment: Enrolment) -> None:
    row.set_scope(region=enrolment.scope_region, advisor=enrolment.scope_advisor,
                  group=enrolment.scope_group)


def _complaint_row(c: Complaint) -> ComplaintRow:
    return ComplaintRow(c.id, c.enrolment_id, c.received_on, c.reason,
                        ops_config.reason_label(c.reason), c.details, c.handling, c.closed_on)


# -- complaints ---------------------------------------------------------------------------------
def record_complaint(db: Database, *, enrolment_id: str, received_on: dt.date, reason: str,
                     details: str) -> str:
    if reason not in ops_config.COMPLAINT_REASONS:
        raise UserError(tr("Choisissez le motif de la réclamation."))
    _not_future(received_on, tr("La date de réception"))
    details = _text(details, tr("Description"))
    if not details:
        raise UserError(tr("Décrivez la réclamation."))
    with db.unit_of_work() as session:
        enrolment = require_enrolment(session, enrolment_id)
        if received_on < enrolment.enrolled_on:
            raise UserError(tr("La réclamation ne peut pas précéder l'inscription (le {date}).").format(
                date=fmt_date(enrolment.enrolled_on)))
        complaint = Complaint(id=new_id(), enrolment_id=enrolment.id, received_on=received_on,
                              reason=reason, details=details, handling="",
                              status=ComplaintStatus.OPEN, closed_on=None)
        _scoped(complaint, enrolment)
        session.add(complaint)
        return complaint.id


def handle_complaint(db: Database, *, complaint_id: str, handling: str,
                     closed_on: dt.date | None) -> ComplaintRow:
    """Records what was done; a closing date closes the complaint (None reopens it)."""
    handling = _text(handling, tr("Traitement"))
    with db.unit_of_work() as session:
        complaint = session.get(Complaint, complaint_id)
        if complaint is None or complaint.deleted_at is not None:
            raise UserError(tr("Réclamation introuvable : elle a peut-être été supprimée."))
        if closed_on is not None:
            _not_future(closed_on, tr("La date de clôture"))
            if closed_on < complaint.received_on:
                raise UserError(tr("La date de clôture précède la réception (le {date}).").format(
                    date=fmt_date(complaint.received_on)))
            if not handling:
                raise UserError(tr("Décrivez le traitement avant de clôturer la réclamation."))
        complaint.handling, complaint.closed_on = handling, closed_on
        complaint.status = ComplaintStatus.OPEN if closed_on is None else ComplaintStatus.CLOSED
        session.flush()
        return _complaint_row(complaint)


def complaints_of_company(db: Database, company_id: str) -> list[ComplaintRow]:
    """Every complaint of a company's enrolments, the latest received first."""
    with db.sessions() as session:
        rows = session.scalars(
            select(Complaint).join(Enrolment, Enrolment.id == Complaint.enrolment_id)
            .where(Enrolment.company_id == company_id, Complaint.deleted_at.is_(None))
            .order_by(Complaint.received_on.desc(), Complaint.id.desc()))
        return [_complaint_row(c) for c in rows]


# -- satisfaction ---------------------------------------------------------------------------------
def _survey_of(session: Session, enrolment_id: str) -> SatisfactionSurvey | None:
    return session.scalars(
        select(SatisfactionSurvey)
        .where(SatisfactionSurvey.enrolment_id == enrolment_id,
               SatisfactionSurvey.deleted_at.is_(None))
        .order_by(SatisfactionSurvey.answered_on.desc(), SatisfactionSurvey.id.desc())).first()


def record_survey(db: Database, *, enrolment_id: str, score: int, comment: str,
                  answered_on: dt.date) -> str:
    """The company's answer at the end of its track; a second answer replaces the first."""
    if score not in SCORES:
        raise UserError(tr("Choisissez une note de 1 à 5."))
    _not_future(answered_on, tr("La date de réponse"))
    comment = _text(comment, tr("Commentaire"))
    with db.unit_of_work() as session:
        enrolment = require_enrolment(session, enrolment_id)
        if enrolment.stage is not Stage.COMPLETED:
            raise UserError(tr("Le questionnaire de satisfaction se remplit à la fin du parcours : "
                               "cet accompagnement n'est pas terminé."))
        if answered_on < enrolment.enrolled_on:
            raise UserError(tr("La date de réponse précède l'inscription (le {date}).").format(
                date=fmt_date(enrolment.enrolled_on)))
        survey = _survey_of(session, enrolment_id)
        if survey is None:
            survey = SatisfactionSurvey(id=new_id(), enrolment_id=enrolment_id)
            _scoped(survey, enrolment)
            session.add(survey)
        survey.score, survey.comment, survey.answered_on = score, comment, answered_on
        return survey.id


def survey_of_enrolment(db: Database, enrolment_id: str) -> SurveyRow | None:
    with db.sessions() as session:
        s = _survey_of(session, enrolment_id)
        return None if s is None else SurveyRow(s.id, s.enrolment_id, s.answered_on, s.score, s.comment)


# -- financing ------------------------------------------------------------------------------------
def _payment_of(session: Session, enrolment_id: str) -> ContributionPayment | None:
    return session.scalars(
        select(ContributionPayment)
        .where(ContributionPayment.enrolment_id == enrolment_id,
               ContributionPayment.deleted_at.is_(None))
        .order_by(ContributionPayment.id)).first()


def financing_of(db: Database, enrolment_id: str) -> EnrolmentFinancing:
    config = ops_config.load_config()
    with db.sessions() as session:
        enrolment = require_enrolment(session, enrolment_id)
        payment = _payment_of(session, enrolment_id)
        tariff = config.tariffs.get(enrolment.track_code)
        status = payment.status if payment else PaymentStatus.DUE
        return EnrolmentFinancing(
            enrolment_id=enrolment_id, track_code=enrolment.track_code, currency=config.currency,
            priced=tariff is not None, price=tariff.price if tariff else 0.0,
            company_share=tariff.company_share if tariff else 0.0, subsidy=tariff.subsidy if tariff else 0.0,
            subsidy_payer=tariff.subsidy_payer if tariff else "", status=status,
            amount_received=payment.amount_received if payment else 0.0,
            received_on=payment.received_on if payment else None, note=payment.note if payment else "")


def record_payment(db: Database, *, enrolment_id: str, amount_received: float,
                   received_on: dt.date | None, waived: bool = False, note: str = "") -> PaymentStatus:
    """Records what the company paid of its contribution; the status follows the amount
    (nothing, part, all of the track's company share) unless the programme waived it."""
    config = ops_config.load_config()
    if amount_received < 0:
        raise UserError(tr("Le montant reçu ne peut pas être négatif."))
    if amount_received > 0 and received_on is None:
        raise UserError(tr("Indiquez la date du dernier versement."))
    if received_on is not None:
        _not_future(received_on, tr("La date du versement"))
    note = _text(note, tr("Note"))
    with db.unit_of_work() as session:
        enrolment = require_enrolment(session, enrolment_id)
        tariff = config.tariffs.get(enrolment.track_code)
        if tariff is None:
            raise UserError(tr("Aucun tarif pour le parcours {track} dans {file}.").format(
                track=enrolment.track_code, file=ops_config.FILE))
        if amount_received > tariff.company_share and not waived:
            raise UserError(tr("Le montant reçu dépasse la participation de l'entreprise "
                               "({amount} {currency}).").format(
                                   amount=f"{tariff.company_share:,.0f}".replace(",", " "),
                                   currency=config.currency))
        status = payment_status_for(amount_received, tariff.company_share, waived=waived)
        payment = _payment_of(session, enrolment_id)
        if payment is None:
            payment = ContributionPayment(id=new_id(), enrolment_id=enrolment_id)
            _scoped(payment, enrolment)
            session.add(payment)
        payment.status, payment.amount_received = status, float(amount_received)
        payment.received_on = received_on if amount_received > 0 else None
        payment.note = note
        return status


@dataclass(frozen=True)
class FollowUp:
    """What the company page's follow-up tab shows: its latest enrolment's financing and
    survey, and the complaints of all its enrolments (``enrolment_id`` None: never enrolled)."""

    enrolment_id: str | None
    track_name: str
    completed: bool
    financing: EnrolmentFinancing | None
    financing_error: str
    survey: SurveyRow | None
    complaints: tuple[ComplaintRow, ...]


def follow_up(db: Database, company_id: str) -> FollowUp:
    rows = enrolments_of_company(db, company_id)
    complaints = tuple(complaints_of_company(db, company_id))
    if not rows:
        return FollowUp(None, "", False, None, "", None, complaints)
    latest = rows[0]
    try:
        financing, error = financing_of(db, latest.id), ""
    except UserError as exc:
        financing, error = None, str(exc)
    return FollowUp(latest.id, latest.track_name, latest.stage == Stage.COMPLETED.value, financing, error,
                    survey_of_enrolment(db, latest.id), complaints)
