"""Attestations de participation: which participants of a group meet their track's
completion rules (and why not), issuing them one by one or for the whole group, reissuing.

Issued certificates are append-only rows: the facts printed are frozen in the row, a
reissue is a new row with a new number naming the one it replaces. Every certificate is
signed with this laptop's key (``sync.device_key``): issuing needs the laptop enrolled with
HQ, otherwise HQ could not check the QR code of a certificate it has not received yet.
The PDF files are written by ``services.certificate_files``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from advisor_app.domain import budget
from advisor_app.domain.action_plans import KeyProblem
from advisor_app.domain.base import new_id
from advisor_app.domain.certificates import Certificate
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.diagnostics import Diagnostic
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership
from advisor_app.domain.enums import CertificateKind, DiagnosticKind, DiagnosticStatus, PersonRole
from advisor_app.domain.labels import LEGAL_FORM_LABELS
from advisor_app.domain.reference import Advisor, Agency, ProgrammeTrack, Region
from advisor_app.domain.sessions import CoachingSession
from advisor_app.i18n import tr
from advisor_app.services import completion_rules as rules
from advisor_app.services.completion_rules import RuleCheck
from advisor_app.services.database import Database, device_id, get_setting, set_setting
from advisor_app.services.enrolments import current_advisor
from advisor_app.services.errors import UserError
from advisor_app.services.reference_names import name_of
from advisor_app.storage.repositories import groups as group_repo
from advisor_app.sync import device_key

THEMES_MAX = 8
COUNTER_KEY = "certificate_counter:{prefix}"


@dataclass(frozen=True)
class IssuedRow:
    id: str
    number: str
    issued_on: dt.date
    person_name: str
    company_name: str
    supersedes_number: str  # "" for a first issue


@dataclass(frozen=True)
class ParticipantRow:
    enrolment_id: str
    company_name: str
    person_id: str
    person_name: str
    person_name_ar: str
    checks: list[RuleCheck]
    certificate: IssuedRow | None  # the one in force

    @property
    def eligible(self) -> bool:
        return all(check.holds for check in self.checks)

    @property
    def reasons(self) -> list[str]:
        return rules.blocking_reasons(self.checks)


@dataclass(frozen=True)
class GroupCertificates:
    group_id: str
    group_name: str
    track_name: str
    can_sign: bool
    signing_problem: str  # why this laptop cannot issue, "" when it can
    key_missing: bool  # enrolled before certificates existed: ``certificate_key`` makes the key
    participants: list[ParticipantRow] = field(default_factory=list)


@dataclass(frozen=True)
class _Signer:
    hq_url: str
    hq_device: str
    prefix: str
    key: Any  # Ed25519PrivateKey


def _signer(session: Session, local_device: str) -> _Signer | str:
    """This laptop's signing identity, or the reason (current language) why it has none."""
    from advisor_app.sync import engine as sync_engine  # httpx: not before the window paints

    hq_url = get_setting(session, sync_engine.HQ_URL)
    hq_device = get_setting(session, sync_engine.HQ_DEVICE)
    public = get_setting(session, device_key.PUBLIC_KEY_SETTING)
    if hq_url and hq_device and not public:
        return tr("Cet ordinateur a été inscrit auprès du siège avant l'arrivée des attestations : "
                  "créez sa clé de signature (bouton « Créer la clé de signature », connexion au siège "
                  "nécessaire), puis délivrez les attestations.")
    if not hq_url or not hq_device or not public:
        return tr("Cet ordinateur n'est pas inscrit auprès du siège avec une clé de signature : "
                  "les attestations sont signées pour que le siège puisse les vérifier, même avant "
                  "leur synchronisation. Inscrivez-le (écran Synchronisation), puis revenez ici.")
    key = device_key.load_private_key(local_device)
    if key is None or device_key.public_text(key) != public:
        return tr("La clé de signature de cet ordinateur est introuvable (trousseau ou fichier "
                  "effacé) : inscrivez-le de nouveau auprès du siège avec un nouveau code.")
    return _Signer(hq_url, hq_device, device_key.key_prefix(public), key)


def signing_problem(db: Database) -> str:
    """"" when this laptop can issue certificates; otherwise why not."""
    with db.sessions() as session:
        signer = _signer(session, device_id(db))
    return signer if isinstance(signer, str) else ""


def _require_group(session: Session, group_id: str) -> CoachingGroup:
    group = group_repo.get_group(session, group_id)
    if group is None:
        raise UserError(tr("Groupe introuvable : il a peut-être été supprimé."))
    return group


def _full_name(person: Person) -> str:
    return " ".join(part for part in (person.first_name, person.last_name) if part)


def _full_name_ar(person: Person) -> str:
    return " ".join(part for part in (person.first_name_ar, person.last_name_ar) if part)


@dataclass
class _Facts:
    """What one participant's evaluation and certificate need, read once per group."""

    enrolment: Enrolment
    company: Company
    person: Person
    membership: GroupMembership
    usage: budget.Usage
    expected_sessions: list[budget.SessionCharge]
    attended: set[str]
    progress: rules.Progress
    checks: list[RuleCheck]


def _participants(session: Session, group: CoachingGroup, track: ProgrammeTrack) -> list[_Facts]:
    memberships = list(session.scalars(select(GroupMembership).where(
        GroupMembership.group_id == group.id, GroupMembership.deleted_at.is_(None))
        .order_by(GroupMembership.joined_on)))
    latest: dict[str, GroupMembership] = {}
    for membership in memberships:  # a company that left and came back: its last stay
        latest[membership.enrolment_id] = membership
    inputs = group_repo.budget_inputs(session, list(latest))
    track_rules = rules.rules_for(track.code, track.half_days)
    found: list[_Facts] = []
    for enrolment_id, membership in latest.items():
        enrolment = session.get(Enrolment, enrolment_id)
        if enrolment is None or enrolment.deleted_at is not None:
            continue
        company = session.get(Company, enrolment.company_id)
        assert company is not None
        item = inputs[enrolment_id]
        expected = budget.charged_sessions(item.sessions, item.windows)
        expected_ids = {s.id for s in expected}
        standing = [m for m in budget.latest_marks(item.marks).values() if m.session_id in expected_ids]
        people = [p for p in session.scalars(select(Person).where(
            Person.company_id == company.id, Person.deleted_at.is_(None)))]
        marked = {m.person_id for m in standing}
        # nobody on a sheet yet: the owner (or whoever the company has) shows what is missing
        listed = ([p for p in people if p.id in marked] or [p for p in people if p.role == PersonRole.OWNER]
                  or people)
        problems = session.scalar(select(func.count(KeyProblem.id)).where(
            KeyProblem.enrolment_id == enrolment_id, KeyProblem.validated_at.is_not(None),
            KeyProblem.deleted_at.is_(None))) or 0
        final_on = session.scalar(select(Diagnostic.conducted_on).where(
            Diagnostic.enrolment_id == enrolment_id, Diagnostic.kind == DiagnosticKind.FINAL,
            Diagnostic.status == DiagnosticStatus.VALIDATED, Diagnostic.deleted_at.is_(None))
            .order_by(Diagnostic.conducted_on.desc()).limit(1))
        for person in sorted(listed, key=lambda p: (_full_name(p).casefold(), p.id)):
            own = [m for m in item.marks if m.person_id == person.id]
            usage = budget.usage(track.half_days, item.sessions, item.windows, own)
            attended = {m.session_id for m in standing
                        if m.person_id == person.id and m.status in budget.ATTENDED}
            progress = rules.Progress(
                attendance_rate=usage.attendance_rate, present=usage.present, expected=usage.marks,
                half_days=usage.used, validated_problems=int(problems), problems_min=track.problems_min,
                final_diagnostic_on=final_on)
            found.append(_Facts(enrolment, company, person, membership, usage, expected, attended,
                                progress, rules.evaluate(track_rules, progress)))
    found.sort(key=lambda f: (f.company.name.casefold(), _full_name(f.person).casefold()))
    return found


def _in_force(session: Session, enrolment_ids: list[str]) -> dict[tuple[str, str], Certificate]:
    """(enrolment, person) -> the certificate in force: not replaced, not revoked."""
    rows = list(session.scalars(select(Certificate).where(
        Certificate.enrolment_id.in_(enrolment_ids), Certificate.deleted_at.is_(None))
        .order_by(Certificate.issued_on, Certificate.number)))
    replaced = {c.supersedes_id for c in rows if c.supersedes_id}
    return {(c.enrolment_id, c.person_id): c for c in rows
            if c.id not in replaced and c.revoked_at is None}


def _issued_row(session: Session, cert: Certificate) -> IssuedRow:
    old = session.get(Certificate, cert.supersedes_id) if cert.supersedes_id else None
    return IssuedRow(cert.id, cert.number, cert.issued_on, str(cert.facts.get("beneficiary", "")),
                     str(cert.facts.get("company", "")), old.number if old is not None else "")


def group_certificates(db: Database, group_id: str) -> GroupCertificates:
    """Every participant of the group (people on its attendance sheets; a company's owner
    when nobody of it has signed one yet) with the rules of the track and his certificate."""
    with db.sessions() as session:
        group = _require_group(session, group_id)
        track = session.get(ProgrammeTrack, group.track_code)
        assert track is not None
        signer = _signer(session, device_id(db))
        found = _participants(session, group, track)
        issued = _in_force(session, [f.enrolment.id for f in found])
        rows = []
        for f in found:
            cert = issued.get((f.enrolment.id, f.person.id))
            rows.append(ParticipantRow(
                f.enrolment.id, f.company.name, f.person.id, _full_name(f.person), _full_name_ar(f.person),
                f.checks, _issued_row(session, cert) if cert is not None else None))
        from advisor_app.sync import engine as sync_engine

        key_missing = isinstance(signer, str) and bool(get_setting(session, sync_engine.HQ_URL)) and \
            not get_setting(session, device_key.PUBLIC_KEY_SETTING)
        return GroupCertificates(group.id, group.name, name_of(track), not isinstance(signer, str),
                                 signer if isinstance(signer, str) else "", key_missing, rows)


def _themes(session: Session, f: _Facts) -> list[str]:
    if not f.attended:
        return []
    themes: list[str] = []
    for title, topics in session.execute(
            select(CoachingSession.title, CoachingSession.topics)
            .where(CoachingSession.id.in_(f.attended)).order_by(CoachingSession.held_on)):
        theme = " ".join((title or (topics or "").split("\n")[0]).split())
        if theme and theme.casefold() not in {t.casefold() for t in themes}:
            themes.append(theme)
    return themes[:THEMES_MAX]


def _facts(session: Session, group: CoachingGroup, track: ProgrammeTrack, f: _Facts,
           today: dt.date, number: str, supersedes: str) -> dict[str, Any]:
    region = session.get(Region, group.region_code)
    advisor_id = group.advisor_id or current_advisor(session)
    advisor = session.get(Advisor, advisor_id) if advisor_id else None
    agency = session.get(Agency, advisor.agency_id) if advisor is not None and advisor.agency_id else None
    start = max(d for d in (f.membership.joined_on, group.starts_on) if d is not None)
    ends = [d for d in (f.membership.left_on, group.ends_on, today) if d is not None]
    held = [s.held_on for s in f.expected_sessions if s.id in f.attended]
    programme = rules.programme()
    return {
        "kind": CertificateKind.PARTICIPATION.value, "number": number, "supersedes": supersedes,
        "beneficiary": _full_name(f.person), "beneficiary_ar": _full_name_ar(f.person),
        "gender": f.person.gender or "", "job_title": f.person.job_title or "",
        "company": f.company.name, "ice": f.company.ice or "",
        "legal_form": LEGAL_FORM_LABELS.get(f.company.legal_form, str(f.company.legal_form)),
        "programme": programme.name_fr, "programme_ar": programme.name_ar,
        "track": track.name_fr, "track_ar": track.name_ar, "group": group.name,
        "region": region.name_fr if region is not None else group.region_code,
        "region_ar": region.name_ar if region is not None else "",
        "period_start": start.isoformat(),
        "period_end": max(min(ends), max(held, default=start), start).isoformat(),
        "half_days": f.usage.used, "half_days_planned": float(track.half_days),
        "attendance_rate": f.usage.attendance_rate,
        "sessions_attended": f.usage.present, "sessions_expected": f.usage.marks,
        "themes": _themes(session, f),
        "place": group.territory or (agency.city if agency is not None else "") or f.company.city,
        "issued_on": today.isoformat(),
        "advisor": advisor.name if advisor is not None else "",
        "advisor_title": programme.advisor_title, "manager_title": programme.manager_title,
    }


def _next_number(session: Session, signer: _Signer) -> tuple[str, int]:
    """The laptop's next number. The counter never goes back, even for a database restored
    from an older backup: the certificates already issued with this prefix (kept here, or
    pulled back from HQ) count too."""
    key = COUNTER_KEY.format(prefix=signer.prefix)
    head = f"{device_key.NUMBER_KIND}-{signer.prefix}-"
    highest = session.scalar(select(func.max(Certificate.number)).where(Certificate.number.like(f"{head}%")))
    counter = max(int(get_setting(session, key) or 0), int(highest[len(head):]) if highest else 0) + 1
    set_setting(session, key, str(counter))
    return device_key.certificate_number(signer.prefix, counter), counter


def _new_certificate(session: Session, signer: _Signer, group: CoachingGroup, track: ProgrammeTrack,
                     f: _Facts, today: dt.date, supersedes: Certificate | None) -> Certificate:
    number, counter = _next_number(session, signer)
    facts = _facts(session, group, track, f, today, number, supersedes.number if supersedes else "")
    facts["verify_base"] = signer.hq_url.rstrip("/")
    code = device_key.sign_code(signer.key, device_id=signer.hq_device, counter=counter, issued_on=today,
                                facts=facts, name=facts["beneficiary"])
    cert = Certificate(id=new_id(), number=number, kind=CertificateKind.PARTICIPATION,
                       enrolment_id=f.enrolment.id, person_id=f.person.id, issued_on=today,
                       issued_by=current_advisor(session), facts=facts, signature=code,
                       supersedes_id=supersedes.id if supersedes else None, revoked_reason="")
    cert.set_scope(region=f.enrolment.scope_region or f.company.region_code,
                   advisor=f.enrolment.scope_advisor, group=group.id)
    session.add(cert)
    return cert


def verification_url(hq_url: str, code: str) -> str:
    return f"{hq_url.rstrip('/')}/verify/{code}"


def issue_certificates(db: Database, *, group_id: str, person_ids: list[str] | None = None,
                       today: dt.date | None = None) -> list[IssuedRow]:
    """Issues a certificate to each participant named (every eligible participant without
    one when ``person_ids`` is None), in one transaction. A named participant who does not
    meet the rules, or already has a certificate, is a ``UserError`` (nothing issued)."""
    today = today or dt.date.today()
    with db.unit_of_work() as session:
        group = _require_group(session, group_id)
        track = session.get(ProgrammeTrack, group.track_code)
        assert track is not None
        signer = _signer(session, device_id(db))
        if isinstance(signer, str):
            raise UserError(signer)
        found = _participants(session, group, track)
        issued = _in_force(session, [f.enrolment.id for f in found])
        if person_ids is None:
            chosen = [f for f in found if all(c.holds for c in f.checks)
                      and (f.enrolment.id, f.person.id) not in issued]
        else:
            by_person = {f.person.id: f for f in found}
            unknown = [pid for pid in person_ids if pid not in by_person]
            if unknown:
                raise UserError(tr("Ce participant ne fait pas partie du groupe."))
            chosen = [by_person[pid] for pid in dict.fromkeys(person_ids)]
            for f in chosen:
                existing = issued.get((f.enrolment.id, f.person.id))
                if existing is not None:
                    raise UserError(tr("{name} a déjà l'attestation n° {number} : réémettez-la pour la "
                                       "corriger.").format(name=_full_name(f.person), number=existing.number))
                reasons = rules.blocking_reasons(f.checks)
                if reasons:
                    raise UserError(tr("{name} ne remplit pas encore les conditions : {reasons}").format(
                        name=_full_name(f.person), reasons=" ; ".join(reasons)))
        made = [_new_certificate(session, signer, group, track, f, today, None) for f in chosen]
        session.flush()
        return [_issued_row(session, cert) for cert in made]


def reissue_certificate(db: Database, certificate_id: str, *, today: dt.date | None = None) -> IssuedRow:
    """A new certificate (new number, facts read again: a corrected name, say) replacing
    ``certificate_id``, which stays on record. The rules are not checked again: they held
    when the first one was issued."""
    today = today or dt.date.today()
    with db.unit_of_work() as session:
        old = session.get(Certificate, certificate_id)
        if old is None or old.deleted_at is not None:
            raise UserError(tr("Attestation introuvable."))
        newer = session.scalar(select(Certificate.number).where(Certificate.supersedes_id == old.id))
        if newer is not None:
            raise UserError(tr("L'attestation n° {old} a déjà été remplacée par le n° {new}.").format(
                old=old.number, new=newer))
        signer = _signer(session, device_id(db))
        if isinstance(signer, str):
            raise UserError(signer)
        group_id = old.scope_group or ""
        group = _require_group(session, group_id)
        track = session.get(ProgrammeTrack, group.track_code)
        assert track is not None
        found = [f for f in _participants(session, group, track)
                 if f.enrolment.id == old.enrolment_id and f.person.id == old.person_id]
        if not found:
            raise UserError(tr("Le participant de cette attestation n'est plus dans le groupe."))
        cert = _new_certificate(session, signer, group, track, found[0], today, old)
        session.flush()
        return _issued_row(session, cert)


def certificate_url(facts: dict[str, Any], code: str) -> str:
    """The verification URL printed (and put in the QR code) on a certificate."""
    return verification_url(str(facts.get("verify_base", "")), code)
