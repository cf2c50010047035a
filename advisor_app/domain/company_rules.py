"""Validation of a company form as a whole: required fields and every field rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from advisor_app.domain import validation as v
from advisor_app.domain.enums import LegalForm, Segment, TurnoverBand
from advisor_app.i18n import tr


@dataclass(frozen=True)
class CompanyInput:
    """Raw text as typed by the advisor or read from a file."""

    name: str | None
    legal_form: str | None
    segment: str | None
    region_code: str | None
    sector_code: str | None = None
    city: str | None = None
    ice: str | None = None
    phone: str | None = None
    email: str | None = None
    employees: str | int | None = None
    turnover_band: str | None = None
    created_on: dt.date | None = None


def _check_choice(
    raw: str | None, choices: type[LegalForm] | type[Segment] | type[TurnoverBand], *,
    field_name: str, label: str, required: bool,
) -> tuple[str | None, list[v.Issue]]:
    if raw is None or not raw.strip():
        if required:
            return None, [v.Issue(field_name, tr("Ce champ est obligatoire : {label}.").format(
                label=label))]
        return None, []
    values = {m.value for m in choices}
    if raw.strip() not in values:
        return None, [v.Issue(field_name, tr("{label} : valeur inconnue « {value} ».").format(
            label=label, value=raw.strip()))]
    return raw.strip(), []


def validate_company(data: CompanyInput, *, today: dt.date, known_regions: set[str],
                     known_sectors: set[str] | None = None) -> v.Report:
    report = v.Report()

    def keep(name: str, result: tuple[object, list[v.Issue]]) -> None:
        report.values[name] = result[0]
        report.issues.extend(result[1])

    keep("name", v.check_required(data.name, field_name="name", label=tr("Raison sociale")))
    keep("legal_form", _check_choice(data.legal_form, LegalForm, field_name="legal_form",
                                     label=tr("Forme juridique"), required=True))
    keep("segment", _check_choice(data.segment, Segment, field_name="segment",
                                  label=tr("Segment"), required=True))
    keep("turnover_band", _check_choice(data.turnover_band, TurnoverBand,
                                        field_name="turnover_band",
                                        label=tr("Tranche de chiffre d'affaires"),
                                        required=False))
    region = (data.region_code or "").strip()
    if not region:
        report.issues.append(v.Issue("region_code", tr("Ce champ est obligatoire : {label}.").format(
            label=tr("Région"))))
    elif region not in known_regions:
        report.issues.append(v.Issue("region_code", tr("Région inconnue : « {code} ».").format(
            code=region)))
    report.values["region_code"] = region or None
    sector = (data.sector_code or "").strip() or None
    if sector and known_sectors is not None and sector not in known_sectors:
        report.issues.append(v.Issue("sector_code", tr("Secteur inconnu : « {code} ».").format(
            code=sector)))
    report.values["sector_code"] = sector
    report.values["city"] = " ".join((data.city or "").split())
    report.issues += v.check_length(report.values["name"], field_name="name",
                                    label=tr("Raison sociale"), maximum=200)
    report.issues += v.check_length(report.values["city"], field_name="city", label=tr("Ville"),
                                    maximum=80)
    keep("ice", v.check_ice(data.ice))
    keep("phone", v.check_phone(data.phone))
    keep("email", v.check_email(data.email))
    keep("employees", v.check_non_negative_int(data.employees, field_name="employees",
                                               label=tr("Effectif")))
    keep("created_on", v.check_past_date(data.created_on, field_name="created_on",
                                         label=tr("Date de création"), today=today))
    return report
