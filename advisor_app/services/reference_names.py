"""Names of regions, sectors and programme tracks in the advisor's language.

The reference tables carry ``name_fr``, ``name_en`` and ``name_ar``; the queries (and the
companies list, whose triggers copy ``name_fr`` into ``company_listing``) read the French
name. Services pass what they show through these helpers: by code when they have one,
from the French name otherwise (rows of the list carry names only). In French nothing is
looked up. Each database keeps one small dict per kind and language (a few dozen rows):
reference data changes only when it is (re)loaded from ``resources/`` or pulled from HQ,
which must call ``forget``.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app import i18n
from advisor_app.domain.reference import ProgrammeTrack, Region, Sector

Kind = Literal["region", "sector", "track"]
_MODELS: dict[str, Any] = {"region": Region, "sector": Sector, "track": ProgrammeTrack}


@dataclass(frozen=True)
class Names:
    """Names of one kind in one language: by code, and by French name."""

    by_code: dict[str, str]
    by_french: dict[str, str]

    def of(self, code: str | None, default: str = "") -> str:
        """The name of ``code``; ``default`` for no code or a code this database lacks."""
        return self.by_code.get(code, default) if code else default

    def from_french(self, name: str) -> str:
        """The name whose French form is ``name``; ``name`` itself when none is known."""
        return self.by_french.get(name, name)


# engine -> (kind, language) -> names; an engine that goes away takes its entry with it.
_cache: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], Names]] = weakref.WeakKeyDictionary()


def language_column(model: Any) -> Any:
    """The name column of a reference model in the current language (French when the
    model has no column for it)."""
    return getattr(model, f"name_{i18n.language()}", model.name_fr)


def name_of(row: Region | Sector | ProgrammeTrack) -> str:
    """The name of a loaded reference row in the current language."""
    return str(getattr(row, f"name_{i18n.language()}", row.name_fr))


def names(session: Session, kind: Kind) -> Names:
    """Every name of ``kind`` (deleted rows too: old rows may still name them)."""
    language = i18n.language()
    per_engine = _cache.setdefault(session.get_bind(), {})
    found = per_engine.get((kind, language))
    if found is None:
        model = _MODELS[kind]
        rows = session.execute(select(model.code, model.name_fr, language_column(model))).all()
        found = Names(by_code={code: name for code, _, name in rows},
                      by_french={french: name for _, french, name in rows})
        per_engine[(kind, language)] = found
    return found


def localize(session: Session, kind: Kind, french_name: str) -> str:
    """``french_name`` (as a query or the companies list gives it) in the current language."""
    if not french_name or i18n.language() == i18n.DEFAULT_LANGUAGE:
        return french_name
    return names(session, kind).from_french(french_name)


def localize_code(session: Session, kind: Kind, code: str | None, french_name: str) -> str:
    """The name of ``code`` in the current language; ``french_name`` (what the query read)
    in French or when the code is unknown."""
    if i18n.language() == i18n.DEFAULT_LANGUAGE:
        return french_name
    return names(session, kind).of(code, french_name)


def localize_pairs(session: Session, kind: Kind,
                   pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(code, French name) pairs -> (code, name in the current language), same order."""
    if i18n.language() == i18n.DEFAULT_LANGUAGE:
        return list(pairs)
    found = names(session, kind)
    return [(code, found.of(code, french)) for code, french in pairs]


def forget(engine: Any) -> None:
    """Drops the cached names of a database (after its reference data changed)."""
    _cache.pop(engine, None)
