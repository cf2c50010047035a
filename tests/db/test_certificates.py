"""Certificates on a real database: who meets the completion rules and why not, issuing
(append-only rows, signed codes, numbers that never collide between laptops), reissuing,
refusals, and the PDF itself (text in the right order, the QR code decoded)."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from advisor_app.domain.certificates import Certificate
from advisor_app.domain.local import SyncOutbox
from advisor_app.services import certificate_files, certificates
from advisor_app.services.database import Database, open_database, set_setting
from advisor_app.services.errors import UserError
from advisor_app.sync import device_key
from tests.certificate_scenario import Scenario, build_group, enrol_for_signing

TOOLS = ("pdftotext", "pdftoppm", "zbarimg")
# QR codes only: other symbologies can "find" a barcode in the printed text
ZBAR_QR = ("zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable")
needs_tools = pytest.mark.skipif(
    not os.environ.get("CI") and not all(shutil.which(tool) for tool in TOOLS),
    reason="poppler-utils and zbar-tools (scripts/test.sh installs them; CI fails instead)")


@pytest.fixture
def scenario(db: Database) -> Scenario:
    return build_group(db)


@pytest.fixture
def public_key(db: Database, scenario: Scenario) -> str:
    return enrol_for_signing(db)


def _certificates(db: Database) -> list[Certificate]:
    with db.sessions() as session:
        return list(session.scalars(select(Certificate).order_by(Certificate.number)))


def test_each_participant_sees_which_rules_hold_and_why_not(db: Database, scenario: Scenario) -> None:
    overview = certificates.group_certificates(db, scenario.group_id)
    assert not overview.can_sign and "pas inscrit auprès du siège" in overview.signing_problem
    people = {p.person_name: p for p in overview.participants}
    assert list(people) == ["Khadija Bennani", "Youssef Bennani", "Salma Idrissi", "Hassan Ait Lahcen",
                            "Nadia Tazi"]  # by company, then name
    assert people["Khadija Bennani"].eligible and people["Youssef Bennani"].eligible
    assert people["Khadija Bennani"].person_name_ar == "خديجة بناني"
    assert people["Salma Idrissi"].reasons == [
        "Assiduité d'au moins 80 % — 62 % : présent à 5 séance(s) sur 8.",
        "Au moins 6 demi-journée(s) suivie(s) — 5 demi-journée(s) suivie(s) : il en manque 1.",
        "Diagnostic final validé — Aucun diagnostic final validé."]
    assert people["Hassan Ait Lahcen"].reasons == [
        "Plan d'action validé — 0 problème(s) clé(s) validé(s) sur 1 attendu(s)."]
    assert people["Nadia Tazi"].reasons[0] == "Assiduité d'au moins 80 % — Aucune séance émargée."


def test_a_laptop_not_enrolled_cannot_issue(db: Database, scenario: Scenario) -> None:
    with pytest.raises(UserError, match="pas inscrit auprès du siège"):
        certificates.issue_certificates(db, group_id=scenario.group_id)
    assert _certificates(db) == []


def test_issuing_for_the_group_signs_one_certificate_per_eligible_participant(
        db: Database, scenario: Scenario, public_key: str) -> None:
    issued = certificates.issue_certificates(db, group_id=scenario.group_id)
    prefix = device_key.key_prefix(public_key)
    assert [(r.number, r.person_name) for r in issued] == [
        (f"ATT-{prefix}-00001", "Khadija Bennani"), (f"ATT-{prefix}-00002", "Youssef Bennani")]
    rows = _certificates(db)
    khadija = rows[0]
    assert khadija.person_id == scenario.person("Khadija")
    assert khadija.facts["beneficiary_ar"] == "خديجة بناني"
    assert khadija.facts["company"] == "Atelier Amal" and khadija.facts["ice"] == "001525478000088"
    assert khadija.facts["half_days"] == 8.0 and khadija.facts["attendance_rate"] == 1.0
    assert khadija.facts["themes"][:2] == ["Gérer sa trésorerie", "Fixer ses prix"]
    assert (khadija.scope_region, khadija.scope_group) == ("MA-06", scenario.group_id)
    # the code carries the number's counter and the name, signed with the laptop's key
    content = device_key.read_code(khadija.signature)
    assert (content.counter, content.name) == (1, "Khadija Bennani")
    assert content.digest == device_key.facts_digest(khadija.facts)
    assert device_key.verify_signature(content, public_key)
    with db.sessions() as session:  # they go to HQ with the next sync
        queued = session.scalars(select(SyncOutbox.row_id).where(SyncOutbox.table_name == "certificate"))
        assert set(queued) == {r.id for r in rows}
    # nobody else is eligible: issuing again issues nothing
    assert certificates.issue_certificates(db, group_id=scenario.group_id) == []
    overview = certificates.group_certificates(db, scenario.group_id)
    assert overview.participants[0].certificate is not None
    assert overview.participants[0].certificate.number == f"ATT-{prefix}-00001"


def test_a_tampered_code_fails_its_signature(db: Database, scenario: Scenario, public_key: str) -> None:
    certificates.issue_certificates(db, group_id=scenario.group_id)
    code = _certificates(db)[0].signature
    raw = bytearray(device_key.unb64(code))
    raw[22] ^= 0x01  # another counter: another certificate number
    forged = device_key.read_code(device_key.b64(bytes(raw)))
    assert not device_key.verify_signature(forged, public_key)
    other_key = device_key.public_text(device_key.new_private_key())
    assert not device_key.verify_signature(device_key.read_code(code), other_key)
    for garbage in ("", "abc", code[:-3], "!!" + code):
        with pytest.raises(device_key.CodeError):
            device_key.read_code(garbage)


def test_named_participants_are_checked_one_by_one(db: Database, scenario: Scenario,
                                                   public_key: str) -> None:
    with pytest.raises(UserError, match="Salma Idrissi ne remplit pas encore les conditions : Assiduité"):
        certificates.issue_certificates(db, group_id=scenario.group_id,
                                        person_ids=[scenario.person("Khadija"), scenario.person("Salma")])
    assert _certificates(db) == []  # nothing issued when one of them is refused
    [row] = certificates.issue_certificates(db, group_id=scenario.group_id,
                                            person_ids=[scenario.person("Youssef")])
    assert row.person_name == "Youssef Bennani" and row.number.endswith("-00001")
    with pytest.raises(UserError, match="a déjà l'attestation n°"):
        certificates.issue_certificates(db, group_id=scenario.group_id,
                                        person_ids=[scenario.person("Youssef")])


def test_reissue_makes_a_new_number_naming_the_old_one(db: Database, scenario: Scenario,
                                                       public_key: str) -> None:
    first = certificates.issue_certificates(db, group_id=scenario.group_id)[0]
    with db.unit_of_work() as session:  # a typo fixed in the name
        from advisor_app.domain.companies import Person

        person = session.get(Person, scenario.person("Khadija"))
        assert person is not None
        person.last_name = "Bennani-Alaoui"
    second = certificates.reissue_certificate(db, first.id)
    assert second.number.endswith("-00003") and second.supersedes_number == first.number
    assert second.person_name == "Khadija Bennani-Alaoui"
    rows = {c.number: c for c in _certificates(db)}
    assert rows[first.number].facts["beneficiary"] == "Khadija Bennani"  # the old one is kept as printed
    assert rows[second.number].supersedes_id == first.id
    assert rows[second.number].facts["supersedes"] == first.number
    with pytest.raises(UserError, match="déjà été remplacée"):
        certificates.reissue_certificate(db, first.id)
    overview = certificates.group_certificates(db, scenario.group_id)
    assert overview.participants[0].certificate is not None
    assert overview.participants[0].certificate.number == second.number


def test_a_counter_gone_back_never_reuses_a_number(db: Database, scenario: Scenario,
                                                   public_key: str) -> None:
    first = certificates.issue_certificates(db, group_id=scenario.group_id)
    prefix = device_key.key_prefix(public_key)
    with db.unit_of_work() as session:  # e.g. settings from an older backup
        set_setting(session, certificates.COUNTER_KEY.format(prefix=prefix), "0")
    again = certificates.reissue_certificate(db, first[0].id)
    assert again.number == f"ATT-{prefix}-00003"


def test_two_laptops_offline_never_issue_the_same_number(tmp_path: Path, template_db: Path) -> None:
    numbers = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.sqlite"
        shutil.copyfile(template_db, path)
        laptop = open_database(path)
        try:
            scenario = build_group(laptop)
            enrol_for_signing(laptop)
            numbers += [r.number for r in certificates.issue_certificates(laptop, group_id=scenario.group_id)]
        finally:
            laptop.close()
    assert len(numbers) == 4 and len(set(numbers)) == 4
    assert numbers[0].endswith("-00001") and numbers[2].endswith("-00001")  # same counter, other prefix


def _text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    # Arabic comes out as presentation forms (the shaped glyphs): back to plain letters
    return unicodedata.normalize("NFKC", text).replace("\u202b", "").replace("\u202c", "")


@needs_tools
def test_the_pdf_reads_in_french_and_arabic_and_its_qr_code_holds_the_signed_url(
        db: Database, scenario: Scenario, public_key: str, tmp_path: Path) -> None:
    issued = certificates.issue_certificates(db, group_id=scenario.group_id)
    [path] = certificate_files.write_certificates(db, [issued[0].id], tmp_path / "out")
    assert path.name == f"attestation-{issued[0].number}.pdf"
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape
    text = _text(path)
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    order = ["ATTESTATION DE PARTICIPATION", "شهادة المشاركة", "Madame Khadija Bennani", "خديجة بناني",
             "Gérante de l'entreprise Atelier Amal (SARL, ICE 001525478000088)",
             "a participé au parcours « Performance ciblée »", "الأداء المستهدف",
             "Demi-journées suivies : 8 sur 8 — assiduité : 100 % (8 séance(s) sur 8).",
             "Thèmes travaillés : Gérer sa trésorerie", "Fait à Settat", "Le conseiller",
             "Le responsable du programme", f"N° {issued[0].number}"]
    positions = [next(i for i, line in enumerate(lines) if wanted in line) for wanted in order]
    assert positions == sorted(positions)
    assert "(région Casablanca-Settat), du 2 mars 2026 au 2 juillet 2026." in " ".join(lines)
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(path), str(tmp_path / "page")], check=True)
    decoded = subprocess.run([*ZBAR_QR, str(tmp_path / "page-1.png")],
                             capture_output=True, text=True, check=True).stdout.strip()
    with db.sessions() as session:
        code = session.scalar(select(Certificate.signature).where(Certificate.number == issued[0].number))
    assert decoded == f"https://siege.example.ma/verify/{code}"
    assert device_key.verify_signature(device_key.read_code(decoded), public_key)


def test_the_group_prints_as_one_file_a_page_each(db: Database, scenario: Scenario, public_key: str,
                                                   tmp_path: Path) -> None:
    issued = certificates.issue_certificates(db, group_id=scenario.group_id)
    path = certificate_files.write_bundle(db, [r.id for r in issued], tmp_path / "groupe.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    assert "Youssef Bennani" in reader.pages[1].extract_text()
    with pytest.raises(UserError, match="Impossible d'écrire"):
        certificate_files.write_bundle(db, [issued[0].id], tmp_path / "missing" / "x" / "groupe.pdf")
