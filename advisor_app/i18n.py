"""The language the app speaks to the advisor.

Source texts are French (the product's default). ``tr(text)`` returns the text in the chosen
language: the French text itself, or its entry in the catalog (``resources/i18n/en.toml``:
French text -> English text). Texts with placeholders are translated first, formatted
after: ``tr("{n} entreprises").format(n=3)``; a catalog entry keeps the same placeholders
(a test checks it).

Translate at the moment of display, never at import: module constants hold French and are
passed through ``tr`` where they are shown, so the language chosen at start-up applies to
every module whenever it was imported. Plain module state, no Qt: services and domain
messages use it too.
"""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_LANGUAGE = "fr"
# code -> name of the language in that language (what the settings list shows)
LANGUAGES: dict[str, str] = {"fr": "Français", "en": "English"}

_language = DEFAULT_LANGUAGE
_catalog: dict[str, str] = {}


def use(code: str, catalog: Mapping[str, str] | None = None) -> None:
    """Speak ``code`` from now on; ``catalog`` maps French texts to that language (none for
    French). An unknown code falls back to French."""
    global _language, _catalog
    if code not in LANGUAGES or code == DEFAULT_LANGUAGE:
        _language, _catalog = DEFAULT_LANGUAGE, {}
        return
    _language, _catalog = code, dict(catalog or {})


def language() -> str:
    return _language


def tr(text: str) -> str:
    """``text`` (French) in the current language; the French text when the catalog has no
    entry for it (a test keeps the English catalog complete)."""
    if not _catalog:
        return text
    return _catalog.get(text, text)
