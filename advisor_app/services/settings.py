"""Preferences that are not data: the language the app speaks."""

from __future__ import annotations

from advisor_app import i18n
from advisor_app.services.errors import UserError
from advisor_app.storage.resources import ResourceError, read_catalog


def apply_language(code: str) -> None:
    """Speak ``code`` from now on (French when the code is unknown). A missing or broken
    catalog is a UserError naming the file; the app then stays in French."""
    if code not in i18n.LANGUAGES or code == i18n.DEFAULT_LANGUAGE:
        i18n.use(i18n.DEFAULT_LANGUAGE)
        return
    try:
        catalog = read_catalog(code)
    except ResourceError as exc:
        i18n.use(i18n.DEFAULT_LANGUAGE)
        raise UserError(str(exc)) from exc
    i18n.use(code, catalog)
