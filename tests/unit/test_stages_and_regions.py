import pytest

from advisor_app.domain.enums import Stage
from advisor_app.domain.regions import normalise_region_name, resolve_region
from advisor_app.domain.stages import transition_error


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Stage.REGISTERED, Stage.DIAGNOSED),
        (Stage.REGISTERED, Stage.IN_GROUP),  # joined a group before the diagnostic was typed
        (Stage.COACHING, Stage.COMPLETED),
    ],
)
def test_forward_moves_are_allowed(current: Stage, target: Stage) -> None:
    assert transition_error(current, target) is None


def test_dropping_needs_a_reason() -> None:
    assert transition_error(Stage.COACHING, Stage.DROPPED) == "Indiquez le motif de l'abandon."
    assert transition_error(Stage.COACHING, Stage.DROPPED, reason="Cessation d'activité") is None


def test_going_back_is_one_step_with_a_reason() -> None:
    assert transition_error(Stage.IN_GROUP, Stage.DIAGNOSED) is not None
    assert transition_error(Stage.IN_GROUP, Stage.DIAGNOSED, reason="erreur de saisie") is None
    assert transition_error(Stage.COACHING, Stage.REGISTERED, reason="x") == (
        "Le retour en arrière se fait d'une étape à la fois.")


def test_final_and_dropped_stages() -> None:
    assert transition_error(Stage.COMPLETED, Stage.DROPPED, reason="x") == (
        "Un accompagnement terminé ne change plus d'étape.")
    assert transition_error(Stage.DROPPED, Stage.COACHING, reason="reprise",
                            previous=Stage.COACHING) is None
    assert transition_error(Stage.DROPPED, Stage.COMPLETED, reason="x",
                            previous=Stage.COACHING) is not None
    assert transition_error(Stage.DIAGNOSED, Stage.DIAGNOSED) is not None


def test_region_names_are_matched_without_accents_case_or_punctuation() -> None:
    assert normalise_region_name("Béni Mellal-Khénifra") == "beni mellal khenifra"
    assert normalise_region_name("L’Oriental") == normalise_region_name("l'oriental")
    index = {"beni mellal khenifra": "MA-05", "tadla azilal": "MA-05"}
    assert resolve_region("  TADLA-AZILAL ", index) == "MA-05"
    assert resolve_region("MA-05", index) == "MA-05"
    assert resolve_region("Atlantide", index) is None
    assert resolve_region("", index) is None
