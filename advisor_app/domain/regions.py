"""Region names: the 12 regions of 2015 and the 16 older ones people still write."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

_SEPARATORS = re.compile(r"[\s\-'’_.,/]+")


def normalise_region_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key: "Béni Mellal-Khénifra" -> "beni mellal khenifra"."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", stripped.casefold()).strip()


def resolve_region(name: str, index: Mapping[str, str]) -> str | None:
    """``index`` maps normalised names and aliases (and codes) to region codes."""
    if not name or not name.strip():
        return None
    text = name.strip()
    if text.upper() in index.values():
        return text.upper()
    return index.get(normalise_region_name(text))
