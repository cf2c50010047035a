import datetime as dt

import pytest

from advisor_app.domain import validation as v
from advisor_app.domain.company_rules import CompanyInput, validate_company


class TestIce:
    def test_valid_ice_is_compacted(self) -> None:
        assert v.check_ice(" 001 561 191 000 066 ") == ("001561191000066", [])

    def test_wrong_length_is_an_error_that_counts_digits(self) -> None:
        value, issues = v.check_ice("00156119100006")
        assert value == "00156119100006"
        assert [(i.severity, i.message) for i in issues] == [
            (v.Severity.ERROR, "L'ICE doit comporter 15 chiffres (14 saisis).")
        ]

    def test_letters_are_an_error(self) -> None:
        _, issues = v.check_ice("00156119100006A")
        assert issues[0].message == "L'ICE ne doit contenir que des chiffres."
        assert issues[0].severity is v.Severity.ERROR

    def test_checksum_mismatch_is_only_a_warning(self) -> None:
        value, issues = v.check_ice("001561191000065")
        assert value == "001561191000065"
        assert [i.severity for i in issues] == [v.Severity.WARNING]
        assert "clé de contrôle" in issues[0].message

    def test_blank_is_allowed(self) -> None:
        assert v.check_ice("   ") == (None, [])

    def test_generated_check_digits_validate(self) -> None:
        ice = v.ice_with_check_digits("0021360930000")
        assert ice == "002136093000040"
        assert v.check_ice(ice)[1] == []


class TestPhone:
    @pytest.mark.parametrize(
        ("raw", "e164"),
        [
            ("06 12 34 56 78", "+212612345678"),
            ("0612-345678", "+212612345678"),
            ("+212 5 22 12 34 56", "+212522123456"),
            ("00212661234567", "+212661234567"),
            ("0708091011", "+212708091011"),
            ("+33 1 42 68 53 00", "+33142685300"),  # a French partner's number stays French
        ],
    )
    def test_normalised_to_e164(self, raw: str, e164: str) -> None:
        assert v.check_phone(raw) == (e164, [])

    @pytest.mark.parametrize("raw", ["12345", "06 12 34", "téléphone", "+212 1 23"])
    def test_invalid_numbers_get_a_french_message_and_keep_the_input(self, raw: str) -> None:
        value, issues = v.check_phone(raw)
        assert value == raw
        assert len(issues) == 1
        assert issues[0].message.startswith("Numéro de téléphone invalide")

    def test_display_form(self) -> None:
        assert v.format_phone("+212612345678") == "06 12 34 56 78"
        assert v.format_phone("+33142685300") == "+33 1 42 68 53 00"
        assert v.format_phone(None) == ""


class TestEmail:
    def test_valid_email_is_normalised(self) -> None:
        assert v.check_email(" Contact@Atlas-Bois.MA ") == ("Contact@atlas-bois.ma", [])

    @pytest.mark.parametrize("raw", ["contact@", "contact atlas.ma", "a@b"])
    def test_invalid_email(self, raw: str) -> None:
        _, issues = v.check_email(raw)
        assert issues and issues[0].message.startswith("Adresse e-mail invalide")


def test_required_and_numbers() -> None:
    assert v.check_required("  Atlas   Bois ", field_name="name", label="Raison sociale") == (
        "Atlas Bois", [])
    _, issues = v.check_required(" ", field_name="name", label="Raison sociale")
    assert issues[0].message == "Ce champ est obligatoire : Raison sociale."
    assert v.check_non_negative_int("12", field_name="e", label="Effectif") == (12, [])
    assert v.check_non_negative_int("-1", field_name="e", label="Effectif")[1][0].message == (
        "Effectif : le nombre ne peut pas être négatif.")
    assert v.check_non_negative_int("douze", field_name="e", label="Effectif")[1][0].message == (
        "Effectif : un nombre entier est attendu.")


class TestCompanyForm:
    TODAY = dt.date(2026, 11, 22)

    def test_a_good_company_has_no_issue_and_normalised_values(self) -> None:
        report = validate_company(
            CompanyInput(name="Menuiserie Atlas", legal_form="sarl", segment="tpe",
                         region_code="MA-06", city=" Settat ", ice="001561191000066",
                         phone="0522 12 34 56", email="atlas@menuiserie.ma", employees="7",
                         created_on=dt.date(2019, 4, 1)),
            today=self.TODAY, known_regions={"MA-06"},
        )
        assert report.ok and report.issues == []
        assert report.values["phone"] == "+212522123456"
        assert report.values["employees"] == 7
        assert report.values["city"] == "Settat"

    def test_every_bad_field_is_reported_at_its_field(self) -> None:
        report = validate_company(
            CompanyInput(name="", legal_form="gmbh", segment=None, region_code="MA-99",
                         ice="123", phone="12", email="x@", employees="-3",
                         created_on=dt.date(2030, 1, 1)),
            today=self.TODAY, known_regions={"MA-06"},
        )
        fields = {i.field for i in report.errors}
        assert fields == {"name", "legal_form", "segment", "region_code", "ice", "phone",
                          "email", "employees", "created_on"}
        assert report.for_field("legal_form")[0].message == "Forme juridique : valeur inconnue « gmbh »."
        assert not report.ok

    def test_checksum_warning_does_not_block(self) -> None:
        report = validate_company(
            CompanyInput(name="X", legal_form="sarl", segment="tpe", region_code="MA-06",
                         ice="001561191000065"),
            today=self.TODAY, known_regions={"MA-06"},
        )
        assert report.ok and len(report.warnings) == 1


class TestInputFromRealKeyboards:
    def test_arabic_indic_digits_are_read_as_digits(self) -> None:
        assert v.check_ice("٠٠١٥٦١١٩١٠٠٠٠٦٦") == ("001561191000066", [])
        assert v.check_phone("٠٦١٢٣٤٥٦٧٨") == ("+212612345678", [])

    def test_superscripts_are_not_digits(self) -> None:
        _, issues = v.check_ice("00152364500002²")
        assert issues[0].message == "L'ICE ne doit contenir que des chiffres."

    @pytest.mark.parametrize("raw", ["0612345678x", "tel: 0612345678", "0612345678 ext. 5"])
    def test_text_or_extension_in_a_phone_is_refused(self, raw: str) -> None:
        _, issues = v.check_phone(raw)
        assert issues and "sans texte ni poste" in issues[0].message

    def test_french_thousands_and_absurd_sizes(self) -> None:
        assert v.check_non_negative_int("1\u00a0000", field_name="e", label="Effectif") == (1000, [])
        assert v.check_non_negative_int("1\u202f200", field_name="e", label="Effectif") == (1200, [])
        _, issues = v.check_non_negative_int("9" * 23, field_name="e", label="Effectif")
        assert "trop grand" in issues[0].message

    def test_unknown_sector_and_overlong_name(self) -> None:
        report = validate_company(
            CompanyInput(name="N" * 201, legal_form="sarl", segment="tpe", region_code="MA-06",
                         sector_code="SPACE"),
            today=dt.date(2026, 11, 22), known_regions={"MA-06"}, known_sectors={"AGRO"},
        )
        assert report.for_field("sector_code")[0].message == "Secteur inconnu : « SPACE »."
        assert report.for_field("name")[0].message == "Raison sociale : 200 caractères au plus (201 saisis)."
