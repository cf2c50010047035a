"""The shape of the editable reference files, checked before anything is loaded: a wrong
type or a duplicate code in a file someone edited by hand gets a message naming the file
and the key, never a half-loaded database."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)


class _Labels(_Strict):
    name_fr: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    name_ar: str = Field(min_length=1)


class Agency(_Strict):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    city: str


class Region(_Labels):
    code: str = Field(pattern=r"^MA-\d{2}$")
    capital: str
    aliases: list[str] = []
    cities: list[str] = []
    agency: list[Agency] = []


class Sector(_Labels):
    code: str = Field(min_length=1, max_length=16)


class Track(_Labels):
    code: str = Field(min_length=1, max_length=32)
    description_fr: str = ""
    duration_months: int = Field(ge=1, le=60)
    half_days: int = Field(ge=1, le=200)
    problems_min: int = Field(ge=1)
    problems_max: int = Field(ge=1)
    half_day_min_hours: float = Field(gt=0, le=12)

    @model_validator(mode="after")
    def _problem_range(self) -> Track:
        if self.problems_max < self.problems_min:
            raise ValueError("problems_max est inférieur à problems_min")
        return self


class _Item(_Strict):
    code: str = Field(min_length=1, max_length=16)
    label_fr: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    label_ar: str = Field(min_length=1)


class _Axis(_Item):
    item: list[_Item] = Field(min_length=1)


class _Level(_Strict):
    value: int = Field(ge=-1, le=4)
    label_fr: str
    label_en: str
    label_ar: str


class Questionnaire(_Strict):
    code: str = Field(min_length=1, max_length=32)
    version: int = Field(ge=1)
    title_fr: str
    title_en: str
    title_ar: str
    scale: list[_Level] = Field(min_length=2)
    axis: list[_Axis] = Field(min_length=1)


def _unique(kind: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"{kind} « {code} » apparaît deux fois")
        seen.add(code)


class RegionsFile(_Strict):
    region: list[Region] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes(self) -> RegionsFile:
        _unique("la région", [r.code for r in self.region])
        _unique("l'agence", [a.code for r in self.region for a in r.agency])
        return self


class SectorsFile(_Strict):
    sector: list[Sector] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes(self) -> SectorsFile:
        _unique("le secteur", [s.code for s in self.sector])
        return self


class TracksFile(_Strict):
    track: list[Track] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes(self) -> TracksFile:
        _unique("le parcours", [t.code for t in self.track])
        return self


def check(model: type[BaseModel], data: dict[str, Any], file: str) -> None:
    """Raises ValueError with one French line naming the file and the first bad key."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "fichier"
        raise ValueError(f"{file} : {where} : {first['msg']}") from None
