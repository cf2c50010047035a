"""Words people write in spreadsheets for the closed vocabularies (legal forms, segments,
roles, genders), besides the codes and the labels the app shows: matched once normalised
(``mapping.normalise``). Data to recognise, never shown."""

from __future__ import annotations

from advisor_app.domain.enums import LegalForm, PersonRole, Segment
from advisor_app.importing.values import options

LEGAL_SYNONYMS: dict[str, tuple[str, ...]] = {
    LegalForm.SARL_AU: ("SARL AU", "SARLAU", "SARL associé unique", "SARL a associe unique"),
    LegalForm.SOLE_PROPRIETOR: ("PP", "Entreprise individuelle", "EI", "Personne physique"),
    LegalForm.AUTO_ENTREPRENEUR: ("AE", "Auto entrepreneur", "Autoentrepreneur"),
    LegalForm.COOPERATIVE: ("Coop", "Cooperative"),
    LegalForm.NONE: ("Informel", "Informelle", "Non immatriculée", "Aucune"),
}
SEGMENT_SYNONYMS: dict[str, tuple[str, ...]] = {
    Segment.TPE: ("Très petite entreprise", "TPE", "Micro entreprise", "VSE"),
    Segment.AUTO_ENTREPRENEUR: ("AE", "Auto entrepreneur", "Autoentrepreneur"),
    Segment.PROJECT_HOLDER: ("Porteur", "Porteuse de projet", "Project holder"),
    Segment.PME: ("Petite et moyenne entreprise", "SME"),
}
ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    PersonRole.OWNER: ("Dirigeant", "Dirigeante", "Gérant", "Gérante", "Propriétaire", "Owner",
                       "Manager", "Fondateur", "Fondatrice", "Directeur", "Directrice"),
    PersonRole.PILOT: ("Pilote", "Pilote interne", "Pilot", "Internal pilot"),
    PersonRole.EMPLOYEE: ("Salarié", "Salariée", "Employé", "Employée", "Employee", "Staff"),
}
GENDERS = options([("F", ("Femme", "Mme", "Madame", "Mlle", "Female", "Woman", "Ms", "Mrs")),
                ("M", ("Homme", "H", "M.", "Mr", "Monsieur", "Male", "Man"))])
