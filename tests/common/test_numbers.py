"""Digit grouping: one recipe (`common.numbers.group_digits`) for the law's tenge amounts, the statistics tables and
their charts."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from analytics.charts import bar_chart
from analytics.tables import Cell, Row, Table
from common.numbers import group_digits
from legal import statute
from legal.presentation import penalty_lines

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


def test_tenge_amounts_of_a_penalty_use_the_shared_recipe():
    mci = statute.CURRENT.mci(2026)
    fine = statute.CURRENT.part(1).fine_mci
    with translation.override("en"):
        lines = penalty_lines(1, 2026)
    assert f"({group_digits(fine[0] * mci)} to {group_digits(fine[1] * mci)} tenge)" in lines[0]
    assert NNBSP in group_digits(fine[0] * mci)


def test_a_count_reads_the_same_in_the_statistics_table_and_its_chart():
    table = Table(
        key="demo",
        title="Demo",
        unit="incidents",
        rows=[Row("Ward", Cell(12_345), Cell(2, state="primary")), Row("Street", Cell(7), Cell(None))],
        current_label="2026",
        previous_label="2025",
    )
    chart = bar_chart(table)
    stats = SimpleNamespace(headline=[], tables=[table], timings=[], threshold=3)
    with translation.override("en"):
        html = render_to_string("analytics/_tables.html", {"stats": stats, "tables_with_charts": [(table, chart)]})
    grouped = group_digits(12_345)
    assert f'<td class="text-end">{grouped}</td>' in html
    assert f'class="value">{grouped}</text>' in str(chart)  # the bar's printed count
    assert '<td class="text-end">7</td>' in html and '<td class="text-end">&lt;3</td>' in html
