"""Where things live: shipped resources and migrations, and the user's database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Mowakaba"


def install_root() -> Path:
    """The folder holding ``resources/`` and ``migrations/``.

    A PyInstaller bundle unpacks them under ``sys._MEIPASS``; a source checkout (editable
    install) has them beside the package. ``MOWAKABA_ROOT`` overrides both."""
    override = os.environ.get("MOWAKABA_ROOT")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return install_root() / "resources"


def migrations_dir() -> Path:
    return install_root() / "migrations"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "mowakaba.sqlite"
