"""Certificate PDFs per second on one core (issue 8), against a plain reportlab page measured
in the same run.

    .venv/bin/python bench/bench_certificates.py [--count 200]

1. Floor: a plain A4 landscape reportlab page (DejaVu fonts, a dozen lines of text), one file
   each.
2. The certificate as printed (``reports.certificate``): French and Arabic text, frame,
   signature blocks and the QR code encoded once with segno and drawn as one path; one file
   each. Target: at least 45 certificates per second.
3. The same page with reportlab's own ``QrCodeWidget`` instead, to show what the one-path
   QR saves.
4. The whole service: ``write_certificates`` for issued certificates of a database (rows read,
   facts to page, one file each).

Nothing is asserted: machines differ; the ratios travel.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("MOWAKABA_TOKEN_STORE", "file")
os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="mowakaba-bench-config-"))

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from advisor_app.reports import certificate
from advisor_app.reports.fonts import register, visual
from advisor_app.sync import device_key

TARGET = 45.0
KEY = device_key.new_private_key()


def _url(n: int) -> str:
    """A real signed code: the QR code is as large as a printed certificate's."""
    code = device_key.sign_code(KEY, device_id="01a206bb-14fd-7a6e-ae96-6e794bd931f6", counter=n,
                                issued_on=dt.date(2026, 11, 23), facts={"n": n}, name=f"Khadija Bennani {n}")
    return f"https://siege.example.ma/verify/{code}"


def _data(n: int) -> certificate.CertificateData:
    return certificate.CertificateData(
        number=f"ATT-W3WE7OSC-{n:05d}", beneficiary=f"Khadija Bennani {n}", beneficiary_ar="خديجة بناني",
        gender="F", job_title="Gérante", company="Atelier Amal", ice="001525478000088", legal_form="SARL",
        programme="Programme d'accompagnement des très petites entreprises",
        programme_ar="برنامج مواكبة المقاولات الصغيرة جدا", track="Performance ciblée",
        track_ar="الأداء المستهدف", group="Settat · Agro · G1", region="Casablanca-Settat",
        period_start=dt.date(2026, 3, 2), period_end=dt.date(2026, 7, 2), half_days=8, half_days_planned=8,
        attendance_rate=1.0, sessions_attended=8, sessions_expected=8, place="Settat",
        issued_on=dt.date(2026, 11, 23), advisor="Samira Alaoui", advisor_title="Le conseiller",
        manager_title="Le responsable du programme", verify_url=_url(n),
        themes=["Gérer sa trésorerie", "Fixer ses prix", "Suivre ses ventes", "Organiser l'atelier"])


def plain_page(path: Path, n: int) -> None:
    regular, bold = register()
    c = Canvas(str(path), pagesize=landscape(A4), initialFontName=regular)
    c.setFont(bold, 24)
    c.drawCentredString(421, 500, "ATTESTATION DE PARTICIPATION")
    c.setFont(regular, 11)
    for line in range(12):
        c.drawCentredString(421, 440 - line * 20, visual(f"Ligne {line} de la page {n} — خديجة بناني"))
    c.showPage()
    c.save()


def certificate_page(path: Path, n: int) -> None:
    certificate.render([_data(n)], path)


@contextlib.contextmanager
def widget_qr() -> Any:
    """``reports.certificate`` with reportlab's QrCodeWidget in place of the one-path QR."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    def draw(canvas: Any, data: str, x: float, y: float, size: float) -> None:
        widget = QrCodeWidget(data)
        left, bottom, right, top = widget.getBounds()
        drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, x, y)

    original = certificate.draw_qr
    certificate.draw_qr = draw
    try:
        yield
    finally:
        certificate.draw_qr = original


def rate(label: str, count: int, make: Callable[[Path, int], None], folder: Path) -> float:
    make(folder / "warm.pdf", 0)  # fonts registered, caches warm
    start = time.perf_counter()
    for n in range(count):
        make(folder / f"{label}-{n}.pdf", n)
    return count / (time.perf_counter() - start)


def show(label: str, per_second: float) -> None:
    print(f"  {label:<34} {per_second:8.1f} pages/s  ({1000 / per_second:5.1f} ms each)")


def service_rate(count: int, folder: Path) -> float:
    from advisor_app.services import certificate_files, certificates
    from advisor_app.services.database import open_database
    from tests.certificate_scenario import build_group, enrol_for_signing

    db = open_database(folder / "bench.sqlite")
    try:
        scenario = build_group(db)
        enrol_for_signing(db)
        ids = [row.id for row in certificates.issue_certificates(db, group_id=scenario.group_id)]
        rounds = max(1, count // len(ids))
        certificate_files.write_certificates(db, ids, folder / "warm")
        start = time.perf_counter()
        for r in range(rounds):
            certificate_files.write_certificates(db, ids, folder / f"round-{r}")
        per_second = rounds * len(ids) / (time.perf_counter() - start)
    finally:
        db.close()
    return per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="best of this many interleaved rounds")
    args = parser.parse_args()
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    best: dict[str, float] = {}

    def keep(label: str, value: float) -> None:
        best[label] = max(best.get(label, 0.0), value)

    with tempfile.TemporaryDirectory(prefix="mowakaba-bench-") as tmp:
        for r in range(args.rounds):  # interleaved: a busy machine slows every variant alike
            folder = Path(tmp) / f"round-{r}"
            folder.mkdir()
            keep("plain", rate("plain", args.count, plain_page, folder))
            keep("ours", rate("ours", args.count, certificate_page, folder))
            with widget_qr():
                keep("widget", rate("widget", args.count, certificate_page, folder))
            keep("service", service_rate(args.count, folder))
    print(f"{args.count} pages, one PDF file each, on one core (best of {args.rounds} rounds):")
    show("plain reportlab page (floor)", best["plain"])
    show("certificate, one-path QR", best["ours"])
    show("certificate, QrCodeWidget", best["widget"])
    show("write_certificates (service)", best["service"])
    floor, ours, widget, service = best["plain"], best["ours"], best["widget"], best["service"]
    print()
    print(f"certificate / plain page:            {ours / floor:6.2f}")
    print(f"one-path QR / QrCodeWidget speed-up: {ours / widget:6.2f}x")
    print(f"service / plain page:                {service / floor:6.2f}")
    verdict = "met" if min(ours, service) >= TARGET else "NOT met"
    print(f"target {TARGET:.0f} certificates/s: {verdict} ({min(ours, service):.1f}/s)")


if __name__ == "__main__":
    main()
