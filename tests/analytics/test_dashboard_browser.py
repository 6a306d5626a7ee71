"""The analyst's dashboard in a real Chromium, on a phone (360 px) and a desktop (1366 px), with the demo data: the
headline tiles, the trend and the heat map are within the first two screens, the page never scrolls sideways, every
figure is drawn with its text equivalent, last year's bars keep 3:1 contrast, and the tidy CSV downloads. Screenshots
go to var/ to be looked at."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from analytics.services import snapshot_refresh_and_cache
from tests.conftest import login_in_browser
from tests.incidents.reporting_support import ensure_roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--no-accounts", verbosity=0)
    call_command("seed_demo", "--incidents", "1500", "--seed", "18", verbosity=0)
    # As the beat task does in production: refresh, then suppress every scope and draw the opening dashboard once
    # (the one suppression run over every filter takes seconds at this size; a page never waits for it after a refresh).
    snapshot_refresh_and_cache()


def contrast(rgb: str, background=(255, 255, 255)) -> float:
    """WCAG contrast ratio of an "rgb(r, g, b)" colour against the background."""

    def luminance(channels) -> float:
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in channels)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    colour = [int(v) for v in re.findall(r"\d+", rgb)[:3]]
    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(("width", "height"), [(360, 780), (1366, 768)])
def test_analyst_dashboard_first_two_screens(browser, live_server, analyst, demo, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ru", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    login_in_browser(page, analyst.username)
    page.goto("/statistics/")
    page.wait_for_load_state()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"dashboard-{width}.png"))
    page.screenshot(path=str(SCREENSHOTS / f"dashboard-{width}-full.png"), full_page=True)

    # No horizontal scroll: wide tables scroll inside their own box, the page does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # The tiles, the trend and the heat map are within the first two screens.
    two_screens = 2 * height
    tiles = page.locator(".stats-tile")
    assert tiles.count() == 5
    heat = "#figure-heat figure:visible svg"
    for selector in (".stats-tiles", "#figure-trend figure svg", heat):
        box = page.locator(selector).first.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= two_screens, (selector, box)
        assert box["width"] <= width
    assert page.locator(heat).count() == 1  # one of the two layouts is shown: portrait on a phone, wide on a desktop
    portrait = page.locator("#figure-heat .stats-heat-portrait").is_visible()
    assert portrait == (width < 768)

    # Every figure is an image with a name and a description, and its table one click away.
    figures = page.locator("figure.stats-figure svg")
    assert figures.count() >= 10
    for index in range(figures.count()):
        svg = figures.nth(index)
        assert svg.get_attribute("role") == "img"
        assert svg.locator("title").first.text_content().strip()
    for section in ("#figure-trend", "#figure-heat", "#figure-districts", "#figure-facilities", "#figure-funnel"):
        details = page.locator(f"{section} details")
        assert details.locator("table").count() >= 1
        assert not details.locator("table").first.is_visible()
        details.locator("summary").click()
        assert details.locator("table").first.is_visible()
    assert page.locator("figure.stats-figure svg script").count() == 0

    # Last year's bars keep at least 3:1 contrast against the white background.
    fills = page.evaluate("""() => [...document.querySelectorAll('#table-part figure svg rect[class^="bar-"]')]
                                   .map((rect) => getComputedStyle(rect).fill)""")
    assert len(set(fills)) == 2
    assert all(contrast(fill) >= 3 for fill in fills), fills

    # Breakdowns: two to a row on a desktop, one on a phone.
    first, second = (page.locator(f"#table-{key}").bounding_box() for key in ("part", "act"))
    assert (abs(first["y"] - second["y"]) < 2) == (width >= 992)

    # The tidy CSV downloads.
    page.locator(".stats-filters summary").click()
    with page.expect_download() as download:
        page.locator("a[href*='export.csv']").click()
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows[0]) == 14 and len(set(rows[0])) == 14 and all(len(row) == 14 for row in rows)
    context.close()
