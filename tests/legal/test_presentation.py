"""The assessment as shown (`legal/presentation.py`)."""

from django.utils import translation

from common.numbers import group_digits
from legal import statute
from legal.presentation import penalty_lines

NNBSP = "\u202f"


def test_tenge_amounts_of_a_penalty_use_the_shared_recipe():
    mci = statute.CURRENT.mci(2026)
    fine = statute.CURRENT.part(1).fine_mci
    with translation.override("en"):
        lines = penalty_lines(1, 2026)
    assert f"({group_digits(fine[0] * mci)} to {group_digits(fine[1] * mci)} tenge)" in lines[0]
    assert NNBSP in group_digits(fine[0] * mci)
