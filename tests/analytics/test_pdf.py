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
    assert "Hospital A 5" in text
    assert "Data cut-off" in text and "Generated" in text
    flat = " ".join(text.split())
    assert "counts once as an incident and twice as victims" in flat
    for value in personal_data:
        assert value not in flat, value


def test_chart_is_the_same_svg_on_the_page_and_in_the_pdf_html(english, known_data):
    from analytics.pdf import render_statistics_html

    page = english.get(reverse("analytics:dashboard") + JULY)
    stats = page.context["stats"]
    html = render_statistics_html(stats, language="en")
    for _table, chart in page.context["tables_with_charts"]:
        assert str(chart) in html
        assert str(chart) in page.content.decode()


def test_weasyprint_draws_the_charts_in_the_pdf(july):
    from analytics.pdf import render_statistics_pdf

    with translation.override("en"):
        pdf = render_statistics_pdf(july, language="en")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # Each act label is in its table and again, as drawn text, in its chart; so is the legend.
    for label in ("violence dangerous to life or health", "violence not dangerous to life or health"):
        assert text.count(label) >= 2, label
    assert text.count("2024-07") >= len(july.tables) * 2
