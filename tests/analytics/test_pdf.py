"""The statistics PDF (`analytics/pdf.py`): the dashboard's figures with their hidden cells, the data dictionary and no
person; the charts drawn by WeasyPrint, the same SVG as on the page."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from analytics.pdf import render_statistics_pdf
from analytics.periods import Period
from analytics.selectors.filters import Filters
from analytics.selectors.statistics import statistics_for

pytestmark = pytest.mark.django_db

JULY = "?period=2025-07"


@pytest.fixture
def english(client, analyst):
    client.cookies["django_language"] = "en"
    client.force_login(analyst)
    return client


def test_pdf_shows_hidden_cells_and_the_data_dictionary_and_no_person(known_data, personal_data):
    from django.utils import translation

    with translation.override("en"):
        stats = statistics_for(Filters(Period.parse("2025-07")))
        pdf = render_statistics_pdf(stats, language="en")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Qorgau statistics: 2025-07" in text
    assert "Children's B <3" in text
    hospital_a = next(row for row in stats.table("facility").rows if row.label == "Hospital A")
    assert f"Hospital A {hospital_a.current.text}" in text  # as the dashboard has it (hidden "x" since issue 10)
    assert "Data cut-off" in text and "Generated" in text
    assert "Claims filed" in text  # the victims' compensation, as on the dashboard
    flat = " ".join(text.split())
    assert "counts once as an incident and twice as victims" in flat
    for value in personal_data:
        assert value not in flat, value


def test_the_figures_are_the_same_svg_on_the_page_and_in_the_pdf_html(english, known_data):
    """The trend, the heat map and the district map are drawn by the same functions from the same figures; only the
    bar charts differ (cut into pieces that fit a page)."""
    from analytics.pdf import render_statistics_html

    page = english.get(reverse("analytics:dashboard") + JULY)
    board = page.context["board"]
    with translation.override("en"):
        html = render_statistics_html(page.context["stats"], language="en")
    for svg in (board.trend, board.heat, board.districts):
        drawing = str(svg).split('preserveAspectRatio="xMinYMin meet"', 1)[1]  # after the size, which differs
        assert drawing in html
        assert drawing in page.content.decode()


def test_weasyprint_draws_the_charts_in_the_pdf(july):
    from analytics.pdf import render_statistics_pdf

    with translation.override("en"):
        pdf = render_statistics_pdf(july, language="en")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # Each act label is in its table and again, as drawn text, in its chart; so is the legend.
    for label in ("violence dangerous to life or health", "violence not dangerous to life or health"):
        assert text.count(label) >= 2, label
    from analytics.selectors.details import YEAR_TABLES

    # Every table of the period names it and a year earlier (the attackers' tables name their whole year instead).
    assert text.count("2024-07") >= len([t for t in july.tables if t.key not in YEAR_TABLES]) * 2
