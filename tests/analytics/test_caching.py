"""The statistics are computed once per snapshot, and the dashboard's figures drawn once (issue 14): the `Statistics`
(`analytics.selectors.statistics.statistics_cached`) and the dashboard's HTML (`analytics.presentation.dashboard_html`)
are cached under the snapshot's stamp, the scope, the threshold, the period and the language. A second view reads
them; a refresh, another scope (a lead's, unsuppressed) or another language is a new key. Nothing personal is
cached, and the exports draw nothing."""

import datetime as dt
import pickle
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analytics import exports, figures, services
from analytics.periods import Period
from analytics.selectors import statistics
from analytics.selectors.filters import Filters
from analytics.snapshot import current_snapshot, snapshot_refresh
from tests import factories
from tests.analytics.conftest import ALMATY, incident

pytestmark = pytest.mark.django_db

JULY = "?period=2025-07"
DASHBOARD = reverse("analytics:dashboard")


def as_user(client, user, language="en"):
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def refuse(monkeypatch) -> None:
    """From here on, computing the statistics or drawing a chart fails the test."""

    def refuse_to_compute(*args, **kwargs):
        raise AssertionError("the statistics were computed again")

    def refuse_to_draw(*args, **kwargs):
        raise AssertionError("a chart was drawn")

    monkeypatch.setattr(statistics, "statistics_for", refuse_to_compute)
    for name in [name for name in dir(figures) if not name.startswith("_") and callable(getattr(figures, name))]:
        if getattr(getattr(figures, name), "__module__", "") == figures.__name__:
            monkeypatch.setattr(figures, name, refuse_to_draw)


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def tile(html: str, key: str) -> str:
    return re.search(rf'data-tile="{key}">\s*<div[^>]*>[^<]*</div>\s*<div class="stats-tile-value">([^<]*)<', html)[1]


def test_a_second_view_of_the_dashboard_computes_and_draws_nothing(client, analyst, known_data, monkeypatch):
    client = as_user(client, analyst)
    with CaptureQueriesContext(connection) as first:
        page = client.get(DASHBOARD + JULY)
    refuse(monkeypatch)
    with CaptureQueriesContext(connection) as second:
        again = client.get(DASHBOARD + JULY)
    assert again.status_code == 200
    assert without_csrf(again.content.decode()) == without_csrf(page.content.decode())
    assert "Hospital A" in again.content.decode() and again.content.decode().count("<svg") >= 6
    # The snapshot's counts are not read again (nor the months it counts, for the period list).
    assert not [q["sql"] for q in second.captured_queries if "analytics_monthly" in q["sql"]]
    assert len(second) < len(first)


def test_a_snapshot_refresh_is_read_at_once(client, analyst, known_data, settings):
    settings.QORGAU_STATS_MIN_CELL = 1
    client = as_user(client, analyst)
    assert tile(client.get(DASHBOARD + JULY).content.decode(), "incidents") == "6"
    incident(known_data["a"], occurred=dt.datetime(2025, 7, 25, 11, tzinfo=ALMATY))
    # Until the refresh, the page shows the snapshot it names; after it, the new counts, drawn anew.
    assert tile(client.get(DASHBOARD + JULY).content.decode(), "incidents") == "6"
    snapshot_refresh()
    page = client.get(DASHBOARD + JULY)
    assert tile(page.content.decode(), "incidents") == "7"
    assert page.context["stats"].incidents.current.value == 7


def test_the_leads_unsuppressed_statistics_are_hers_and_the_analysts_stay_suppressed(client, analyst, known_data):
    lead = factories.make_facility_lead(known_data["b"], username="lead_b")
    analysts = as_user(client, analyst).get(DASHBOARD + JULY)
    facility = {row.label: row.current.text for row in analysts.context["stats"].table("facility").rows}
    assert facility["Children's B"] == "<3"
    html = as_user(client, lead).get(reverse("analytics:facility_dashboard") + JULY).content.decode()
    assert "Hospital A" not in html and "&lt;3" not in html
    # The lead's scope has its own key: her "1" is not the analyst's "<3", nor the other way round.
    assert re.search(r"Children&#x27;s B</th><td class=\"text-end\">1</td>", html)
    again = as_user(client, analyst).get(DASHBOARD + JULY).content.decode()
    assert "Hospital A" in again and re.search(r"Children&#x27;s B</th><td class=\"text-end\">&lt;3</td>", again)


def test_each_language_has_its_own_figures(client, analyst, known_data):
    english = as_user(client, analyst, "en").get(DASHBOARD + JULY).content.decode()
    russian = as_user(client, analyst, "ru").get(DASHBOARD + JULY).content.decode()
    assert "Hospital A" in english and "Больница А" not in english
    assert "Больница А" in russian and "Hospital A" not in russian


def test_the_exports_read_the_statistics_the_dashboard_computed_and_draw_nothing(
    client, analyst, known_data, monkeypatch
):
    client = as_user(client, analyst)
    client.get(DASHBOARD + JULY)
    refuse(monkeypatch)
    response = client.get(reverse("analytics:export_csv") + JULY)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "By facility" in text and "Hospital A" in text
    response = client.get(reverse("analytics:export_xlsx") + JULY)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"


def test_a_second_csv_of_the_same_statistics_writes_no_line_again(client, analyst, known_data, monkeypatch):
    client = as_user(client, analyst)
    first = b"".join(client.get(reverse("analytics:export_csv") + JULY).streaming_content)
    refuse(monkeypatch)

    def refuse_to_write(*args, **kwargs):
        raise AssertionError("the lines were written again")

    monkeypatch.setattr(exports, "lines", refuse_to_write)
    again = b"".join(client.get(reverse("analytics:export_csv") + JULY).streaming_content)
    assert again == first and b"Hospital A" in again


def test_an_export_says_when_it_was_made_not_when_its_figures_were_cached(known_data):
    filters = Filters(Period.parse("2025-07"))
    first = statistics.statistics_cached(filters, snapshot=current_snapshot())
    later = statistics.statistics_cached(filters, snapshot=current_snapshot())
    assert later.cache_key == first.cache_key != ""
    assert later.generated_at > first.generated_at


def test_the_cache_holds_aggregates_only(client, analyst, known_data, personal_data):
    client = as_user(client, analyst)
    stats = client.get(DASHBOARD + JULY).context["stats"]
    cached = pickle.dumps((cache.get(stats.cache_key), cache.get(f"{stats.cache_key}:html")))
    assert stats.cache_key and b"Hospital A" in cached
    for value in [*personal_data, analyst.username, analyst.get_full_name(), "csrfmiddlewaretoken"]:
        assert value.encode() not in cached, value


def test_the_refresh_task_computes_and_draws_the_dashboard_analysts_open_in_every_language(
    client, analyst, known_data, monkeypatch
):
    services.snapshot_refresh_and_cache()
    refuse(monkeypatch)
    for language in ("ru", "kk", "en"):
        assert as_user(client, analyst, language).get(DASHBOARD).status_code == 200
