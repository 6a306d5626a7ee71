"""The analyst on a phone (360 px), in a real Chromium: the dashboard fits, its charts are drawn, the CSV
download works and holds no person."""

import csv
import io
from pathlib import Path

import pytest

from tests.conftest import login_in_browser
from tests.incidents.reporting_support import ensure_roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


def test_analyst_dashboard_on_a_phone(phone_page, analyst, known_data, personal_data):
    page = phone_page
    login_in_browser(page, analyst.username)
    page.goto("/statistics/")
    page.select_option("#id_period", "2025")
    page.locator("form[method=get] button[type=submit]").click()
    page.wait_for_url("**/statistics/?period=2025*")
    page.wait_for_load_state()

    # No horizontal scroll: wide tables scroll inside their own box, the page does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate("document.body.scrollWidth") <= 360

    # The charts are drawn, fit the screen and are styled (pygal's colours apply, no script needed).
    charts = page.locator("figure.stats-figure svg")
    assert charts.count() == 9
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box and 200 < box["width"] <= 360 and box["height"] > 50
    fills = page.evaluate("""() => [...document.querySelectorAll('#table-part figure svg g.bar rect')]
                                   .map((rect) => getComputedStyle(rect).fill)""")
    assert set(fills) == {"rgb(13, 110, 253)", "rgb(158, 197, 254)"}  # this period and a year earlier
    assert page.locator("figure.stats-figure svg script").count() == 0

    # The CSV download holds the same filtered tables and nobody's name, text or reference.
    with page.expect_download() as download:
        page.locator("a[href*='export.csv']").click()
    assert download.value.suggested_filename == "qorgau-statistics-2025.csv"
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows[0]) == 8 and len(rows) > 50
    assert any(row[:1] == ["Инциденты по периодам"] or row[3:4] == ["2025"] for row in rows)
    for value in personal_data:
        assert value not in text, value
