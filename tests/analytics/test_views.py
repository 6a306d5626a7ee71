"""The statistics pages (`analytics/views.py`): who may open them, what they show, and that they show no person;
the period the dashboard opens on; PDF reports asked for, polled and downloaded by their author."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from analytics.models import StatisticsReport
from analytics.periods import Period, default_period
from analytics.selectors.filters import Filters
from analytics.selectors.statistics import statistics_for
from incidents.models import Incident
from tests import factories
from tests.pdf_support import pdf_text

pytestmark = pytest.mark.django_db

JULY = "?period=2025-07"
PAGES = ["analytics:dashboard", "analytics:dictionary", "analytics:export_csv", "analytics:export_xlsx"]


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["reporter", "facility_lead", "officer"])
@pytest.mark.parametrize("name", PAGES)
def test_other_roles_get_403(client, request, persona, name):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("persona", ["analyst", "administrator"])
@pytest.mark.parametrize("name", PAGES)
def test_analyst_and_administrator_may_open_every_page(client, request, persona, name, known_data):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name) + JULY).status_code == 200


@pytest.mark.parametrize("persona", ["reporter", "facility_lead", "officer"])
def test_other_roles_cannot_ask_for_a_pdf(client, request, persona):
    from analytics.models import StatisticsReport

    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("analytics:report_request"), {"period": "2025-07"}).status_code == 403
    assert not StatisticsReport.objects.exists()


def test_analyst_opening_a_case_url_gets_404(client, analyst, known_data):
    incident = Incident.objects.filter(police_post__isnull=False).first()
    case_url = reverse("incidents:case_detail", args=[incident.pk])
    report_url = reverse("incidents:report_detail", args=[incident.pk])
    # Control: the same URLs open for the post's officer and the reporter, so 404 means "not for you".
    client.force_login(factories.make_officer(incident.police_post))
    assert client.get(case_url).status_code == 200
    client.force_login(incident.reporter)
    assert client.get(report_url).status_code == 200

    client.force_login(analyst)
    for url in (case_url, report_url):
        response = client.get(url)
        assert response.status_code == 404, url
        assert incident.reference not in response.content.decode()


def test_dashboard_shows_suppressed_cells_as_below_threshold(english, analyst, known_data):
    english.force_login(analyst)
    response = english.get(reverse("analytics:dashboard") + JULY)
    content = response.content.decode()
    stats = response.context["stats"]
    facilities = {row.label: row for row in stats.table("facility").rows}
    # Children's B had one incident in July: "<3" in its row, in the table and the chart.
    assert facilities["Children's B"].current.text == "<3"
    assert '<td class="text-end">&lt;3</td>' in content
    assert "Children&#x27;s B" in content
    # The trend, the heat map (wide and phone), the district map, the facilities, the funnel, and one per breakdown.
    assert content.count("<svg") == 6 + len(response.context["board"].breakdowns)
    assert "&lt;3</text>" in content  # the chart labels the hidden bar, without drawing it


@pytest.mark.parametrize("name", ["analytics:dashboard", "analytics:dictionary"])
def test_statistics_pages_have_no_personal_data(english, analyst, known_data, personal_data, name):
    english.force_login(analyst)
    content = english.get(reverse(name) + JULY).content.decode()
    assert "Hospital A" in content or name == "analytics:dictionary"
    for text in personal_data:
        assert text not in content, text


def test_dashboard_filters_by_district_or_kind(english, analyst, known_data, south):
    english.force_login(analyst)
    response = english.get(reverse("analytics:dashboard") + f"{JULY}&district={south.pk}")
    stats = response.context["stats"]
    assert stats.filters.district == south and stats.filters.facility_kind == ""
    assert stats.incidents.current.value == 0 and stats.incidents.previous.text == "<3"
    response = english.get(reverse("analytics:dashboard") + f"{JULY}&facility_kind=ambulance")
    stats = response.context["stats"]
    assert stats.filters.district is None and stats.filters.facility_kind == "ambulance"
    assert stats.incidents.current.value == 0 and stats.incidents.previous.text == "<3"


def test_a_district_and_a_kind_together_are_refused_with_a_reason(english, analyst, known_data, south):
    """Issue 10: the filters are suppressed as one table; a kind within a district is not published."""
    english.force_login(analyst)
    response = english.get(reverse("analytics:dashboard") + f"{JULY}&district={south.pk}&facility_kind=ambulance")
    assert response.status_code == 200
    assert "Choose a district or a facility kind, not both" in response.content.decode()
    stats = response.context["stats"]
    assert (stats.filters.district, stats.filters.facility_kind) == (None, "")  # the default view, not a 500


def test_bad_period_falls_back_to_the_default(english, analyst, known_data):
    english.force_login(analyst)
    response = english.get(reverse("analytics:dashboard") + "?period=2025-13")
    assert response.status_code == 200
    assert response.context["stats"].filters.period != Period.parse("2025-07")


def test_dashboard_matches_the_selector(english, analyst, known_data):
    english.force_login(analyst)
    page = english.get(reverse("analytics:dashboard") + JULY).context["stats"]
    direct = statistics_for(Filters(Period.parse("2025-07")))
    assert [[(r.current.text, r.previous.text) for r in t.rows] for t in page.tables] == [
        [(r.current.text, r.previous.text) for r in t.rows] for t in direct.tables
    ]


def test_data_dictionary_explains_the_counting_rules(english, analyst):
    english.force_login(analyst)
    content = english.get(reverse("analytics:dictionary")).content.decode()
    assert "counts once as an incident and twice as victims" in content
    assert "Cancelled reports" in content
    assert "Asia/Almaty" in content
    assert "&lt;3" in content


def test_data_dictionary_names_the_parts_of_each_act_from_the_statute(client, analyst):
    client.force_login(analyst)
    for language, text in (
        ("en", "when the part is 3 or 4 and “dangerous” when it is 5 or 6;"),
        ("ru", "если часть 3 или 4, и «опасным», если часть 5 или 6;"),
        ("kk", "Бөлік 3 немесе 4 болса, күш қолдану «өмірге немесе денсаулыққа қауіпті емес», ал 5 немесе 6 болса"),
    ):
        client.cookies["django_language"] = language
        content = " ".join(client.get(reverse("analytics:dictionary")).content.decode().split())
        assert text in content, language


@pytest.fixture
def analyst_client(client, analyst):
    client.cookies["django_language"] = "en"
    client.force_login(analyst)
    return client


@pytest.mark.django_db
def test_first_open_on_make_run_demo_data_shows_figures(analyst_client):
    """`make run`: load_demo, seed_demo --incidents 600 over two years, then the analyst opens the dashboard."""
    call_command("load_demo", "--no-accounts", verbosity=0)
    call_command("seed_demo", "--incidents", "600", "--unless-seeded", verbosity=0)
    response = analyst_client.get(reverse("analytics:dashboard"))
    assert response.status_code == 200
    stats = response.context["stats"]
    # This year's quarters so far (or last year, while no quarter of this one is over).
    expected = default_period(timezone.localdate())
    assert stats.filters.period == expected
    assert stats.incidents.current.value and stats.incidents.current.value > 10
    assert stats.incidents.previous.value and stats.incidents.previous.value > 10
    html = response.content.decode()
    select = html.split('id="id_period"', 1)[1].split("</select>", 1)[0]
    selected = re.search(r'<option value="([^"]+)"[^>]*selected', select)
    assert selected and selected.group(1) == str(expected.start.year)
    # The selector still offers months, quarters and years.
    options = re.findall(r'<option value="([^"]+)"', select)
    assert any(re.fullmatch(r"\d{4}-\d{2}", o) for o in options)
    assert any(re.fullmatch(r"\d{4}-Q\d", o) for o in options)
    assert any(re.fullmatch(r"\d{4}", o) for o in options)
    headline = html.split('data-tile="incidents"', 1)[1]
    first_figure = re.search(r'<div class="stats-tile-value">([^<]+)</div>', headline).group(1)
    assert first_figure not in ("0", "—") and not first_figure.startswith("<")


def test_analyst_asks_for_a_pdf_and_downloads_it(client, analyst, known_data, django_capture_on_commit_callbacks):
    client.force_login(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("analytics:report_request"), {"period": "2025-07"})
    report = StatisticsReport.objects.get()
    assert response["Location"] == reverse("analytics:report_detail", args=[report.key])
    assert report.status == StatisticsReport.Status.READY and report.requested_by == analyst
    page = client.get(response["Location"]).content.decode()
    assert reverse("analytics:report_download", args=[report.key]) in page
    assert 'http-equiv="refresh"' not in page
    download = client.get(reverse("analytics:report_download", args=[report.key]))
    assert download["Content-Type"] == "application/pdf"
    assert "<3" in pdf_text(b"".join(download.streaming_content))


def test_pending_report_page_refreshes_itself(client, analyst):
    report = StatisticsReport.objects.create(requested_by=analyst, period="2025-07")
    client.force_login(analyst)
    page = client.get(reverse("analytics:report_detail", args=[report.key])).content.decode()
    assert 'http-equiv="refresh"' in page
    assert client.get(reverse("analytics:report_download", args=[report.key])).status_code == 404


def test_report_download_is_access_checked(client, analyst, reporter, officer, facility_lead):
    report = StatisticsReport.objects.create(requested_by=analyst, period="2025-07")
    client.force_login(analyst)
    assert client.get(reverse("analytics:report_detail", args=[report.key])).status_code == 200  # control
    for user in (reporter, officer, facility_lead):
        client.force_login(user)
        assert client.get(reverse("analytics:report_detail", args=[report.key])).status_code == 403
        assert client.get(reverse("analytics:report_download", args=[report.key])).status_code == 403


def test_dashboard_shows_the_compensation_claims_of_the_period(english, analyst, facility_a, settings):
    from incidents.models import ClaimStatus, VictimCompensation

    settings.QORGAU_STATS_MIN_CELL = 3
    occurred = timezone.make_aware(timezone.datetime(2025, 7, 10, 12))
    for amount in (100000, 200000, 300000):
        incident = factories.IncidentFactory(facility=facility_a, occurred_at=occurred)
        victim = incident.victims.get()
        victim.full_name = "Victimova Aigerim"
        victim.save(update_fields=["full_name"])
        VictimCompensation.objects.create(victim=victim, claim_status=ClaimStatus.FILED, claimed_moral=amount)
    english.force_login(analyst)
    page = english.get(reverse("analytics:dashboard") + JULY).content.decode()
    section = page[page.index('id="table-compensation"') :]
    assert re.search(r'data-stage="filed".*?data-count>3<.*?data-median>200\u202f000<', section, re.S)
    assert re.search(r'data-stage="awarded".*?data-count>0<', section, re.S)
    assert "Victimova" not in page and incident.reference not in page


def test_headline_tiles_have_their_change_and_the_unfinished_mark(english, analyst, known_data, settings):
    settings.QORGAU_STATS_MIN_CELL = 1
    english.force_login(analyst)
    response = english.get(reverse("analytics:dashboard") + JULY)
    tiles = {tile.key: tile for tile in response.context["board"].tiles}
    assert list(tiles) == ["incidents", "victims", "registered", "sent_to_court", "median_days"]
    assert (tiles["incidents"].value, tiles["incidents"].change) == ("6", "+500% against 2024-07")
    assert tiles["registered"].value == "2" and tiles["sent_to_court"].value == "1"
    assert tiles["median_days"].value == "0 d"  # ERDR after 2 and 0 days: the nearest-rank median is 0
    html = response.content.decode()
    assert html.count('class="stats-tile"') == 5 and "unfinished period" not in html
    this_year = english.get(reverse("analytics:dashboard") + f"?period={timezone.localdate():%Y}")
    assert this_year.content.decode().count("unfinished period") == 5
