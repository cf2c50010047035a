"""Seeds the HQ-owned reference data from ``resources/`` so a laptop works before its first
sync. Rows already received from HQ (``server_seq`` set) are HQ's and left alone;
questionnaires are versioned and never edited in place."""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from advisor_app.domain.questionnaires import Questionnaire, QuestionnaireAxis, QuestionnaireItem
from advisor_app.domain.reference import Agency, ProgrammeTrack, Region, RegionAlias, Sector
from advisor_app.domain.regions import normalise_region_name
from advisor_app.i18n import tr
from advisor_app.services import reference_names
from advisor_app.services.errors import UserError
from advisor_app.storage import resource_schemas as schemas
from advisor_app.storage import resources

if TYPE_CHECKING:
    pass

FINGERPRINT_KEY = "reference_fingerprint"

# Reference rows get ids derived from their codes, so every laptop (and HQ) that loads the
# same file agrees on them: a diagnostic answer made offline names an item HQ knows.
_REFERENCE_NAMESPACE = uuid.UUID("6f1c3b9e-4d2a-5e7f-9a0b-7d3e2c1b0a95")


def reference_id(kind: str, key: str) -> str:
    return str(uuid.uuid5(_REFERENCE_NAMESPACE, f"{kind}/{key}"))


_REGION_FIELDS = ("name_fr", "name_en", "name_ar", "capital")
_TRACK_FIELDS = (
    "name_fr", "name_en", "name_ar", "description_fr", "duration_months", "half_days",
    "problems_min", "problems_max", "half_day_min_hours",
)
_LANG_FIELDS = ("name_fr", "name_en", "name_ar")


def _upsert(session: Session, cls: type[Any], key: Any, values: dict[str, Any]) -> None:
    row = session.get(cls, key)
    if row is None:
        session.add(cls(**values))
    elif row.server_seq is None:  # still the shipped default: follow the edited file
        for name, value in values.items():
            setattr(row, name, value)


def _load_regions(session: Session, data: dict[str, Any]) -> None:
    seen_aliases: dict[str, str] = {}
    for position, region in enumerate(data["region"], start=1):
        code = region["code"]
        _upsert(session, Region, code,
                {"code": code, "position": position, **{f: region[f] for f in _REGION_FIELDS}})
        names = [region["name_fr"], region["name_en"], *region.get("aliases", [])]
        for name in names:
            key = normalise_region_name(name)
            if seen_aliases.setdefault(key, code) != code:
                raise resources.ResourceError(
                    tr("regions.toml : « {name} » désigne deux régions ({first}, {second}).")
                    .format(name=name, first=seen_aliases[key], second=code))
            _upsert(session, RegionAlias, key, {"key": key, "name": name, "region_code": code})
        for agency in region.get("agency", []):
            existing = session.scalar(select(Agency).where(Agency.code == agency["code"]))
            if existing is None:
                session.add(Agency(id=reference_id("agency", agency["code"]),
                                   code=agency["code"], name=agency["name"],
                                   city=agency["city"], region_code=code))
            elif existing.server_seq is None:
                existing.name, existing.city, existing.region_code = (
                    agency["name"], agency["city"], code)


def _load_questionnaire(session: Session, data: dict[str, Any]) -> None:
    exists = session.scalar(
        select(Questionnaire.id).where(
            Questionnaire.code == data["code"], Questionnaire.version == data["version"]
        )
    )
    if exists:
        return
    q_key = f"{data['code']}/{data['version']}"
    questionnaire = Questionnaire(
        id=reference_id("questionnaire", q_key), code=data["code"], version=data["version"],
        title_fr=data["title_fr"], title_en=data["title_en"], title_ar=data["title_ar"], scale=data["scale"],
    )
    for a_pos, axis in enumerate(data["axis"], start=1):
        axis_row = QuestionnaireAxis(id=reference_id("axis", f"{q_key}/{axis['code']}"),
                                     code=axis["code"], position=a_pos, label_fr=axis["label_fr"],
                                     label_en=axis["label_en"], label_ar=axis["label_ar"])
        axis_row.items = [
            QuestionnaireItem(id=reference_id("item", f"{q_key}/{item['code']}"),
                              code=item["code"], position=i_pos, label_fr=item["label_fr"],
                              label_en=item["label_en"], label_ar=item["label_ar"])
            for i_pos, item in enumerate(axis["item"], start=1)
        ]
        questionnaire.axes.append(axis_row)
    session.add(questionnaire)


class Transactional(Protocol):
    engine: Engine

    def unit_of_work(self) -> AbstractContextManager[Session]: ...


_SCHEMAS: dict[str, type[BaseModel]] = {
    "regions.toml": schemas.RegionsFile, "sectors.toml": schemas.SectorsFile,
    "tracks.toml": schemas.TracksFile,
}


def _checked(relative: str) -> dict[str, Any]:
    data = resources.read_toml(relative)
    schemas.check(_SCHEMAS.get(relative, schemas.Questionnaire), data, relative)
    return data


def load_reference_data(db: Transactional, *, force: bool = False) -> bool:
    """Returns True if something was (re)loaded. ``db``: a laptop's Database or HQ's."""
    from advisor_app.services.database import get_setting, set_setting

    try:
        stamp = resources.fingerprint()
        with db.unit_of_work() as session:
            if not force and get_setting(session, FINGERPRINT_KEY) == stamp:
                return False
            regions, sectors, tracks = (_checked(name) for name in resources.REFERENCE_FILES)
            _load_regions(session, regions)
            for sector in sectors["sector"]:
                _upsert(session, Sector, sector["code"],
                        {"code": sector["code"], **{f: sector[f] for f in _LANG_FIELDS}})
            for track in tracks["track"]:
                _upsert(session, ProgrammeTrack, track["code"],
                        {"code": track["code"], **{f: track[f] for f in _TRACK_FIELDS}})
            for relative in resources.questionnaire_files():
                _load_questionnaire(session, _checked(relative))
            set_setting(session, FINGERPRINT_KEY, stamp)
    except (resources.ResourceError, KeyError, OSError, ValueError) as exc:
        detail = tr("clé manquante {key}").format(key=exc) if isinstance(exc, KeyError) else str(exc)
        raise UserError(tr("Données de référence invalides : {detail}").format(detail=detail)) from exc
    finally:
        reference_names.forget(db.engine)  # names may have changed (or half-changed, rolled back)
    return True
