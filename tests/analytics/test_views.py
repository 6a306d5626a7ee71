"""The statistics pages: who may open them, what they show, and that they show no person."""

import pytest
from django.urls import reverse

from analytics.periods import Period
from analytics.selectors.filters import Filters
from analytics.selectors.statistics import statistics_for
from incidents.models import Incident
from tests import factories

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
    assert content.count("<svg") == len(stats.tables)
    assert "&lt;3</text>" in content  # the chart labels the hidden bar, without drawing it


@pytest.mark.parametrize("name", ["analytics:dashboard", "analytics:dictionary"])
def test_statistics_pages_have_no_personal_data(english, analyst, known_data, personal_data, name):
    english.force_login(analyst)
    content = english.get(reverse(name) + JULY).content.decode()
    assert "Hospital A" in content or name == "analytics:dictionary"
    for text in personal_data:
        assert text not in content, text


def test_dashboard_filters_by_district_and_kind(english, analyst, known_data, south):
    english.force_login(analyst)
    response = english.get(reverse("analytics:dashboard") + f"{JULY}&district={south.pk}&facility_kind=ambulance")
    stats = response.context["stats"]
    assert stats.filters.district == south and stats.filters.facility_kind == "ambulance"
    assert stats.incidents.current.value == 0 and stats.incidents.previous.text == "<3"


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
