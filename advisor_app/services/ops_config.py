"""The programme's operating parameters, read from ``resources/``:

* ``programme_ops.toml``: the currency, each track's tariff (price, company's share, public
  subsidy), the half-days an advisor has available per month (a default, overridden per
  advisor by e-mail) and the load under which an advisor counts as under capacity;
* ``targets.toml``, table ``[operations]``: the complaint rate the programme aims at (a
  baseline divided by a factor), the complaint handling time, the satisfaction targets.

Both files are HQ's: the same copy ships to laptops and HQ, so both dashboards agree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from advisor_app.domain.ops_metrics import Tariff
from advisor_app.i18n import tr
from advisor_app.services.errors import UserError
from advisor_app.storage.resources import ResourceError, read_toml

FILE = "programme_ops.toml"
TARGETS_FILE = "targets.toml"
# reason code -> French label (shown through tr)
COMPLAINT_REASONS: dict[str, str] = {
    "delay": "Délais de l'accompagnement",
    "advisor": "Relation avec le conseiller",
    "content": "Contenu des séances",
    "organisation": "Organisation et logistique",
    "billing": "Facturation et participation",
    "other": "Autre motif",
}


def reason_label(code: str) -> str:
    return tr(COMPLAINT_REASONS[code]) if code in COMPLAINT_REASONS else code


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _Financing(_Strict):
    track: str = Field(min_length=1)
    price: float = Field(ge=0)
    company_share: float = Field(ge=0)
    subsidy: float = Field(ge=0)
    subsidy_payer: str = ""

    @model_validator(mode="after")
    def _adds_up(self) -> _Financing:
        if abs(self.company_share + self.subsidy - self.price) > 0.005:
            raise ValueError("price must equal company_share + subsidy")
        return self


class _AdvisorCapacity(_Strict):
    email: str = Field(min_length=3)
    half_days_per_month: float = Field(ge=0, le=62)


class _Capacity(_Strict):
    half_days_per_month: float = Field(ge=0, le=62)
    under_ratio: float = Field(ge=0, le=1, default=0.5)
    advisor: list[_AdvisorCapacity] = []


class _File(_Strict):
    currency: str = Field(min_length=1, max_length=8)
    financing: list[_Financing] = []
    capacity: _Capacity


class _Operations(_Strict):
    complaint_rate_baseline: float = Field(ge=0)
    complaint_rate_divisor: float = Field(gt=0)
    handling_days: float = Field(ge=0)
    satisfaction_mean: float = Field(ge=1, le=5)
    survey_response_rate: float = Field(ge=0, le=1)


@dataclass(frozen=True)
class OpsConfig:
    currency: str
    tariffs: dict[str, Tariff]
    default_capacity: float
    capacity_by_email: dict[str, float]
    under_ratio: float

    def capacity_of(self, email: str) -> float:
        return self.capacity_by_email.get(email.strip().lower(), self.default_capacity)


@dataclass(frozen=True)
class OpsTargets:
    complaint_rate: float  # per 100 enrolments: the baseline divided by the factor
    complaint_rate_baseline: float
    complaint_rate_divisor: float
    handling_days: float
    satisfaction_mean: float
    survey_response_rate: float


def _validated(model: type[BaseModel], data: Any, file: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "-"
        raise UserError(tr("{file} : {field} : {reason}").format(
            file=file, field=where, reason=first["msg"])) from None


def load_config(root: Path | None = None) -> OpsConfig:
    try:
        data = read_toml(FILE, root)
    except ResourceError as exc:
        raise UserError(str(exc)) from None
    parsed: _File = _validated(_File, data, FILE)
    tariffs: dict[str, Tariff] = {}
    for row in parsed.financing:
        if row.track in tariffs:
            raise UserError(tr("{file} : deux tarifs pour le parcours {track}.").format(
                file=FILE, track=row.track))
        tariffs[row.track] = Tariff(row.track, row.price, row.company_share, row.subsidy,
                                    row.subsidy_payer)
    return OpsConfig(
        currency=parsed.currency, tariffs=tariffs,
        default_capacity=parsed.capacity.half_days_per_month,
        capacity_by_email={a.email.strip().lower(): a.half_days_per_month
                           for a in parsed.capacity.advisor},
        under_ratio=parsed.capacity.under_ratio)


def load_targets(root: Path | None = None) -> OpsTargets | None:
    """None when ``targets.toml`` has no ``[operations]`` table."""
    try:
        data = read_toml(TARGETS_FILE, root)
    except ResourceError as exc:
        raise UserError(str(exc)) from None
    if "operations" not in data:
        return None
    ops: _Operations = _validated(_Operations, data["operations"], TARGETS_FILE)
    return OpsTargets(
        complaint_rate=ops.complaint_rate_baseline / ops.complaint_rate_divisor,
        complaint_rate_baseline=ops.complaint_rate_baseline,
        complaint_rate_divisor=ops.complaint_rate_divisor, handling_days=ops.handling_days,
        satisfaction_mean=ops.satisfaction_mean, survey_response_rate=ops.survey_response_rate)
