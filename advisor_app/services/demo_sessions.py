"""Demo sessions of a coaching group: kickoff, workshops and individual visits within the
track's half-day budget, the attendance sheet of each, and the commitments made there
(reviewed and closed at a later session). Used by ``demo``; same rng, same rows."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from advisor_app.domain.reference import ProgrammeTrack
from advisor_app.services import demo_names as n
from advisor_app.services.demo_writer import BulkWriter

Row = dict[str, Any]
DAY = dt.timedelta(days=1)
COMMITMENT_OUTCOMES: tuple[tuple[float, int, str], ...] = (
    (0.72, 0, "done"), (0.8, 0, "dropped"), (0.88, 1, "done"), (1.0, -1, "open"))
KICKOFF_TOPIC = "Lancement du groupe : présentation du programme et des règles du groupe"


class DemoAdvisor(NamedTuple):
    id: str
    name: str
    region: str
    agency_city: str | None


@dataclass(frozen=True)
class DemoMember:
    enrolment_id: str
    people: list[str]  # owner first, then pilots
    base: Row  # sync columns shared by the company's rows
    joined: dt.date
    left: dt.date | None
    engagement: float


class SessionMaker:
    def __init__(self, rng: random.Random, ids: Callable[[], str], vocab: n.Vocabulary,
                 today: dt.date, out: BulkWriter) -> None:
        self.rng, self.ids, self.vocab, self.today, self.out = rng, ids, vocab, today, out

    def for_group(self, advisor: DemoAdvisor, track: ProgrammeTrack, base: Row, start: dt.date,
                  end: dt.date, members: list[DemoMember]) -> None:
        """Kickoff then workshops, group + individual half-days within budget, up to as_of."""
        rng, today, vocab = self.rng, self.today, self.vocab
        visits = min(1 if track.half_days <= 8 else 2, max(0, track.half_days - 1))
        count = max(1, track.half_days - visits)  # group sessions, kickoff included
        gap = (end - start).days / max(1, count - 1)
        planned = [start] + [
            n.workday(start + round(i * gap + (rng.randint(-2, 2) if i < count - 1 else 0)) * DAY, back=True)
            for i in range(1, count)]
        home = rng.choice([p for p in vocab.places if "site" not in p and "Visio" not in p] or vocab.places)
        topics = vocab.topics[1:-1] or vocab.topics
        held = [d for d in planned if d <= today]
        sids = [self.ids() for _ in held]
        for i, day in enumerate(held):
            kind = ("kickoff" if i == 0 else "closing" if i == count - 1
                    else "review" if i == count // 2 else "group_workshop")
            if kind == "kickoff":
                subjects = [KICKOFF_TOPIC, vocab.topics[0]]
            elif kind == "closing":
                subjects = [vocab.topics[-1]]
            else:
                pos = min(len(topics) - 1, int((i - 1) / max(1, count - 2) * len(topics)) + rng.randint(0, 1))
                subjects = [topics[pos]] + ([rng.choice(topics)] if rng.random() < 0.3 else [])
            morning = rng.random() < 0.7
            active = [m for m in members if m.joined <= day and (m.left is None or day < m.left)]
            present = self._attendance(sids[i], day, (9, 0) if morning else (14, 0), active)
            nxt = planned[i + 1] if i + 1 < len(planned) else None
            self._session(sids[i], base, advisor, "group", day, morning, 3.5, rng.choice(
                vocab.places) if rng.random() < 0.05 else home, subjects, kind,
                f"{len({m.enrolment_id for m, _ in present})} entreprise(s) représentée(s) "
                f"sur {len(active)}.",
                f"Prochaine séance le {nxt:%d/%m/%Y}." if nxt else "Clôture ; remise des attestations.")
            for member, person in rng.sample(present, min(len(present), rng.randint(2, 3))):
                self._commitment(sids[i], member, person, day, nxt or day + 14 * DAY,
                                 held[i + 1:], sids[i + 1:])
        for rank, m in enumerate(members):  # one visit per afternoon: a working day apart
            stop = min(m.left or end, end)
            first = m.joined + 21 * DAY
            for k in range(visits):
                day = n.add_workdays(n.workday(first + (stop - first) * (k + 1) // (visits + 1),
                                               back=True), rank)
                if day > today or day >= stop or day < m.joined:
                    continue
                sid = self.ids()
                self._attendance(sid, day, (14, 30), [m])
                self._session(sid, m.base, advisor, m.enrolment_id, day, False, 3.0,
                              "Sur site (dans l'entreprise)", [rng.choice(topics)], "individual_visit",
                              "Visite de suivi du plan d'action.", "")
                after = bisect.bisect_right(held, day)
                self._commitment(sid, m, rng.choice(m.people), day, day + 14 * DAY,
                                 held[after:after + 1], sids[after:after + 1])

    def _session(self, sid: str, base: Row, advisor: DemoAdvisor, target: str, day: dt.date,
                 morning: bool, hours: float, place: str, subjects: list[str], kind: str,
                 notes: str, decisions: str) -> None:
        begin = (9, 0) if morning else (14, 0) if hours > 3 else (14, 30)
        finish = dt.datetime(2000, 1, 1, *begin) + dt.timedelta(hours=hours)
        invited = ", expert invité" if kind == "group_workshop" and self.rng.random() < 0.1 else ""
        self.out.add("coaching_session", {
            **base, "id": sid, "updated_at": n.at(day, finish.hour, finish.minute), "kind": kind,
            "group_id": base["scope_group"] if target == "group" else None,
            "enrolment_id": None if target == "group" else target, "advisor_id": advisor.id,
            "held_on": day, "starts_at": dt.time(*begin), "ends_at": finish.time(),
            "half_days": 1.0, "place": place, "facilitators": advisor.name + invited,
            "title": "Visite individuelle" if target != "group" else subjects[0],
            "topics": "\n".join(subjects), "notes": notes, "decisions": decisions})

    def _attendance(self, sid: str, day: dt.date, begin: tuple[int, int],
                    members: list[DemoMember]) -> list[tuple[DemoMember, str]]:
        """One row per owner and pilot of each member; returns who was there."""
        rng = self.rng
        present: list[tuple[DemoMember, str]] = []
        for m in members:
            for k, person in enumerate(m.people):
                arrived = None
                if rng.random() < m.engagement - 0.05 * bool(k):
                    status = "late" if rng.random() < 0.08 else "present"
                    present.append((m, person))
                    if status == "late":
                        arrived = (dt.datetime(2000, 1, 1, *begin)
                                   + dt.timedelta(minutes=rng.randrange(15, 50, 5))).time()
                else:
                    status = "excused" if rng.random() < 0.55 else "absent"
                note = rng.choice(n.ATTENDANCE_NOTES[status]) if status != "present" else ""
                self.out.add("attendance", {
                    **m.base, "id": self.ids(), "updated_at": n.at(day, begin[0] + 4),
                    "session_id": sid, "person_id": person, "enrolment_id": m.enrolment_id,
                    "status": status, "arrived_at": arrived, "note": note})
        return present

    def _commitment(self, sid: str, m: DemoMember, person: str, day: dt.date, due: dt.date,
                    later: list[dt.date], later_ids: list[str]) -> None:
        """Reviewed at the next session (sometimes the one after); some stay open."""
        rng = self.rng
        r = rng.random()
        # done at the next session 72 %, dropped there 8 %, done one session later 8 %, open 12 %
        step, status = next((step, status) for limit, step, status in COMMITMENT_OUTCOMES if r < limit)
        closed_in, closed_on = None, None
        if not 0 <= step < len(later):
            status = "open"
        elif m.left is not None and later[step] >= m.left:  # the company left the group first
            status, closed_on = "dropped", m.left
        else:
            closed_in, closed_on = later_ids[step], later[step]
        self.out.add("commitment", {
            **m.base, "id": self.ids(), "updated_at": n.at(closed_on or day, 13),
            "session_id": sid, "enrolment_id": m.enrolment_id, "person_id": person,
            "what": rng.choice(self.vocab.commitments), "due_on": due, "status": status,
            "closed_in_session_id": closed_in, "closed_on": closed_on})
