"""QR codes drawn into a reportlab canvas as one vector path.

The symbol is encoded once with segno (pure Python) and its dark modules are drawn as one
filled path, a rectangle per horizontal run: about three times cheaper than reportlab's
``QrCodeWidget`` (which encodes in Python and draws a rectangle per module), and sharp at
any printer resolution."""

from __future__ import annotations

from typing import Any

import segno

QUIET_ZONE = 4  # modules of white around the symbol (the standard asks for four)


def matrix(data: str) -> list[list[bool]]:
    """The dark modules of the QR code of ``data`` (error correction M), quiet zone excluded."""
    qr = segno.make(data, error="m", micro=False, boost_error=False)
    return [[bool(cell) for cell in row] for row in qr.matrix]


def draw_qr(canvas: Any, data: str, x: float, y: float, size: float) -> None:
    """Draws the QR code of ``data`` with its quiet zone in the square of side ``size``
    whose lower-left corner is (``x``, ``y``).

    The runs are written as raw path operators in module units (small integers) under one
    scaling transform: formatting tens of thousands of floats is what made the drawing slow.
    One path filled once: adjacent runs join without seams."""
    modules = matrix(data)
    count = len(modules)
    step = size / (count + 2 * QUIET_ZONE)
    runs: list[str] = []
    for r, row in enumerate(modules):
        line = count - 1 - r  # PDF y grows upwards
        c = 0
        while c < count:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < count and row[c]:
                c += 1
            runs.append(f"{start} {line} {c - start} 1 re")
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.transform(step, 0, 0, step, x + QUIET_ZONE * step, y + QUIET_ZONE * step)
    canvas.addLiteral("\n".join(runs) + "\nf")
    canvas.restoreState()
