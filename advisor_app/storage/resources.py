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
    """``resources/i18n/<code>.toml``: French text -> text in ``code``, a flat table."""
    relative = f"i18n/{code}.toml"
    data = read_toml(relative, root)
    bad = sorted(key for key, value in data.items() if not isinstance(value, str))
    if bad:
        raise ResourceError(f"{relative} : la traduction de {bad[0]!r} n'est pas un texte")
    return data
