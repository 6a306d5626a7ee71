"""The assessment as shown (`legal/presentation.py`)."""

from django.template.loader import render_to_string
from django.utils import translation

from common.numbers import group_digits
from legal import statute
from legal.facts import parse_facts
from legal.presentation import AssessmentShown, penalty_lines
from legal.rules import assess

NNBSP = "\u202f"


def test_tenge_amounts_of_a_penalty_use_the_shared_recipe():
    mci = statute.CURRENT.mci(2026)
    fine = statute.CURRENT.part(1).fine_mci
    with translation.override("en"):
        lines = penalty_lines(1, 2026)
    assert f"({group_digits(fine[0] * mci)} to {group_digits(fine[1] * mci)} tenge)" in lines[0]
    assert NNBSP in group_digits(fine[0] * mci)


def test_minor_penalty_is_shown_beside_the_parts_own():
    # Issue 19: part 1 in 2026 for a minor: fine 5–100 MCI (21,625–432,500 tenge), no imprisonment (small crime).
    outcome = assess(parse_facts({"occurred_at": "2026-05-10T12:00", "act": "threat", "suspect_minor": True}))
    shown = AssessmentShown(outcome=outcome)
    with translation.override("en"):
        minor, own = shown.minor_penalty, shown.penalty
        html = render_to_string("legal/includes/assessment.html", {"assessment": shown, "override": None})
    assert minor[0] == f"a fine of 5 to 100 MCI ({group_digits(21625)} to {group_digits(432500)} tenge)"
    assert not any("imprisonment" in line for line in minor) and any("imprisonment" in line for line in own)
    assert "Penalty for a minor (CC art. 81)" in html and "a fine of 5 to 100 MCI" in html
    adult = AssessmentShown(outcome=assess(parse_facts({"occurred_at": "2026-05-10T12:00", "act": "threat"})))
    assert adult.minor_penalty == []
