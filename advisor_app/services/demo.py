"""Demo data: a realistic, reproducible portfolio (``advisor-app demo --db PATH --companies N``).

Same ``seed`` and ``as_of`` give the same rows, ids included: ids are UUIDv7 built from a
seeded generator and a clock derived from ``as_of``, and every date and timestamp is placed
relative to ``as_of``. Rows go in through ``demo_writer`` (outside the change capture on
purpose: demo data must never reach HQ; the ``demo_data`` setting marks the database).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain.companies import Company
from advisor_app.domain.enums import Stage
from advisor_app.domain.questionnaires import Questionnaire, QuestionnaireAxis, QuestionnaireItem
from advisor_app.domain.reference import Agency, ProgrammeTrack, Region, Sector
from advisor_app.services import demo_names as n
from advisor_app.services.database import ADVISOR_KEY, DEMO_KEY, Database, get_setting, set_setting
from advisor_app.services.demo_sessions import DAY, DemoAdvisor, DemoMember, Row, SessionMaker
from advisor_app.services.demo_writer import BulkWriter
from advisor_app.services.errors import UserError
from advisor_app.storage.resources import ResourceError
from advisor_app.sync.capture import ADVISOR_ID

MAX_COMPANIES = 200_000
EMPTY_ONLY = "la démo se génère dans une base vide."
COMPANIES_PER_ADVISOR = 40
TRACK_SHARES = {"PERF-CIBLEE": 0.6, "PERF-APPROFONDIE": 0.4}
TABLES = (  # written tables, and the DemoSummary field counting each
    "advisor", "company", "person", "enrolment", "stage_transition", "coaching_group",
    "group_membership", "diagnostic", "diagnostic_answer", "key_problem", "action", "indicator",
    "indicator_reading", "coaching_session", "attendance", "commitment")
SUMMARY = (
    "advisors", "companies", "people", "enrolments", "stage_transitions", "groups", "memberships",
    "diagnostics", "diagnostic_answers", "key_problems", "actions", "indicators", "readings",
    "sessions", "attendance", "commitments")


@dataclass(frozen=True)
class DemoSummary:
    companies: int
    people: int
    groups: int
    sessions: int
    diagnostics: int
    advisors: int = 0
    enrolments: int = 0
    stage_transitions: int = 0
    memberships: int = 0
    diagnostic_answers: int = 0
    key_problems: int = 0
    actions: int = 0
    indicators: int = 0
    readings: int = 0
    attendance: int = 0
    commitments: int = 0
    stages: tuple[tuple[str, int], ...] = ()  # enrolments per current stage


class _Generator:
    def __init__(self, session: Session, vocab: n.Vocabulary, seed: int, as_of: dt.date) -> None:
        self.rng = random.Random(seed)
        self.ids = n.IdMaker(random.Random(f"mowakaba-demo-ids-{seed}"), n.at(as_of, 6))
        self.vocab, self.today = vocab, as_of
        self.out = BulkWriter(session, TABLES)
        self.sessions = SessionMaker(self.rng, self.ids, vocab, as_of, self.out)
        self.advisors: list[DemoAdvisor] = []
        self.companies = n.CompanyMaker(self.rng, self.ids, vocab, self.out.add)
        self.emails: Counter[str] = Counter()
        self.stages: Counter[str] = Counter()
        self.group_numbers: Counter[str] = Counter()
        self._load_reference(session)

    def _load_reference(self, session: Session) -> None:
        self.regions = list(session.scalars(
            select(Region.code).where(Region.deleted_at.is_(None)).order_by(Region.position)))
        self.agencies: dict[str, list[tuple[str, str]]] = {}
        for agency_id, city, region in session.execute(
                select(Agency.id, Agency.city, Agency.region_code).order_by(Agency.code)):
            self.agencies.setdefault(region, []).append((agency_id, city))
        self.sectors: dict[str, str] = {code: name for code, name in session.execute(
            select(Sector.code, Sector.name_fr).order_by(Sector.code))}
        self.tracks = {t.code: t for t in session.scalars(select(ProgrammeTrack))}
        questionnaire = session.scalar(select(Questionnaire.id).where(Questionnaire.deleted_at.is_(None))
                                       .order_by((Questionnaire.code == "AUTODIAG").desc(),
                                                 Questionnaire.version.desc()).limit(1))
        if not (self.regions and self.sectors and questionnaire and set(self.tracks) >= set(TRACK_SHARES)):
            raise UserError("Données de référence incomplètes (régions, secteurs, parcours ou "
                            "questionnaire) : rechargez-les avant de générer la démo.")
        self.questionnaire_id: str = questionnaire
        self.axes: dict[str, list[tuple[str, str]]] = {}  # axis code -> [(item id, item code)]
        for axis, item_id, item_code in session.execute(
                select(QuestionnaireAxis.code, QuestionnaireItem.id, QuestionnaireItem.code)
                .join(QuestionnaireItem, QuestionnaireItem.axis_id == QuestionnaireAxis.id)
                .where(QuestionnaireAxis.questionnaire_id == questionnaire)
                .order_by(QuestionnaireAxis.position, QuestionnaireItem.position)):
            self.axes.setdefault(axis, []).append((item_id, item_code))
        self.region_weights = {r: n.REGION_WEIGHTS.get(r, 1.0) for r in self.regions}
        self.sector_weights = {
            r: {s: n.SECTOR_WEIGHTS.get(s, 1.0) * n.REGION_SECTOR_BOOST.get(r, {}).get(s, 1.0)
                for s in self.sectors} for r in self.regions}

    # -- advisors and portfolios ------------------------------------------------------------
    def run(self, companies: int) -> None:
        rng, advisors = self.rng, self.advisors
        count = max(  # one advisor below 16 companies: a small demo still fills a group
            1 if companies < 16 else 2, round(companies / COMPANIES_PER_ADVISOR))
        advisors.extend(self._advisor() for _ in range(count))
        weights = [rng.uniform(0.75, 1.25) for _ in advisors]
        raw = [companies * w / sum(weights) for w in weights]
        quotas = [int(x) for x in raw]
        for i in sorted(range(len(raw)), key=lambda i: quotas[i] - raw[i])[: companies - sum(quotas)]:
            quotas[i] += 1
        for advisor, quota in zip(advisors, quotas, strict=True):
            self._portfolio(advisor, quota)
        self.out.flush()

    def _advisor(self) -> DemoAdvisor:
        rng = self.rng
        region = n.weighted_pick(rng, self.region_weights)
        agency = rng.choice(self.agencies[region]) if self.agencies.get(region) else None
        first = rng.choice(self.vocab.female if rng.random() < 0.45 else self.vocab.male)[0]
        last = rng.choice(self.vocab.last)[0]
        advisor = DemoAdvisor(self.ids(), f"{first} {last}", region, agency[1] if agency else None)
        self.out.add("advisor", {
            "id": advisor.id, "name": advisor.name, "email": n.advisor_email(first, last, self.emails),
            "phone": self.companies.phones.mobile(), "region_code": region,
            "agency_id": agency[0] if agency else None, "active": True, "row_version": 0,
            "updated_at": n.at(self.today - rng.randint(400, 900) * DAY, 10)})
        return advisor

    def _portfolio(self, advisor: DemoAdvisor, count: int) -> None:
        rng = self.rng
        waiting = count if count < 4 else min(count - 4, round(count * rng.uniform(0.12, 0.22)))
        left = count - waiting
        while left >= 4:
            size = rng.randint(5, 10)
            if left - size < 4:
                size = left if left <= 10 else left - 4
            self._group(advisor, size)
            self.out.checkpoint()
            left -= size
        for _ in range(waiting):
            self._waiting(advisor)
            self.out.checkpoint()

    def _city(self, advisor: DemoAdvisor, near: str | None, p_near: float) -> str:
        if near and self.rng.random() < p_near:
            return near
        return self.rng.choice(self.vocab.cities.get(advisor.region) or ["—"])

    # -- enrolments -------------------------------------------------------------------------
    def _enrolment(self, company_id: str, base: Row, advisor: DemoAdvisor, track: str,
                   events: list[tuple[Stage, dt.datetime]], reason: str, ended: dt.date | None) -> str:
        eid = self.ids()
        stage, changed = events[-1]
        self.stages[stage.value] += 1
        self.out.add("enrolment", {
            **base, "id": eid, "updated_at": changed, "company_id": company_id,
            "track_code": track, "advisor_id": advisor.id, "stage": stage.value,
            "stage_changed_at": changed, "enrolled_on": events[0][1].date(), "ended_on": ended,
            "drop_reason": reason})
        previous: str | None = None
        for to_stage, when in events:
            self.out.add("stage_transition", {
                **base, "id": self.ids(), "updated_at": when, "enrolment_id": eid,
                "from_stage": previous, "to_stage": to_stage.value, "at": when,
                "reason": reason if to_stage is Stage.DROPPED else ""})
            previous = to_stage.value
        return eid

    def _waiting(self, advisor: DemoAdvisor) -> None:
        """A company enrolled recently and not yet in a group: registered or diagnosed."""
        rng = self.rng
        sector = n.weighted_pick(rng, self.sector_weights[advisor.region])
        enrolled = n.workday(self.today - rng.randint(0, 75) * DAY, back=True)
        cid, _, base = self.companies(advisor.id, advisor.region, sector,
                                      self._city(advisor, advisor.agency_city, 0.5), None, enrolled)
        events = [(Stage.REGISTERED, n.at(enrolled, 10, rng.randrange(60)))]
        diag_on = n.workday(enrolled + rng.randint(4, 30) * DAY)
        if diag_on <= self.today and rng.random() < 0.6:
            events.append((Stage.DIAGNOSED, n.at(diag_on, 16, rng.randrange(60))))
        eid = self._enrolment(cid, base, advisor, n.weighted_pick(rng, TRACK_SHARES), events, "", None)
        if len(events) > 1:
            self._diagnostic(eid, base, advisor.id, "initial", diag_on, events[1][1],
                             n.initial_scores(rng, self.axes))

    def _group(self, advisor: DemoAdvisor, size: int) -> None:
        rng, today = self.rng, self.today
        track = self.tracks[n.weighted_pick(rng, TRACK_SHARES)]
        span = (n.add_months(today, track.duration_months) - today).days
        back = span + rng.randint(5, 240) if rng.random() < 0.25 else rng.randint(0, span - 10)
        start = n.workday(today - back * DAY, back=True)
        end = n.workday(n.add_months(start, track.duration_months), back=True)
        sector = n.weighted_pick(rng, self.sector_weights[advisor.region])
        territory = self._city(advisor, advisor.agency_city, 0.6)
        gid = self.ids()
        self.group_numbers[territory] += 1
        base: Row = {"row_version": 0, "updated_by": advisor.id, "scope_region": advisor.region,
                     "scope_advisor": advisor.id, "scope_group": gid}
        self.out.add("coaching_group", {
            **base, "id": gid, "updated_at": n.at(start - 7 * DAY, 11),
            "name": f"{territory} · {self.sectors[sector]} · G{self.group_numbers[territory]}",
            "track_code": track.code, "sector_code": sector, "region_code": advisor.region,
            "territory": territory, "advisor_id": advisor.id, "starts_on": start, "ends_on": end})
        late = 0 if size <= 4 else min(size - 4, rng.choice([0, 0, 1, 1, 2]))
        members = []
        for k in range(size):
            joined = start
            if k >= size - late and start + 20 * DAY <= today:  # permanent entry
                joined = min(n.workday(start + rng.randint(14, 45) * DAY, back=True),
                             n.workday(today, back=True))
            member_sector = (sector if rng.random() < 0.75
                             else n.weighted_pick(rng, self.sector_weights[advisor.region]))
            members.append(self._member(advisor, track, gid, member_sector,
                                        self._city(advisor, territory, 0.65), joined, end))
        self.sessions.for_group(advisor, track, base, start, end, members)

    def _member(self, advisor: DemoAdvisor, track: ProgrammeTrack, gid: str, sector: str, city: str,
                joined: dt.date, end: dt.date) -> DemoMember:
        rng, today = self.rng, self.today
        enrolled = n.workday(joined - rng.randint(25, 80) * DAY, back=True)
        cid, people, base = self.companies(advisor.id, advisor.region, sector, city, gid, enrolled)
        diag_on = n.workday(enrolled + rng.randint(5, (joined - enrolled).days - 5) * DAY, back=True)
        plan_on = n.workday(joined + rng.randint(21, 42) * DAY)
        coach_on = n.workday(plan_on + rng.randint(3, 24) * DAY)
        timeline = ((Stage.REGISTERED, enrolled, 10), (Stage.DIAGNOSED, diag_on, 16),
                    (Stage.IN_GROUP, joined, 13), (Stage.PLAN_VALIDATED, plan_on, 12),
                    (Stage.COACHING, coach_on, 11), (Stage.COMPLETED, end, 18))
        events = [(stage, n.at(day, hour, rng.randrange(60))) for stage, day, hour in timeline
                  if day <= today]
        last_day = min(end, today)
        drop_on: dt.date | None = None
        reason = ""
        if rng.random() < 0.09 and (last_day - joined).days > 16:
            drop_on = joined + rng.randint(15, (last_day - joined).days - 1) * DAY
            reason = rng.choice(self.vocab.drop_reasons)
            events = [e for e in events if e[1].date() < drop_on]
            events.append((Stage.DROPPED, n.at(drop_on, 17, rng.randrange(60))))
        reached = {stage for stage, _ in events}
        completed = Stage.COMPLETED in reached
        eid = self._enrolment(cid, base, advisor, track.code, events, reason,
                              end if completed else drop_on)
        self.out.add("group_membership", {
            **base, "id": self.ids(), "updated_at": n.at(drop_on or joined, 17), "group_id": gid,
            "enrolment_id": eid, "joined_on": joined, "left_on": drop_on, "leave_reason": reason})
        scores = n.initial_scores(rng, self.axes)
        weakest = sorted(scores, key=lambda axis: (n.axis_mean(scores[axis]), rng.random()))
        problems = rng.randint(track.problems_min, track.problems_max)
        focus = weakest[:problems] if Stage.PLAN_VALIDATED in reached else []
        t0 = self._diagnostic(eid, base, advisor.id, "initial", diag_on, events[1][1], scores,
                              frozenset(n.weakest_item(scores[a])[1] for a in focus))
        if completed:
            final_on = n.workday(end - rng.randint(1, 8) * DAY, back=True)
            self._diagnostic(eid, base, advisor.id, "final", final_on,
                             n.at(final_on, 16, rng.randrange(60)), n.improved_scores(rng, scores, focus))
        if focus:
            ref = min(today, drop_on or today, end)
            self._plan(eid, t0, base, people, focus, scores, plan_on, events[3][1], end, ref, completed)
        engagement = rng.uniform(0.5, 0.72) if drop_on else rng.uniform(0.75, 0.97)
        return DemoMember(eid, people, base, joined, drop_on, engagement)

    # -- diagnostics and action plans -------------------------------------------------------
    def _diagnostic(self, eid: str, base: Row, advisor_id: str, kind: str, on: dt.date,
                    validated: dt.datetime, scores: n.Scores, priority: frozenset[str] = frozenset()) -> str:
        rng = self.rng
        did = self.ids()
        self.out.add("diagnostic", {
            **base, "id": did, "updated_at": validated, "enrolment_id": eid,
            "questionnaire_id": self.questionnaire_id, "kind": kind, "status": "validated",
            "version": 1, "conducted_on": on, "validated_at": validated, "validated_by": advisor_id,
            "notes": "" if kind == "initial" else "Diagnostic de fin d'accompagnement."})
        add, ids, random_ = self.out.add, self.ids, rng.random
        common = {**base, "updated_at": validated, "diagnostic_id": did}
        for rows in scores.values():
            for item_id, code, ent, adv, imp in rows:
                evidence = ""
                if adv >= 0 and random_() < 0.25:
                    evidence = rng.choice(n.FINAL_EVIDENCE if kind == "final"
                                          else n.EVIDENCE[0 if adv <= 1 else 1 if adv == 2 else 2])
                add("diagnostic_answer", {
                    **common, "id": ids(), "item_id": item_id, "entrepreneur_score": ent,
                    "advisor_score": adv, "importance": imp, "evidence": evidence,
                    "is_priority": code in priority})
        return did

    def _plan(self, eid: str, t0: str, base: Row, people: list[str], focus: list[str],
              scores: n.Scores, plan_on: dt.date, validated: dt.datetime, target: dt.date,
              ref: dt.date, completed: bool) -> None:
        rng, vocab = self.rng, self.vocab
        for position, axis in enumerate(focus, start=1):
            title, cause = rng.choice(vocab.key_problems.get(axis) or [("Problème clé", "")])
            indicators = vocab.indicators.get(axis) or [("Indicateur de résultat", "%", 0.0, 100.0)]
            chosen = rng.sample(indicators, rng.randint(1, min(2, len(indicators))))
            values = [(name, unit, n.indicator_baseline(rng, b, t, unit), t) for name, unit, b, t in chosen]
            name, unit, b, t = values[0]
            kpid = self.ids()
            self.out.add("key_problem", {
                **base, "id": kpid, "updated_at": validated, "enrolment_id": eid,
                "diagnostic_id": t0, "axis_code": axis, "item_code": n.weakest_item(scores[axis])[1],
                "position": position, "title": title, "root_cause": cause, "target_on": target,
                "objective": f"Faire passer « {name} » de {n.format_amount(b, unit)} à "
                             f"{n.format_amount(t, unit)} d'ici le {target:%d/%m/%Y}.",
                "validated_at": validated})
            titles = vocab.actions.get(axis) or ["Action d'amélioration"]
            count = rng.randint(3, 5)
            span = max(30, (target - plan_on).days)
            for j, action in enumerate((rng.sample(titles, min(count, len(titles))) * 2)[:count]):
                starts = min(target, plan_on + int(span * j / (count + 1) * rng.uniform(0.5, 1.0)) * DAY)
                due = max(starts, min(target, starts + rng.randint(21, span // count + 21) * DAY))
                status, progress, done = n.action_status(rng, starts, due, ref, completed)
                self.out.add("action", {
                    **base, "id": self.ids(), "key_problem_id": kpid, "title": action,
                    "updated_at": n.at(done or min(ref, max(starts, plan_on)), 18),
                    "owner_person_id": people[0] if rng.random() < 0.5 else rng.choice(people),
                    "starts_on": starts, "due_on": due, "status": status, "progress": progress,
                    "done_on": done})
            for name, unit, b, t in values:
                iid = self.ids()
                self.out.add("indicator", {
                    **base, "id": iid, "updated_at": validated, "key_problem_id": kpid,
                    "name": name, "unit": unit, "baseline_value": b, "baseline_on": plan_on,
                    "target_value": t, "target_on": target,
                    "kind": "means" if name in n.MEANS_INDICATORS else "result"})
                room = (ref - plan_on).days
                for k in range(readings := rng.randint(1, 3) if room >= 3 else 1):
                    read_on = plan_on + max(1, room * (k + 1) // readings) * DAY if room > 0 else ref
                    frac = min(1.0, (read_on - plan_on).days / max(1, (target - plan_on).days))
                    self.out.add("indicator_reading", {
                        **base, "id": self.ids(), "updated_at": n.at(read_on, 18),
                        "indicator_id": iid, "read_on": read_on, "note": rng.choice(n.READING_NOTES),
                        "value": n.round_value(b + (t - b) * frac * rng.uniform(0.5, 1.15), unit)})


def generate_demo(db: Database, *, companies: int, seed: int = 1,
                  as_of: dt.date | None = None) -> DemoSummary:
    """Fills an empty database with a demo portfolio, in one transaction; outbox untouched."""
    if not 1 <= companies <= MAX_COMPANIES:
        raise UserError(f"Le nombre d'entreprises doit être compris entre 1 et 200 000 "
                        f"({companies} demandé).")
    as_of = as_of or dt.date.today()
    try:
        vocab = n.load_vocabulary()
    except (ResourceError, KeyError, ValueError) as exc:
        raise UserError(f"Fichier de démonstration invalide (demo/names.toml) : {exc}") from exc
    # One transaction: all or nothing (measured: committing chunk by chunk is no faster).
    with db.unit_of_work() as session:
        if session.scalar(select(Company.id).limit(1)) is not None:
            raise UserError("La base contient déjà des entreprises ; " + EMPTY_ONLY)
        if get_setting(session, ADVISOR_KEY) is not None:
            raise UserError("La base est celle d'un conseiller rattaché ; " + EMPTY_ONLY)
        generator = _Generator(session, vocab, seed, as_of)
        generator.run(companies)
        set_setting(session, ADVISOR_KEY, generator.advisors[0].id)
        set_setting(session, DEMO_KEY, "1")
    # Later edits in this process are stamped with the demo advisor, as after a reopen.
    db.sessions.configure(info={**(db.sessions.kw.get("info") or {}), ADVISOR_ID: generator.advisors[0].id})
    totals = generator.out.totals
    return DemoSummary(**{name: totals[table] for name, table in zip(SUMMARY, TABLES, strict=True)},
                       stages=tuple(sorted(generator.stages.items())))
