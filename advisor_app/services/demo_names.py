"""Demo data helpers (see ``services.demo``): vocabulary, identities (UUIDv7 ids, names,
Moroccan phones, ICE, e-mails), companies and people, scores, dates, the bulk row writer.
Deterministic given the ``random.Random`` handed in. Data text French, comments English."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import phonenumbers

from advisor_app.domain.validation import ice_with_check_digits
from advisor_app.storage import resources

Pair = tuple[str, str]  # (Latin spelling, Arabic spelling)

# Rough share of supported very small enterprises per region (2015 division).
REGION_WEIGHTS: dict[str, float] = {
    "MA-01": 11, "MA-02": 6, "MA-03": 11, "MA-04": 14, "MA-05": 5, "MA-06": 30,
    "MA-07": 11, "MA-08": 3, "MA-09": 7, "MA-10": 1, "MA-11": 1, "MA-12": 0.5,
}
SECTOR_WEIGHTS: dict[str, float] = {
    "COMM": 3, "SERV": 2, "BTP": 2, "AGRO": 2, "TEXT": 1.5, "ARTI": 1.5, "TOUR": 1.5,
    "AUTO": 1.5, "BOIS": 1, "METAL": 1, "TRANS": 1, "NUM": 1, "SANTE": 1, "EDUC": 1,
    "COSM": 0.7, "PECHE": 0.5,
}
# Regional specialities: multipliers applied to SECTOR_WEIGHTS.
REGION_SECTOR_BOOST: dict[str, dict[str, float]] = {
    "MA-01": {"TEXT": 2.5, "PECHE": 1.5, "TRANS": 1.5}, "MA-03": {"ARTI": 3, "AGRO": 1.5},
    "MA-06": {"TEXT": 2, "SERV": 1.5, "NUM": 1.5, "TRANS": 1.5}, "MA-07": {"ARTI": 2.5, "TOUR": 3},
    "MA-08": {"TOUR": 3, "AGRO": 2, "ARTI": 1.5}, "MA-09": {"COSM": 4, "PECHE": 2, "AGRO": 2},
    "MA-11": {"PECHE": 4}, "MA-12": {"PECHE": 6},
}
# Share of women among owners, by sector (default 0.2).
FEMALE_OWNERS: dict[str, float] = {
    "COSM": 0.8, "TEXT": 0.55, "SANTE": 0.6, "EDUC": 0.5, "ARTI": 0.4, "AGRO": 0.35,
    "TOUR": 0.3, "SERV": 0.3, "NUM": 0.25, "BTP": 0.04, "AUTO": 0.03, "METAL": 0.03,
    "TRANS": 0.05, "PECHE": 0.1,
}
# Fixed-line area codes (3 digits after +212) by region.
AREA_CODES: dict[str, tuple[str, ...]] = {
    "MA-01": ("539",), "MA-02": ("536",), "MA-03": ("535",), "MA-04": ("537",),
    "MA-05": ("523",), "MA-06": ("522", "523"), "MA-07": ("524",), "MA-08": ("535", "524"),
    "MA-09": ("528",), "MA-10": ("528",), "MA-11": ("528",), "MA-12": ("528",),
}
OWNER_TITLES: dict[str, Pair] = {  # legal form -> (male, female)
    "sarl": ("Gérant", "Gérante"), "sarl_au": ("Gérant associé unique", "Gérante associée unique"),
    "sa": ("Directeur général", "Directrice générale"), "snc": ("Associé gérant", "Associée gérante"),
    "personne_physique": ("Dirigeant", "Dirigeante"), "informel": ("Porteur de projet", "Porteuse de projet"),
    "auto_entrepreneur": ("Auto-entrepreneur", "Auto-entrepreneuse"),
    "cooperative": ("Président de la coopérative", "Présidente de la coopérative")}
PILOT_TITLES: tuple[Pair, ...] = (
    ("Responsable administratif", "Responsable administrative"), ("Comptable", "Comptable"),
    ("Responsable commercial", "Responsable commerciale"), ("Chef d'atelier", "Cheffe d'atelier"),
    ("Responsable de production", "Responsable de production"), ("Associé", "Associée"),
    ("Assistant de direction", "Assistante de direction"), ("Responsable qualité", "Responsable qualité"),
    ("Responsable des achats", "Responsable des achats"))
STREETS: tuple[str, ...] = (
    "Avenue Mohammed V", "Avenue Hassan II", "Boulevard Zerktouni", "Rue Ibn Battouta",
    "Rue Ibn Khaldoun", "Zone industrielle", "Quartier industriel", "Lotissement Al Wifaq",
    "Hay Salam", "Hay Mohammadi", "Rue Al Qods", "Avenue des FAR", "Boulevard Abdelmoumen",
    "Rue Moulay Ismail", "Quartier Al Massira", "Parc d'activités", "Route principale",
)
MAIL_DOMAINS: tuple[str, ...] = ("gmail.com", "gmail.com", "yahoo.fr", "hotmail.com", "outlook.fr")
NAME_SUFFIXES: tuple[str, ...] = ("& Fils", "Frères", "Sud", "Nord", "Plus", "Services", "Pro")
EVIDENCE: tuple[tuple[str, ...], ...] = (  # by advisor score: 0-1, 2, 3-4
    ("Aucun document écrit.", "Pratique orale, non formalisée.",
     "Le dirigeant reconnaît ne pas le faire.", "Rien de visible lors de la visite."),
    ("Existe mais appliqué de façon irrégulière.", "Document présenté, pas à jour.",
     "Fait seulement quand un problème survient."),
    ("Document à jour présenté au conseiller.", "Constaté lors de la visite de l'atelier.",
     "Suivi mensuel montré au conseiller.", "Vérifié sur le registre."),
)
FINAL_EVIDENCE: tuple[str, ...] = (
    "Progrès constaté lors de la visite finale.", "Nouvel outil utilisé chaque semaine.",
    "Résultat confirmé par les documents de l'entreprise.", "Pratique désormais écrite et affichée.")
ATTENDANCE_NOTES: dict[str, tuple[str, ...]] = {
    "excused": ("Excusé : déplacement chez un client.", "Excusée : raison familiale.",
                "Prévenu la veille par téléphone.", "Livraison urgente à assurer."),
    "late": ("Retard : circulation.", "Arrivé après la pause.", ""),
    "absent": ("", "", "Injoignable ce jour-là."),
}
READING_NOTES: tuple[str, ...] = ("", "", "Relevé en séance.", "Chiffre donné par le dirigeant.",
                                  "Vérifié sur les documents.")
# Indicator names (from names.toml) that measure a practice rather than a result.
MEANS_INDICATORS = frozenset({
    "Réunions de pilotage tenues par trimestre", "Postes tenus par au moins deux personnes",
    "Factures émises sur logiciel", "Salariés déclarés à la CNSS",
    "Échéances fiscales et sociales respectées"})
FALLBACK_PATTERNS = ("Entreprise {last}", "{word} SARL", "Établissements {last}")


@dataclass(frozen=True)
class Vocabulary:
    male: list[Pair]
    female: list[Pair]
    last: list[Pair]
    words: list[str]
    patterns: dict[str, list[str]]
    topics: list[str]
    places: list[str]
    commitments: list[str]
    drop_reasons: list[str]
    key_problems: dict[str, list[Pair]]
    actions: dict[str, list[str]]
    indicators: dict[str, list[tuple[str, str, float, float]]]
    cities: dict[str, list[str]]


def load_vocabulary() -> Vocabulary:
    """Reads resources/demo/names.toml and the cities of resources/regions.toml."""
    data = resources.read_toml("demo/names.toml")
    regions = resources.read_toml("regions.toml")

    def pairs(key: str) -> list[Pair]:
        return [(str(a), str(b)) for a, b in data[key]]
    return Vocabulary(
        male=pairs("first_names_male"), female=pairs("first_names_female"),
        last=pairs("last_names"), words=list(data["company_words"]),
        patterns={k: list(v) for k, v in data["company_patterns"].items()},
        topics=list(data["session_topics"]), places=list(data["places"]),
        commitments=list(data["commitments"]), drop_reasons=list(data["drop_reasons"]),
        key_problems={k: [(str(a), str(b)) for a, b in v] for k, v in data["key_problems"].items()},
        actions={k: list(v) for k, v in data["actions"].items()},
        indicators={k: [(str(n), str(u), float(b), float(t)) for n, u, b, t in v]
                    for k, v in data["indicators"].items()},
        cities={r["code"]: list(r.get("cities") or [r["capital"]]) for r in regions["region"]},
    )


def ascii_slug(text: str, sep: str = "") -> str:
    """"Fatima Zahra" -> "fatimazahra"; "Aït Ourir" -> "ait-ourir" with sep="-"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = ["".join(ch for ch in w if ch.isalnum()) for w in plain.replace("'", " ").split()]
    return sep.join(w for w in words if w)


class IdMaker:
    """Valid UUIDv7 strings from a seeded generator: 48-bit millisecond timestamp starting at
    ``start`` and advancing one millisecond per id (time-ordered, so B-tree inserts append)."""

    def __init__(self, rng: random.Random, start: dt.datetime) -> None:
        self._bits = rng.getrandbits
        self._ms = int(start.timestamp() * 1000)

    def __call__(self) -> str:
        self._ms += 1
        ms, bits = self._ms, self._bits(74)
        # unix_ts_ms (48) | ver 7 + rand_a (12) | variant 0b10 + rand_b (62)
        return (f"{ms >> 16:08x}-{ms & 0xFFFF:04x}-7{bits >> 62:03x}-"
                f"{0x8000 | (bits >> 48) & 0x3FFF:04x}-{bits & 0xFFFF_FFFF_FFFF:012x}")


class PhoneMaker:
    """E.164 Moroccan numbers; prefixes are checked once against ``phonenumbers`` metadata,
    so every number made is one ``validation.check_phone`` accepts."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        probes = ("000000", "555555", "999999")

        def _valid(national: str) -> bool:
            return bool(phonenumbers.is_valid_number(phonenumbers.parse("+212" + national)))

        self._mobile = {d: [p for p in (f"{d}{i:02d}" for i in range(100))
                            if all(_valid(p + s) for s in probes)] for d in "67"}
        self._fixed = {region: [c + str(d) for c in codes for d in range(10)
                                if all(_valid(f"{c}{d}{s[:5]}") for s in probes)]
                       for region, codes in AREA_CODES.items()}

    def mobile(self) -> str:
        pool = self._mobile["6" if self._rng.random() < 0.8 else "7"]
        return f"+212{self._rng.choice(pool)}{self._rng.randrange(1_000_000):06d}"

    def fixed(self, region: str) -> str:
        pool = self._fixed.get(region)
        return f"+212{self._rng.choice(pool)}{self._rng.randrange(100_000):05d}" if pool else self.mobile()


class IceMaker:
    """Distinct ICE numbers: 9-digit company part, 4-digit establishment, 2 check digits."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[int] = set()

    def __call__(self) -> str:
        company = self._rng.randrange(100_000, 3_900_000)
        while company in self._used:
            company = self._rng.randrange(100_000, 3_900_000)
        self._used.add(company)
        establishment = "0001" if self._rng.random() < 0.08 else "0000"
        return ice_with_check_digits(f"{company:09d}{establishment}")


class CompanyNamer:
    """Names from the sector's patterns; a taken name gets the city, then a suffix, then a number."""

    def __init__(self, rng: random.Random, vocab: Vocabulary) -> None:
        self._rng, self._vocab = rng, vocab
        self._used: set[str] = set()

    def __call__(self, sector: str, city: str) -> str:
        rng, vocab = self._rng, self._vocab
        patterns = vocab.patterns.get(sector) or list(FALLBACK_PATTERNS)
        name = ""
        for _ in range(3):
            name = rng.choice(patterns).format(word=rng.choice(vocab.words),
                                               last=rng.choice(vocab.last)[0])
            if name not in self._used:
                break
        candidates = itertools.chain([name, f"{name} {city}"], (f"{name} {s}" for s in NAME_SUFFIXES),
                                     (f"{name} {city} {i}" for i in itertools.count(2)))
        chosen = next(c for c in candidates if c not in self._used)
        self._used.add(chosen)
        return chosen


def advisor_email(first: str, last: str, seen: Counter[str]) -> str:
    """prenom.nom@mowakaba.ma, with a number when two advisors share a name."""
    base = f"{ascii_slug(first)}.{ascii_slug(last)}"
    seen[base] += 1
    return f"{base}{seen[base] if seen[base] > 1 else ''}@mowakaba.ma"


def weighted_pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def format_amount(value: float, unit: str) -> str:
    """French number with its unit: "60 %", "12 jours", "5 000 MAD", "4"."""
    text = f"{value:,.0f}".replace(",", "\u202f") if value == int(value) else f"{value:.1f}".replace(".", ",")
    return text if unit == "nb" else f"{text}\u00a0{unit}"


@functools.lru_cache(maxsize=1 << 16)
def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """Moroccan local time (UTC+1) on ``day`` as an aware UTC datetime."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC) - dt.timedelta(hours=1)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def workday(day: dt.date, *, back: bool = False) -> dt.date:
    """Saturday -> Friday; Sunday -> Monday (or Friday when ``back``)."""
    shift = {5: -1, 6: -2 if back else 1}.get(day.weekday(), 0)
    return day + dt.timedelta(days=shift)


def add_workdays(day: dt.date, count: int) -> dt.date:
    """``count`` working days (Monday to Friday) after ``day``."""
    while count > 0:
        day += dt.timedelta(days=1)
        count -= day.weekday() < 5
    return day


class CompanyMaker:
    """A company row and its people (owner + 1-2 internal pilots), handed to ``add``."""

    def __init__(self, rng: random.Random, ids: IdMaker, vocab: Vocabulary,
                 add: Callable[[str, dict[str, Any]], None]) -> None:
        self.rng, self.ids, self.vocab, self.add = rng, ids, vocab, add
        self.phones, self.ices = PhoneMaker(rng), IceMaker(rng)
        self.namer = CompanyNamer(rng, vocab)

    def __call__(self, advisor_id: str, region: str, sector: str, city: str,
                 group_id: str | None, since: dt.date) -> tuple[str, list[str], dict[str, Any]]:
        """Returns (company id, people ids with the owner first, sync columns of its rows)."""
        rng = self.rng
        cid = self.ids()
        base: dict[str, Any] = {"row_version": 0, "updated_by": advisor_id, "scope_region": region,
                                "scope_advisor": advisor_id, "scope_group": group_id}
        r = rng.random()
        segment = ("tpe" if r < 0.74 else "auto_entrepreneur" if r < 0.89
                   else "pme" if r < 0.96 else "project_holder")
        created: dt.date | None
        turnover: str | None
        if segment == "tpe":
            form = ("cooperative" if sector in ("COSM", "ARTI", "AGRO", "PECHE") and rng.random() < 0.35
                    else rng.choices(["sarl_au", "sarl", "personne_physique", "snc"], [40, 30, 25, 5])[0])
            employees = rng.choices(range(1, 11), [8, 14, 14, 12, 10, 8, 6, 5, 4, 3])[0]
            turnover = rng.choices(["lt_500k", "500k_3m", "3m_10m"], [55, 40, 5])[0]
            created = since - dt.timedelta(days=rng.randint(300, 7000))
        elif segment == "auto_entrepreneur":
            form, employees, turnover = "auto_entrepreneur", rng.choice([0, 0, 1]), "lt_500k"
            created = since - dt.timedelta(days=rng.randint(120, 2000))
        elif segment == "pme":
            form, employees = rng.choice(["sarl", "sarl", "sa"]), rng.randint(11, 60)
            turnover = rng.choices(["500k_3m", "3m_10m", "10m_50m"], [10, 50, 40])[0]
            created = since - dt.timedelta(days=rng.randint(1500, 9000))
        else:  # a project holder: no legal entity yet, so no ICE and no creation date
            form, employees, turnover, created = "informel", 0, None, None
        name = self.namer(sector, city)
        email = None
        if rng.random() < 0.4:
            slug = ascii_slug(name, "-")[:30].strip("-")
            email = f"contact@{slug}.ma" if rng.random() < 0.5 else f"{slug.replace('-', '')}@gmail.com"
        fixed = segment in ("tpe", "pme") and rng.random() < 0.55
        self.add("company", {
            **base, "id": cid, "updated_at": at(since, 10, rng.randrange(60)), "name": name,
            "legal_form": form, "segment": segment, "sector_code": sector, "region_code": region,
            "city": city, "ice": None if created is None else self.ices(),
            "address": "" if created is None else f"{rng.randint(1, 250)}, {rng.choice(STREETS)}, {city}",
            "phone": self.phones.fixed(region) if fixed else self.phones.mobile(), "email": email,
            "employees": employees, "turnover_band": turnover, "created_on": created, "notes": ""})
        owner, family = self._person(cid, base, since, "owner", form, sector, None)
        people = [owner]
        for _ in range(1 if rng.random() < 0.7 else 2):
            people.append(self._person(cid, base, since, "pilot", form, sector, family)[0])
        return cid, people, base

    def _person(self, company_id: str, base: dict[str, Any], since: dt.date, role: str,
                form: str, sector: str, family: Pair | None) -> tuple[str, Pair]:
        rng, vocab = self.rng, self.vocab
        female = rng.random() < (FEMALE_OWNERS.get(sector, 0.2) if role == "owner" else 0.45)
        first = rng.choice(vocab.female if female else vocab.male)
        last = family if family and rng.random() < 0.35 else rng.choice(vocab.last)
        title = OWNER_TITLES[form][female] if role == "owner" else rng.choice(PILOT_TITLES)[female]
        email = None
        if rng.random() < (0.5 if role == "owner" else 0.35):
            digits = str(rng.randint(1, 99)) if rng.random() < 0.3 else ""
            email = f"{ascii_slug(first[0])}.{ascii_slug(last[0])}{digits}@{rng.choice(MAIL_DOMAINS)}"
        pid = self.ids()
        self.add("person", {
            **base, "id": pid, "updated_at": at(since, 10, rng.randrange(60)),
            "company_id": company_id, "role": role, "first_name": first[0], "last_name": last[0],
            "first_name_ar": first[1], "last_name_ar": last[1], "gender": "F" if female else "M",
            "job_title": title, "email": email,
            "phone": self.phones.mobile() if role == "owner" or rng.random() < 0.8 else None})
        return pid, last


# -- scores and indicator values ------------------------------------------------------------
Answer = tuple[str, str, int, int, int]  # item id, item code, entrepreneur, advisor, importance
Scores = dict[str, list[Answer]]  # axis code -> answers, in questionnaire order
IMPORTANCE = (1, 1, 2, 2, 2, 2, 2, 3, 3, 3)  # weights 2/5/3 for a uniform digit


def initial_scores(rng: random.Random, axes: dict[str, list[tuple[str, str]]]) -> Scores:
    """T0 answers: a company level, an offset per axis, noise per item; entrepreneurs rate
    themselves a little higher than the advisor does; N/A (-1) now and then."""
    random_, gauss = rng.random, rng.gauss
    level = rng.uniform(0.6, 2.4)
    scores: Scores = {}
    for axis, items in axes.items():
        offset = level + gauss(0, 0.6)
        rows = []
        for item_id, code in items:
            x = offset + gauss(0, 0.55)
            importance = IMPORTANCE[int(random_() * 10)]
            if random_() < 0.015:
                rows.append((item_id, code, -1, -1, importance))
                continue
            adv, ent = round(x), round(x + 0.9 * random_())
            rows.append((item_id, code, 0 if ent < 0 else 4 if ent > 4 else ent,
                         0 if adv < 0 else 4 if adv > 4 else adv, importance))
        scores[axis] = rows
    return scores


def improved_scores(rng: random.Random, scores: Scores, focus: list[str]) -> Scores:
    """Final diagnostic: clear gains on the axes worked on, a little elsewhere; N/A stays."""
    out: Scores = {}
    for axis, rows in scores.items():
        gains = [rng.randint(1, 2) if axis in focus else int(rng.random() < 0.35) for _ in rows]
        out[axis] = [(i, c, min(4, e + g), min(4, a + g), imp) if a >= 0 else (i, c, e, a, imp)
                     for (i, c, e, a, imp), g in zip(rows, gains, strict=True)]
    return out


def axis_mean(rows: list[Answer]) -> float:
    values = [r[3] for r in rows if r[3] >= 0]
    return sum(values) / len(values) if values else 4.0


def weakest_item(rows: list[Answer]) -> tuple[str, str]:
    """(item id, item code) with the lowest advisor score, the most important first."""
    best = min((r for r in rows if r[3] >= 0), key=lambda r: (r[3], -r[4]), default=rows[0])
    return best[0], best[1]


def action_status(rng: random.Random, starts: dt.date, due: dt.date, ref: dt.date,
                  completed: bool) -> tuple[str, int, dt.date | None]:
    """(status, progress %, done on) as of ``ref``; some past-due actions are left undone."""
    if completed:
        status = rng.choices(("done", "dropped", "in_progress"), (85, 10, 5))[0]
    elif starts > ref:
        status = "not_started"
    elif due < ref:  # overdue unless done
        status = rng.choices(("done", "in_progress", "blocked", "not_started"), (65, 17, 8, 10))[0]
    else:
        status = rng.choices(("in_progress", "done", "not_started", "blocked"), (60, 15, 20, 5))[0]
    if status == "done":
        latest = min(ref, due + dt.timedelta(days=15))
        span = (latest - starts).days
        return status, 100, starts + dt.timedelta(days=rng.randint(0, span)) if span >= 0 else ref
    progress = {"in_progress": rng.randrange(10, 95, 5), "blocked": rng.randrange(10, 60, 10),
                "dropped": rng.randrange(0, 50, 10)}.get(status, 0)
    return status, progress, None


def round_value(value: float, unit: str) -> float:
    if unit == "MAD":
        return float(max(0, round(value / 500) * 500))
    return float(min(100, max(0, round(value)))) if unit == "%" else float(max(0, round(value)))


def indicator_baseline(rng: random.Random, baseline: float, target: float, unit: str) -> float:
    """The file's baseline give or take 25 %, still on the right side of the target."""
    value = round_value(baseline * rng.uniform(0.75, 1.25), unit)
    if (target > baseline and value >= target) or (target < baseline and value <= target):
        return baseline
    return value
