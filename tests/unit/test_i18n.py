"""English is selectable: every text the desktop app shows goes through ``i18n.tr`` and has
an entry in ``resources/i18n/en.toml``; French stays the default.

Checked on the source (AST), not trusted:

* every ``tr("literal")`` has an entry with the same ``{placeholders}``; ``tr(f"...")`` is
  refused (the catalog could never hold it); no entry is left that nothing uses;
* in the screens (``ui/``), the domain rules that word messages and the services, a string
  literal that looks French is either the argument of ``tr`` or sits in a module constant
  (label dicts, headers) that is passed through ``tr`` where it is shown; French texts of
  such constants need an entry too.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor_app import i18n
from advisor_app.domain import validation
from advisor_app.domain.budget import format_half_days, group_size_warning, overrun_warning
from advisor_app.domain.company_rules import CompanyInput, validate_company
from advisor_app.domain.enums import Segment, Stage
from advisor_app.domain.labels import SEGMENT_LABELS, label
from advisor_app.domain.stages import stage_label, transition_error
from advisor_app.services.errors import UserError
from advisor_app.services.settings import apply_language
from advisor_app.storage.resources import ResourceError, read_catalog

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "advisor_app"
CATALOG_PATH = ROOT / "resources" / "i18n" / "en.toml"

# Where French must not appear outside tr(): the screens, the domain rules that word
# messages, and the services (demo content is data, not interface).
DOMAIN_FILES = ("labels.py", "validation.py", "company_rules.py", "stages.py", "budget.py")
CHECKED_FILES = sorted(
    [*PACKAGE.joinpath("ui").rglob("*.py"),
     *(PACKAGE / "domain" / name for name in DOMAIN_FILES),
     *(p for p in PACKAGE.joinpath("services").glob("*.py") if not p.name.startswith("demo"))]
)

ACCENTED = set("àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»")
# Common French words of an interface that carry no accent (and are not English words).
FRENCH_WORDS = re.compile(
    r"\b(le|la|les|de|des|du|un|une|et|est|sont|pas|pour|dans|avec|sur|aux|aucun|aucune|"
    r"tous|toutes|nom|ville|groupe|groupes|entreprise|entreprises|enregistrer|annuler|"
    r"modifier|ajouter|retirer|inscrire|nouveau|nouvelle|motif|parcours|secteur|fin|sortie|"
    r"personne|personnes|conseiller|territoire|fonction|adresse|effectif|restant|restantes|"
    r"collectif|individuel|actives|statut|avancement|responsable|historique|inscription|"
    r"mois|chiffres|champ|fiche|rechercher|changer|continuer|saisie|erreur|erreurs|"
    r"introuvable|inconnu|inconnue|indiquez|choisissez|vous|votre|imprimer|fichier|quitter|"
    r"jamais|oui|raison|sociale|juridique|forme)\b",
    re.IGNORECASE,
)
# (file relative to advisor_app/, text): literals that look French on purpose. Keep short.
ALLOWED: set[tuple[str, str]] = {
    ("ui/main_window.py", "Groupes"),  # finds the section in SECTIONS (a key, never shown)
}


TRANSLATABLE = re.compile(r"LABEL|HEADERS$|SECTIONS$")
LATIN_LETTER = re.compile(r"[A-Za-zÀ-ÿ]")


def looks_french(text: str) -> bool:
    return bool(ACCENTED & set(text)) or bool(FRENCH_WORDS.search(text))


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


CATALOG = read_catalog("en")


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_tr(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Name) and func.id == "tr") or (
        isinstance(func, ast.Attribute) and func.attr == "tr")


def _tr_calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_tr(node) and node.args:
            yield node


def _constant_nodes(tree: ast.Module, *, translatable: bool = False) -> Iterator[ast.Constant]:
    """String literals of module-level UPPER_CASE constants (dict keys aside); with
    ``translatable``, only those of label dicts, headers and section names (names ending
    with LABEL, or ending in HEADERS or SECTIONS), which are shown through tr()."""
    for statement in tree.body:
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        else:
            continue
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if not names or not all(name.lstrip("_").isupper() for name in names):
            continue
        if translatable and not all(TRANSLATABLE.search(name) for name in names):
            continue
        keys = {id(k) for node in ast.walk(value) if isinstance(node, ast.Dict) for k in node.keys}
        for node in ast.walk(value):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in keys:
                yield node


def _docstrings(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def tr_keys() -> dict[str, list[str]]:
    """Literal argument of every tr() call -> where it is called."""
    keys: dict[str, list[str]] = {}
    for path in _sources():
        for call in _tr_calls(_tree(path)):
            arg = call.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                keys.setdefault(arg.value, []).append(f"{_relative(path)}:{call.lineno}")
    return keys


def constant_keys() -> dict[str, list[str]]:
    """Texts of module constants of the checked files that need an entry -> where: every
    text of a translatable constant (labels, headers, sections), and any text that looks
    French in another constant."""
    keys: dict[str, list[str]] = {}
    for path in CHECKED_FILES:
        tree = _tree(path)
        translatable = {id(node) for node in _constant_nodes(tree, translatable=True)
                        if LATIN_LETTER.search(node.value)}
        for node in _constant_nodes(tree):
            if id(node) in translatable or looks_french(node.value):
                keys.setdefault(node.value, []).append(f"{_relative(path)}:{node.lineno}")
    return keys


# -- the catalog ---------------------------------------------------------------------------------
def test_catalog_is_a_flat_table_of_texts() -> None:
    assert CATALOG, "en.toml is empty"
    bad = {key: value for key, value in CATALOG.items() if not isinstance(value, str) or not value}
    assert not bad


def test_tr_is_never_given_an_f_string() -> None:
    found = [f"{_relative(path)}:{call.lineno}" for path in _sources()
             for call in _tr_calls(_tree(path)) if isinstance(call.args[0], ast.JoinedStr)]
    assert not found, f"tr(f'...') cannot have a catalog entry: use tr('...{{x}}').format(x=...): {found}"


def test_every_translated_text_has_an_english_entry() -> None:
    wanted = {**constant_keys(), **tr_keys()}
    missing = {key: where for key, where in wanted.items() if key not in CATALOG}
    assert not missing, f"add to {CATALOG_PATH.name} (or a file of resources/i18n/en/): {missing}"


def test_entries_keep_the_placeholders() -> None:
    bad = {key: value for key, value in CATALOG.items() if placeholders(key) != placeholders(value)}
    assert not bad


def test_no_stale_entry() -> None:
    used = set(tr_keys())
    for path in _sources():
        used.update(node.value for node in _constant_nodes(_tree(path)))
    stale = sorted(set(CATALOG) - used)
    assert not stale, f"nothing shows these any more, remove them from {CATALOG_PATH.name}: {stale}"


# -- French outside tr() ---------------------------------------------------------------------
def _french_outside_tr(path: Path) -> list[str]:
    tree = _tree(path)
    skip = _docstrings(tree) | {id(node) for node in _constant_nodes(tree)}
    for call in _tr_calls(tree):
        skip.add(id(call.args[0]))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in skip:
            text = "".join(part.value for part in node.values
                           if isinstance(part, ast.Constant) and isinstance(part.value, str))
            skip.update(id(part) for part in node.values)
            if looks_french(text):
                found.append((node.lineno, text))
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            skip.add(id(node.format_spec))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
                and looks_french(node.value)):
            found.append((node.lineno, node.value))
    relative = _relative(path)
    return [f"{relative}:{line}: {text!r}" for line, text in sorted(found)
            if (relative, text) not in ALLOWED]


@pytest.mark.parametrize("path", CHECKED_FILES, ids=_relative)
def test_no_french_text_outside_tr(path: Path) -> None:
    found = _french_outside_tr(path)
    assert not found, "wrap in tr() (and add to en.toml):\n" + "\n".join(found)


def test_the_french_detector_sees_french_and_not_code() -> None:
    assert looks_french("Nom du groupe *") and looks_french("Étape")
    assert looks_french("« {name} »")
    for code in ("people[{i}].role", "color: #b3261e;", "dd/MM/yyyy HH:mm", "viewTitle", "name"):
        assert not looks_french(code)


# -- behaviour ---------------------------------------------------------------------------------


def test_french_is_the_default() -> None:
    assert i18n.language() == "fr"
    assert i18n.tr("Enregistrer") == "Enregistrer"


def test_labels_and_messages_follow_the_language(english: None) -> None:
    assert i18n.language() == "en"
    assert label(SEGMENT_LABELS, Segment.PROJECT_HOLDER) == "Project holder"
    assert label(SEGMENT_LABELS, "from_a_newer_hq") == "from_a_newer_hq"
    assert stage_label(Stage.IN_GROUP) == "In a group"
    _, issues = validation.check_required("", field_name="name", label=i18n.tr("Raison sociale"))
    assert issues[0].message == "This field is required: Company name."
    _, issues = validation.check_ice("12345")
    assert issues[0].message == "The ICE must have 15 digits (5 entered)."
    assert transition_error(Stage.COACHING, Stage.DROPPED) == "Give the reason for dropping out."
    assert format_half_days(1.5) == "1.5"
    assert group_size_warning(1) == "1 active company: a group must have 4 to 10 companies."
    assert overrun_warning(8, 9.5) == "Budget exceeded by 1.5 half-days: 9.5 used out of 8 planned."
    report = validate_company(CompanyInput(name="", legal_form="sarl", segment="tpe", region_code=""),
                              today=dt.date(2026, 1, 1), known_regions={"MA-06"})
    assert {i.message for i in report.errors} == {
        "This field is required: Company name.", "This field is required: Region."}


def test_back_to_french() -> None:
    apply_language("en")
    apply_language("fr")
    assert i18n.language() == "fr"
    assert label(SEGMENT_LABELS, Segment.PROJECT_HOLDER) == "Porteur de projet"
    assert stage_label(Stage.IN_GROUP) == "En groupe"
    _, issues = validation.check_required(" ", field_name="name", label="Raison sociale")
    assert issues[0].message == "Ce champ est obligatoire : Raison sociale."
    assert format_half_days(1.5) == "1,5"
    assert transition_error(Stage.COACHING, Stage.DROPPED) == "Indiquez le motif de l'abandon."


def test_an_unknown_language_is_french() -> None:
    apply_language("xx")
    assert i18n.language() == "fr"


def test_a_broken_catalog_is_a_user_error_and_french_stays(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from advisor_app.storage import resources

    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "en.toml").write_text('"Enregistrer" = 3\n', encoding="utf-8")
    monkeypatch.setattr(resources, "resources_dir", lambda: tmp_path)
    with pytest.raises(UserError, match="Enregistrer"):
        apply_language("en")
    assert i18n.language() == "fr"


def test_topic_files_merge_into_the_catalog_and_a_text_translated_twice_is_refused(
        tmp_path: Path) -> None:
    (tmp_path / "i18n" / "en").mkdir(parents=True)
    (tmp_path / "i18n" / "en.toml").write_text('"Enregistrer" = "Save"\n', encoding="utf-8")
    (tmp_path / "i18n" / "en" / "certificates.toml").write_text(
        '"Attestation" = "Certificate"\n', encoding="utf-8")
    assert read_catalog("en", tmp_path) == {"Enregistrer": "Save", "Attestation": "Certificate"}
    (tmp_path / "i18n" / "en" / "more.toml").write_text(
        '"Enregistrer" = "Store"\n', encoding="utf-8")
    with pytest.raises(ResourceError, match=r"déjà traduit dans i18n/en\.toml"):
        read_catalog("en", tmp_path)
