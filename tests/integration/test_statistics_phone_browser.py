"""The analyst reads the statistics charts on a phone (360 px), in a real Chromium."""

import datetime as dt

import pytest
from django.utils import timezone

from analytics.snapshot import snapshot_refresh
from incidents.models import Act, Incident
from tests import factories
from tests.conftest import login_in_browser
from tests.incidents.reporting_support import ensure_roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The smallest text of each chart shown (the wide heat map is not, on a phone) as it appears on screen: its font size
# times the chart's scale.
SMALLEST_TEXT = """() => [...document.querySelectorAll('figure.stats-figure svg')]
  .filter(svg => svg.getBoundingClientRect().width > 0).map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return Math.min(...sizes);
})"""


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


# Text that runs past the chart's right edge (a two-column legend, values beyond the longest bar).
TEXT_CUT = """() => [...document.querySelectorAll('figure.stats-figure svg')].flatMap(svg => {
  const right = svg.getBoundingClientRect().right;
  return [...svg.querySelectorAll('text')].filter(t => t.getBoundingClientRect().right > right + 1)
    .map(t => t.textContent);
})"""


def test_chart_text_is_readable_on_a_phone(phone_page, analyst, reporter, facility_a):
    facility_a.name_ru = "Городская многопрофильная больница скорой медицинской помощи"
    facility_a.save()
    start = timezone.make_aware(dt.datetime(timezone.localdate().year, 1, 10, 12, 0))
    for day in range(12):
        incident = factories.IncidentFactory(
            facility=facility_a, reporter=reporter, act=Act.VIOLENCE if day % 3 else Act.THREAT
        )
        Incident.objects.filter(pk=incident.pk).update(
            occurred_at=start + dt.timedelta(days=day), legal_applicable=True, legal_part=1 + day % 3
        )
    snapshot_refresh()
    page = phone_page
    login_in_browser(page, analyst.username)
    page.goto("/statistics/")
    smallest = page.evaluate(SMALLEST_TEXT)
    assert len(smallest) >= 3
    assert min(smallest) >= 9, smallest  # pixels; at 640 units squeezed into 336 px they were about 5
    assert page.evaluate(TEXT_CUT) == []
    # Each row's label runs across the chart above its bars (a label column beside the bars left them no
    # room): the long name is readable, and the longest bar takes most of the chart's width.
    labels = page.evaluate(
        "() => [...document.querySelectorAll('figure.stats-figure text.row-label')].map(t => t.textContent)"
    )
    assert any(label.startswith(facility_a.name_ru[:40]) for label in labels), labels
    widest = page.evaluate("""() => [...document.querySelectorAll('figure.stats-figure svg')]
        .filter(svg => svg.querySelector('rect[class^="bar-"]')).map(svg =>
        Math.max(...[...svg.querySelectorAll('rect[class^="bar-"]')].map(r => r.getBoundingClientRect().width))
        / svg.getBoundingClientRect().width)""")
    assert len(widest) >= 5
    assert min(widest) > 0.5, widest
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
