"""Field validation with clear messages in the advisor's language (``i18n.tr``). Pure
functions: no I/O, no Qt.

Each ``check_*`` returns the normalised value and the issues found. Errors block a save;
warnings are shown but let the advisor go on (an ICE whose check digits do not match may
still be the one printed on the company's papers).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum.iso7064 import mod_97_10

from advisor_app.i18n import tr

ICE_LENGTH = 15


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    field: str
    message: str
    severity: Severity = Severity.ERROR


@dataclass
class Report:
    """Normalised values plus every issue, field by field."""

    values: dict[str, Any] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def for_field(self, name: str) -> list[Issue]:
        return [i for i in self.issues if i.field == name]


def _ascii_digits(text: str) -> str:
    """Arabic-Indic, fullwidth and other decimal digits typed on any keyboard -> 0-9."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def _blank(raw: str | None) -> bool:
    return raw is None or not raw.strip()


def check_required(raw: str | None, *, field_name: str, label: str) -> tuple[str, list[Issue]]:
    if _blank(raw):
        return "", [Issue(field_name, tr("Ce champ est obligatoire : {label}.").format(label=label))]
    assert raw is not None
    return " ".join(raw.split()), []


def check_ice(raw: str | None, *, field_name: str = "ice") -> tuple[str | None, list[Issue]]:
    """ICE: 15 digits (9 company + 4 establishment + 2 check digits: the number is 0 mod 97)."""
    if _blank(raw):
        return None, []
    assert raw is not None
    compact = _ascii_digits("".join(ch for ch in raw if not ch.isspace() and ch not in ".-"))
    if not (compact.isdecimal() and compact.isascii()):
        return raw.strip(), [Issue(field_name, tr("L'ICE ne doit contenir que des chiffres."))]
    if len(compact) != ICE_LENGTH:
        return compact, [
            Issue(
                field_name,
                tr("L'ICE doit comporter {length} chiffres ({count} saisis).").format(
                    length=ICE_LENGTH, count=len(compact)),
            )
        ]
    if mod_97_10.checksum(compact) != 0:
        return compact, [
            Issue(
                field_name,
                tr("La clé de contrôle de l'ICE ne correspond pas : vérifiez la saisie."),
                Severity.WARNING,
            )
        ]
    return compact, []


def ice_with_check_digits(first_13: str) -> str:
    """Completes 13 digits with the two check digits (used by demo data and tests)."""
    if len(first_13) != ICE_LENGTH - 2 or not first_13.isdigit():
        raise ValueError("13 digits expected")
    # The whole 15-digit number is a multiple of 97 (stdnum's ``mod_97_10.checksum == 0``).
    return f"{first_13}{(-int(first_13) * 100) % 97:02d}"


def check_phone(
    raw: str | None, *, field_name: str = "phone", default_region: str = "MA"
) -> tuple[str | None, list[Issue]]:
    """Normalises to E.164 (+212...). National forms (06 12 34 56 78, 0522...) are read as
    Moroccan; numbers written with + or 00 may be foreign."""
    if _blank(raw):
        return None, []
    assert raw is not None
    text = _ascii_digits(raw.strip())
    if text.startswith("00"):
        text = "+" + text[2:]
    message = tr("Numéro de téléphone invalide : « {number} ». "
                 "Exemples : 06 12 34 56 78 ou +212 5 22 12 34 56.").format(number=raw.strip())
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        return raw.strip(), [Issue(field_name, message)]
    if any(ch.isalpha() for ch in text) or number.extension:
        return raw.strip(), [
            Issue(field_name, f"{message} {tr('Un seul numéro, sans texte ni poste.')}")]
    if not phonenumbers.is_valid_number(number):
        return raw.strip(), [Issue(field_name, message)]
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), []


def format_phone(e164: str | None) -> str:
    """Human form of a stored number: national for Morocco, international otherwise."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 212
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


def check_email(raw: str | None, *, field_name: str = "email") -> tuple[str | None, list[Issue]]:
    if _blank(raw):
        return None, []
    assert raw is not None
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError:
        return raw.strip(), [
            Issue(field_name, tr("Adresse e-mail invalide : « {address} » (ex. nom@domaine.ma).")
                  .format(address=raw.strip()))
        ]
    return result.normalized, []


def check_non_negative_int(
    raw: str | int | None, *, field_name: str, label: str, maximum: int = 1_000_000
) -> tuple[int | None, list[Issue]]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, []
    # "1 000" with a (narrow) no-break space is how French writes thousands.
    text = "".join(ch for ch in _ascii_digits(str(raw)) if not ch.isspace())
    try:
        value = int(text)
    except ValueError:
        return None, [Issue(field_name, tr("{label} : un nombre entier est attendu.").format(
            label=label))]
    if value < 0:
        return None, [Issue(field_name, tr("{label} : le nombre ne peut pas être négatif.").format(
            label=label))]
    if value > maximum:
        return None, [Issue(field_name, tr("{label} : {value} paraît trop grand, vérifiez la saisie.")
                            .format(label=label, value=value))]
    return value, []


def check_length(value: str, *, field_name: str, label: str, maximum: int) -> list[Issue]:
    if len(value) > maximum:
        return [Issue(field_name, tr("{label} : {maximum} caractères au plus ({count} saisis).")
                      .format(label=label, maximum=maximum, count=len(value)))]
    return []


def check_past_date(
    value: dt.date | None, *, field_name: str, label: str, today: dt.date
) -> tuple[dt.date | None, list[Issue]]:
    if value is not None and value > today:
        return value, [Issue(field_name, tr("{label} : la date ne peut pas être dans le futur.")
                             .format(label=label))]
    return value, []
