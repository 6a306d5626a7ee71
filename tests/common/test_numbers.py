"""Digit grouping: one recipe (`common/numbers.py` and its template filter) for the law's tenge amounts, the statistics
tables and their charts (those uses are tested with their modules, in tests/legal/test_presentation.py and
tests/analytics/test_figures.py)."""

import pytest
from django.template import Context, Template

from common.numbers import group_digits, parse_id

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (999, "999"),
        (2026, "2026"),  # a year, or any four-digit number, stays whole
        (9999, "9999"),
        (10_000, f"10{NNBSP}000"),
        (2_162_500, f"2{NNBSP}162{NNBSP}500"),
        (-12_345, f"-12{NNBSP}345"),
    ],
)
def test_five_digits_and_more_are_grouped_by_thousands_with_narrow_no_break_spaces(value, text):
    assert group_digits(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(12_345, f"12{NNBSP}345"), ("12345", f"12{NNBSP}345"), (42, "42"), ("<3", "&lt;3"), ("x", "x"), ("—", "—")],
)
def test_the_template_filter_groups_integers_and_leaves_markers_alone(value, text):
    assert Template("{% load numbers %}{{ value|grouped }}").render(Context({"value": value})) == text


def test_the_filter_leaves_booleans_and_none_alone():
    rendered = Template("{% load numbers %}{{ a|grouped }} {{ b|grouped }}").render(Context({"a": True, "b": None}))
    assert rendered == "True None"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("١", None),
        ("²", None),
        ("1\x00", None),
        ("-1", None),
        ("", None),
        (None, None),
        ("1" * 18, int("1" * 18)),
        ("1" * 19, None),
        (" 1", None),
    ],
)
def test_parse_id_takes_ascii_digits_only(text, expected):
    assert parse_id(text) == expected
