"""HQ's attestations of training for advisors, over a real HQ on loopback (SQLite and
PostgreSQL): ``advisor-hq attestation issue`` writes the PDF (French and Arabic text in
reading order, extracted with pypdf), its QR code (decoded with zbarimg) opens the public
``/verify`` page which says authentic, ``certificate verify`` agrees, a tampered code is
unknown, a revoked one says so; numbers come from HQ's own space (ATT-HQ-...)."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from advisor_app.hq import advisor_attestations
from advisor_app.hq import cli as hq_cli
from advisor_app.hq.admin import NewAdvisor
from advisor_app.services.errors import UserError
from advisor_app.sync import device_key
from tests.hq.harness import LiveHq

TOOLS = ("pdftoppm", "zbarimg")
# QR codes only: other symbologies can "find" a barcode in the printed text
ZBAR_QR = ("zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable")
pytestmark = pytest.mark.skipif(
    not os.environ.get("CI") and not all(shutil.which(tool) for tool in TOOLS),
    reason="poppler-utils and zbar-tools (scripts/test.sh installs them; CI fails instead)")
TRAINING = "Animation de groupes d'entreprises (accompagnement collectif)"


def _cli(hq: LiveHq, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = hq_cli.main([*args, "--database-url", hq.db.url])
    out = capsys.readouterr()
    return status, out.out + out.err


def _qr(pdf: Path, folder: Path) -> str:
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(folder / "page")], check=True)
    return subprocess.run([*ZBAR_QR, str(folder / "page-1.png")], capture_output=True,
                          text=True, check=True).stdout.strip()


def test_issue_verify_tamper_and_revoke(hq: LiveHq, samira: NewAdvisor, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _cli(hq, capsys, "attestation", "issue", "--advisor", samira.advisor_id,
                       "--training", TRAINING, "--out", str(tmp_path / "out"), "--base-url", hq.url,
                       "--name-ar", "سميرة العلوي")
    assert status == 0, out
    assert "Attestation ATT-HQ-00001 délivrée à Samira Alaoui" in out
    pdf = tmp_path / "out" / "ATT-HQ-00001.pdf"
    # Arabic comes out as presentation forms (the shaped glyphs): NFKC gives plain letters
    raw = unicodedata.normalize("NFKC", PdfReader(pdf).pages[0].extract_text())
    lines = [" ".join(line.split()) for line in raw.splitlines() if line.strip()]
    order = ["ATTESTATION DE FORMATION", "شهادة التكوين", "Le siège du programme atteste que",
             "Samira Alaoui", "سميرة العلوي", "conseiller(ère) du programme de la région Casablanca-Settat",
             "a suivi avec succès la formation", "تكوين المستشارين في المواكبة الجماعية",
             "Fait à Rabat, le", "Le responsable du programme", "N° ATT-HQ-00001"]
    positions = [next(i for i, line in enumerate(lines) if wanted in line) for wanted in order]
    assert positions == sorted(positions), lines
    assert f"a suivi avec succès la formation « {TRAINING} »." in " ".join(lines)

    url = _qr(pdf, tmp_path)
    assert url.startswith(f"{hq.url}/verify/")
    page = httpx.get(url)
    assert page.status_code == 200
    assert "data-verdict='valid'" in page.text and "délivrée par le siège du programme" in page.text
    assert TRAINING.replace("'", "&#x27;") in page.text
    status, out = _cli(hq, capsys, "certificate", "verify", url)
    assert status == 0 and "Attestation authentique" in out and f"Formation : {TRAINING}" in out

    base, code = url.rsplit("/", 1)
    raw = bytearray(device_key.unb64(code))
    raw[-70] ^= 0x20  # a letter of the name carried in the code
    tampered = f"{base}/{device_key.b64(bytes(raw))}"
    assert httpx.get(tampered).status_code == 404
    status, out = _cli(hq, capsys, "certificate", "verify", tampered)
    assert status == 1 and "Attestation inconnue" in out

    status, out = _cli(hq, capsys, "certificate", "revoke", "ATT-HQ-00001",
                       "--reason", "Formation non validée")
    assert status == 0, out
    revoked = httpx.get(url)
    assert "data-verdict='revoked'" in revoked.text and "Formation non validée" in revoked.text

    status, out = _cli(hq, capsys, "attestation", "issue", "--advisor", samira.advisor_id,
                       "--training", "Diagnostic", "--out", str(tmp_path / "out"), "--base-url", hq.url)
    assert status == 0 and "ATT-HQ-00002" in out  # the counter goes on


def test_bad_input_is_refused_clearly(hq: LiveHq, samira: NewAdvisor, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _cli(hq, capsys, "attestation", "issue", "--advisor", "nobody", "--training", "x",
                       "--out", str(tmp_path), "--base-url", hq.url)
    assert status == 1 and "Conseiller inconnu : « nobody »" in out and "Traceback" not in out
    status, out = _cli(hq, capsys, "attestation", "issue", "--advisor", samira.advisor_id, "--training", " ",
                       "--out", str(tmp_path), "--base-url", hq.url)
    assert status == 1 and "Indiquez la formation suivie" in out
    with pytest.raises(SystemExit) as exited:
        hq_cli.main(["attestation", "issue", "--advisor", samira.advisor_id, "--out", str(tmp_path),
                     "--base-url", hq.url, "--database-url", hq.db.url])
    assert exited.value.code == 2 and "--training" in capsys.readouterr().err
    with hq.db.write() as session, pytest.raises(UserError, match="Adresse du siège invalide"):
        advisor_attestations.issue(session, advisor_id=samira.advisor_id, training="x", base_url="siege")
    assert not list(tmp_path.glob("*.pdf"))
