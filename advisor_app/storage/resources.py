"""Reading the editable reference files shipped in ``resources/``."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

from advisor_app.storage.paths import resources_dir


class ResourceError(Exception):
    """A reference file is missing or malformed; the message names the file."""


def read_toml(relative: str, root: Path | None = None) -> dict[str, Any]:
    path = (root or resources_dir()) / relative
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ResourceError(f"Fichier de référence introuvable : {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ResourceError(f"Fichier de référence mal formé : {path} ({exc})") from exc


def questionnaire_files(root: Path | None = None) -> list[str]:
    folder = (root or resources_dir()) / "questionnaires"
    return sorted(f"questionnaires/{p.name}" for p in folder.glob("*.toml"))


REFERENCE_FILES = ("regions.toml", "sectors.toml", "tracks.toml")


def fingerprint(root: Path | None = None) -> str:
    """Hash of every reference file, to skip reloading when nothing changed."""
    digest = hashlib.sha256()
    for relative in (*REFERENCE_FILES, *questionnaire_files(root)):
        digest.update(relative.encode())
        digest.update(((root or resources_dir()) / relative).read_bytes())
    return digest.hexdigest()


def read_catalog(code: str, root: Path | None = None) -> dict[str, str]:
    """French text -> text in ``code``, a flat table: ``resources/i18n/<code>.toml`` merged
    with the topic files of ``resources/i18n/<code>/*.toml``. A text translated twice, or a
    translation that is not a text, is an error naming the file."""
    folder = (root or resources_dir()) / "i18n"
    relatives = [f"i18n/{code}.toml",
                 *sorted(f"i18n/{code}/{p.name}" for p in (folder / code).glob("*.toml"))]
    catalog: dict[str, str] = {}
    origin: dict[str, str] = {}
    for relative in relatives:
        data = read_toml(relative, root)
        bad = sorted(key for key, value in data.items() if not isinstance(value, str))
        if bad:
            raise ResourceError(f"{relative} : la traduction de {bad[0]!r} n'est pas un texte")
        twice = sorted(set(data) & set(catalog))
        if twice:
            raise ResourceError(
                f"{relative} : {twice[0]!r} est déjà traduit dans {origin[twice[0]]}")
        catalog.update(data)
        origin.update(dict.fromkeys(data, relative))
    return catalog
