"""Columns of a file -> fields of a company and of its contact person.

Headers are compared once normalised (case, accents and punctuation aside) to French and
English synonyms; the advisor can override any column in the import dialog, or ignore it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence

# Field keys. Company fields carry the names of ``services.companies.CompanyForm``; the
# contact person's are prefixed with "person_".
COMPANY_FIELDS = ("name", "legal_form", "segment", "sector", "region", "city", "address", "ice",
                  "phone", "email", "employees", "turnover_band", "created_on", "notes")
PERSON_FIELDS = ("person_full_name", "person_first_name", "person_last_name", "person_role",
                 "person_gender", "person_job_title", "person_phone", "person_email",
                 "person_first_name_ar", "person_last_name_ar")
FIELDS = COMPANY_FIELDS + PERSON_FIELDS

# French source texts, shown through tr().
FIELD_LABELS: dict[str, str] = {
    "name": "Raison sociale",
    "legal_form": "Forme juridique",
    "segment": "Segment",
    "sector": "Secteur",
    "region": "Région",
    "city": "Ville",
    "address": "Adresse",
    "ice": "ICE",
    "phone": "Téléphone",
    "email": "E-mail",
    "employees": "Effectif",
    "turnover_band": "Tranche de chiffre d'affaires",
    "created_on": "Date de création",
    "notes": "Notes",
    "person_full_name": "Contact : nom complet",
    "person_first_name": "Contact : prénom",
    "person_last_name": "Contact : nom",
    "person_role": "Contact : rôle",
    "person_gender": "Contact : genre",
    "person_job_title": "Contact : fonction",
    "person_phone": "Contact : téléphone",
    "person_email": "Contact : e-mail",
    "person_first_name_ar": "Contact : prénom en arabe",
    "person_last_name_ar": "Contact : nom en arabe",
}

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("raison sociale", "raison social", "nom de l entreprise", "nom entreprise", "entreprise",
             "societe", "nom de la societe", "denomination", "nom commercial", "company",
             "company name", "business name", "enterprise"),
    "legal_form": ("forme juridique", "statut juridique", "forme", "legal form", "legal status"),
    "segment": ("segment", "categorie", "type d entreprise", "type entreprise", "category"),
    "sector": ("secteur", "secteur d activite", "activite", "branche", "sector", "industry",
               "business sector"),
    "region": ("region", "region administrative", "province region"),
    "city": ("ville", "localite", "commune", "city", "town"),
    "address": ("adresse", "adresse postale", "address", "postal address"),
    "ice": ("ice", "n ice", "no ice", "numero ice", "n d ice", "identifiant commun de l entreprise",
            "ice number"),
    "phone": ("telephone", "tel", "telephone entreprise", "telephone de l entreprise", "tel entreprise",
              "telephone fixe", "phone", "company phone", "telephone number"),
    "email": ("e mail", "email", "courriel", "mail", "adresse e mail", "adresse email",
              "e mail entreprise", "email entreprise", "company email"),
    "employees": ("effectif", "effectifs", "nombre d employes", "nombre de salaries", "nb salaries",
                  "employes", "salaries", "employees", "headcount", "staff"),
    "turnover_band": ("tranche de chiffre d affaires", "chiffre d affaires", "tranche de ca", "ca",
                      "turnover", "turnover band", "annual turnover"),
    "created_on": ("date de creation", "creation", "date creation", "cree le", "creee le",
                   "creation date", "founded", "founded on"),
    "notes": ("notes", "note", "remarques", "remarque", "observations", "commentaire",
              "commentaires", "comments"),
    "person_full_name": ("dirigeant", "dirigeant e", "dirigeante", "gerant", "gerante", "contact",
                         "nom et prenom", "nom prenom", "prenom et nom", "prenom nom", "nom complet",
                         "owner", "manager", "full name", "contact name", "contact person"),
    "person_first_name": ("prenom", "prenom du dirigeant", "prenom dirigeant", "prenom du contact",
                          "prenom contact", "first name", "given name"),
    "person_last_name": ("nom", "nom du dirigeant", "nom dirigeant", "nom du contact", "nom contact",
                         "nom de famille", "last name", "surname", "family name"),
    "person_role": ("role", "qualite", "role du contact"),
    "person_gender": ("genre", "sexe", "civilite", "gender", "sex"),
    "person_job_title": ("fonction", "poste", "fonction du contact", "job title", "position"),
    "person_phone": ("telephone du dirigeant", "tel dirigeant", "telephone dirigeant", "gsm",
                     "gsm dirigeant", "portable", "mobile", "telephone portable", "telephone contact",
                     "telephone du contact", "tel contact", "mobile phone", "contact phone"),
    "person_email": ("e mail du dirigeant", "email dirigeant", "e mail dirigeant", "mail dirigeant",
                     "email du dirigeant", "e mail du contact", "email contact", "e mail contact",
                     "contact email"),
    "person_first_name_ar": ("prenom en arabe", "prenom arabe", "prenom ar", "الاسم",
                             "الاسم الشخصي", "first name arabic"),
    "person_last_name_ar": ("nom en arabe", "nom arabe", "nom ar", "النسب", "الاسم العائلي",
                            "last name arabic"),
}
_SEPARATORS = re.compile(r"[^\w]+")
_CLOSE_ENOUGH = 0.88


def normalise(text: str) -> str:
    """"N° d'ICE" -> "n d ice": case, accents, punctuation and spacing aside."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_SEPARATORS.sub(" ", stripped.casefold().replace("°", " ")).split())


_INDEX: dict[str, str] = {normalise(s): key for key, names in _SYNONYMS.items() for s in names}


def field_for(header: str) -> tuple[str | None, float]:
    """The field a header names and how sure (1.0: a known synonym; a little less: a close
    spelling, e.g. "Telephonne"); (None, 0) when nothing is close."""
    key = normalise(header)
    if not key:
        return None, 0.0
    if key in _INDEX:
        return _INDEX[key], 1.0
    close = difflib.get_close_matches(key, list(_INDEX), n=1, cutoff=_CLOSE_ENOUGH)
    if close:
        return _INDEX[close[0]], difflib.SequenceMatcher(None, key, close[0]).ratio()
    return None, 0.0


def header_score(cells: Sequence[object]) -> int:
    """How many cells of a row name a distinct known field: the header row scores best."""
    found = {field_for(c)[0] for c in cells if isinstance(c, str) and c.strip()}
    found.discard(None)
    return len(found)


def auto_mapping(headers: Sequence[str]) -> dict[int, str | None]:
    """Column index -> field (None: ignored). Each field goes to the column that names it
    best (the leftmost on a tie)."""
    best: dict[str, tuple[float, int]] = {}
    for index, header in enumerate(headers):
        field, score = field_for(header)
        if field is not None and (field not in best or score > best[field][0]):
            best[field] = (score, index)
    mapping: dict[int, str | None] = {index: None for index in range(len(headers))}
    for field, (_, index) in best.items():
        mapping[index] = field
    fields = set(best)
    # A lone "Nom" beside no company name and no first name names the company.
    if "name" not in fields and "person_last_name" in fields and "person_first_name" not in fields:
        mapping[best["person_last_name"][1]] = "name"
    return mapping


def check_mapping(mapping: dict[int, str | None]) -> list[str]:
    """Fields given to more than one column (the dialog refuses them)."""
    seen: dict[str, int] = {}
    for field in mapping.values():
        if field is not None:
            seen[field] = seen.get(field, 0) + 1
    return sorted(field for field, count in seen.items() if count > 1)
