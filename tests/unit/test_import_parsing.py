"""Pure parsing of spreadsheet cells and headers (no database): dates, French numbers,
identifiers that lost their zeros, encodings, separators, column names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from advisor_app.importing import values
from advisor_app.importing.mapping import auto_mapping, field_for, normalise
from advisor_app.importing.reader import UnreadableFile, column_letter, decode, read_table, sniff_delimiter


@pytest.mark.parametrize(("cell", "expected"), [
    ("03/11/2018", dt.date(2018, 11, 3)), ("3/1/18", dt.date(2018, 1, 3)),
    ("03-11-2018", dt.date(2018, 11, 3)), ("03.11.2018", dt.date(2018, 11, 3)),
    ("2018-11-03", dt.date(2018, 11, 3)), ("03/11/2018 00:00:00", dt.date(2018, 11, 3)),
    (dt.datetime(2018, 11, 3, 0, 0), dt.date(2018, 11, 3)), (43407, dt.date(2018, 11, 3)),
    ("", None), (None, None),
])
def test_dates(cell: object, expected: dt.date | None) -> None:
    assert values.date(cell) == expected


@pytest.mark.parametrize(("cell", "message"), [
    ("31/02/2020", "Date impossible : « 31/02/2020 »."),
    ("mars 2020", "Date illisible : « mars 2020 » (attendu : jj/mm/aaaa)."),
])
def test_bad_dates(cell: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        values.date(cell)


@pytest.mark.parametrize(("cell", "expected"), [
    ("1 250 000,50", 1_250_000.5), ("1\u202f250", 1250.0), ("12,5", 12.5), ("1,250,000.5", 1_250_000.5),
    ("850 000 MAD", 850_000.0), ("1.250.000,00", 1_250_000.0), (7, 7.0), ("", None),
])
def test_numbers_written_the_french_way(cell: object, expected: float | None) -> None:
    assert values.number(cell) == expected


def test_whole_numbers() -> None:
    assert values.whole_number("12,0") == 12 and values.whole_number(3.0) == 3
    with pytest.raises(ValueError, match="entier"):
        values.whole_number("2,5")


def test_identifiers_and_phones_typed_as_numbers() -> None:
    assert values.digits(2345678000031, width=15) == ("002345678000031", True)
    assert values.digits("2345678000031", width=15) == ("002345678000031", True)
    assert values.digits("12345", width=15) == ("12345", False)  # too short to be lost zeros
    assert values.digits("001234567000062", width=15) == ("001234567000062", False)
    assert values.phone(612345678) == "0612345678" and values.phone("06 12") == "06 12"
    assert values.text(7.0) == "7" and values.text(dt.datetime(2020, 1, 15)) == "15/01/2020"


def test_choices_by_code_label_or_unique_prefix() -> None:
    options = values.options([("COMM", ("Commerce et distribution",)), ("SINF", ("Services informatiques",)),
                              ("SENT", ("Services aux entreprises",))])
    assert values.choice("commerce ET distribution", options) == "COMM"
    assert values.choice("Commerce", options, prefix=True) == "COMM"
    assert values.choice("sinf", options) == "SINF"
    with pytest.raises(ValueError, match="Valeur inconnue"):
        values.choice("Services", options, prefix=True)  # two sectors start so


def test_full_names_split_on_the_first_word() -> None:
    assert values.split_full_name(" Zineb  Ait Haddou ") == ("Zineb", "Ait Haddou")
    assert values.split_full_name("Bennani") == ("", "Bennani")


def test_headers_map_by_synonym_and_close_spelling() -> None:
    assert normalise("N° d'ICE") == "n d ice"
    assert field_for("Téléphonne")[0] == "phone"  # a typo still maps
    assert field_for("Couleur préférée") == (None, 0.0)
    mapping = auto_mapping(["Société", "Tél.", "GSM", "Nom", "Prénom", "Notes internes"])
    assert mapping == {0: "name", 1: "phone", 2: "person_phone", 3: "person_last_name",
                       4: "person_first_name", 5: None}
    # a lone "Nom" beside no company name is the company's name
    assert auto_mapping(["Nom", "Ville", "ICE"])[0] == "name"


def test_encodings_and_separators() -> None:
    assert decode("Société;Ville".encode("cp1252")) == ("Société;Ville", "cp1252")
    assert decode("\ufeffSociété".encode()) == ("Société", "utf-8-sig")
    assert decode("Société".encode()) == ("Société", "utf-8")
    assert sniff_delimiter("a;b;c\n1;2,5;3\n") == ";"
    assert sniff_delimiter("a,b,c\n1,2,3\n") == ","
    assert column_letter(0) == "A" and column_letter(25) == "Z" and column_letter(27) == "AB"


def test_header_found_below_title_rows_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text("Programme 2026;;\n;;\n\nRaison sociale;Ville;Téléphone\nAtlas;Fès;0535 60 11 22\n;;\n"
                    "Tifawin;Agadir;\n", encoding="utf-8")
    table = read_table(path)
    assert table.header_row == 4 and table.headers == ["Raison sociale", "Ville", "Téléphone"]
    assert [(r.number, r.values[0]) for r in table.rows] == [(5, "Atlas"), (7, "Tifawin")]


def test_a_binary_file_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(UnreadableFile, match="n'est pas un fichier texte CSV"):
        read_table(path)
