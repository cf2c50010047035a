"""Fonts and Arabic text for the printed documents.

Every document uses DejaVu Sans, shipped in ``resources/fonts`` (licence beside it), so that
a sheet prints the same on every laptop and Arabic letters have glyphs. ReportLab draws
text left to right, glyph after glyph: Arabic must be shaped (each letter in its joined
form, lam-alef ligatures) and put in visual order first, which ``visual`` does with
arabic-reshaper and python-bidi."""

from __future__ import annotations

import functools
import unicodedata

import arabic_reshaper
from bidi import get_display
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from advisor_app.storage.paths import resources_dir

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

# Word ligatures ("Allah" as one glyph, U+FDF2) have no glyph in DejaVu Sans and would
# print as a box in names such as Abdallah: only the letter ligatures (lam-alef) are kept.
_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={
    "delete_harakat": False, "support_ligatures": True, "ARABIC LIGATURE ALLAH": False})


@functools.cache
def register() -> tuple[str, str]:
    """Registers the fonts once; returns (regular, bold) font names."""
    folder = resources_dir() / "fonts"
    for name, file in FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    for bold, italic in ((0, 0), (0, 1), (1, 0), (1, 1)):
        addMapping(REGULAR, bold, italic, BOLD if bold else REGULAR)
    return REGULAR, BOLD


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def visual(text: str) -> str:
    """``text`` as it must be drawn left to right: Arabic shaped and in visual order; text
    without right-to-left letters unchanged."""
    if not has_rtl(text):
        return text
    return str(get_display(_RESHAPER.reshape(text)))

