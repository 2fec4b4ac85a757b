import pytest
from django.core.exceptions import ValidationError

from preau.territories.validators import normalize_uai, uai_check_letter, validate_uai


@pytest.mark.parametrize(
    "uai",
    [
        "0750654D",  # the Paris lycée of domain.md: 750654 % 23 = 3 → D
        "0140001" + uai_check_letter("0140001"),  # Calvados
        "6200001" + uai_check_letter("6200001"),  # Corse-du-Sud is 620, not 02A
        "7200009" + uai_check_letter("7200009"),  # Haute-Corse is 720
        "9710001" + uai_check_letter("9710001"),  # Guadeloupe
    ],
)
def test_well_formed_uai_with_the_right_check_letter_is_valid(uai):
    validate_uai(uai)


def test_check_letter_is_the_rest_of_the_division_by_23_among_23_letters():
    assert uai_check_letter("0750654") == "D"
    assert uai_check_letter("0000000") == "A"
    assert uai_check_letter("0000022") == "Z"
    # I, O and Q never appear: they would be read as 1 and 0.
    letters = {uai_check_letter(f"{n:07d}") for n in range(23)}
    assert letters.isdisjoint({"I", "O", "Q"}) and len(letters) == 23


def test_uai_in_lower_case_or_with_spaces_is_normalised_and_valid():
    assert normalize_uai("  0750654d ") == "0750654D"
    validate_uai("0750654d")


def test_uai_with_a_wrong_check_letter_is_refused_with_the_expected_letter_in_french():
    with pytest.raises(ValidationError) as caught:
        validate_uai("0750654E")
    error = caught.value.error_list[0]
    assert error.code == "uai_check_letter"
    assert caught.value.messages == [
        "Le code UAI « 0750654E » est erroné : sa lettre de contrôle devrait être « D ». "
        "Vérifiez-le dans l’annuaire de l’éducation."
    ]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "075065D",  # six digits
        "00750654D",  # eight digits
        "0750654",  # no letter
        "0750654DD",
        "D0750654",
        "07506 54D",
        "0750-654D",
        "0750654É",
        "０７５０６５４D",  # full-width digits are digits for Python, not for the directory
        "٠٧٥٠٦٥٤D",  # Arabic-Indic digits, likewise
    ],
)
def test_uai_of_the_wrong_shape_is_refused_in_french(value):
    with pytest.raises(ValidationError) as caught:
        validate_uai(value)
    assert caught.value.error_list[0].code == "uai_format"
    assert (
        "n’est pas un code UAI : il faut 7 chiffres suivis d’une lettre"
        in (caught.value.messages[0])
    )
