"""Issue 11: a facility lead's statistics. The dashboard restricted to the facilities she leads, with the period
filters and CSV/XLSX; her own facility's counts are not suppressed (she sees those reports anyway), and nothing
about another facility is in any of it."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories

pytestmark = pytest.mark.django_db

JULY = "?period=2025-07"


@pytest.fixture
def lead_of_b(known_data):
    return factories.make_facility_lead(known_data["b"], username="lead_b")


@pytest.fixture
def lead_of_a(known_data):
    return factories.make_facility_lead(known_data["a"], username="lead_a")


def as_english(client, user):
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def csv_body(client, query=JULY) -> list[list[str]]:
    response = client.get(reverse("analytics:facility_export_csv") + query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row for row in csv.reader(io.StringIO(text))]


def by(rows, table):
    """{category: its count in the period, or its hidden marker} of one table of a tidy export."""
    return {row[3]: row[9] or row[10] for row in rows if row[1] == table and row[4] == "count" and row[7] == "period"}


def test_the_lead_sees_her_facilitys_one_incident_unsuppressed_and_nothing_of_others(client, lead_of_b, known_data):
    client = as_english(client, lead_of_b)
    html = client.get(reverse("analytics:facility_dashboard") + JULY).content.decode()
    assert "Children&#x27;s B" in html or "Children's B" in html
    assert "Hospital A" not in html and "Ambulance C" not in html
    assert "&lt;3" not in html
    rows = csv_body(client)
    facility = by(rows, "By facility")
    assert facility["Children's B"] == "1"  # the analyst reads "<3" here (below)
    assert facility["Incidents"] == "1"
    assert "Hospital A" not in facility and not any("Hospital A" in cell for row in rows for cell in row)


def test_the_analysts_dashboard_still_hides_the_same_small_cell(client, analyst, known_data):
    """Control: the Ministry's figures of the same facility are suppressed as before."""
    client = as_english(client, analyst)
    response = client.get(reverse("analytics:export_csv") + JULY)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    facility = by(list(csv.reader(io.StringIO(text))), "By facility")
    assert facility["Children's B"] == "<3"


def test_the_lead_of_a_counts_only_a_with_a_period_filter(client, lead_of_a, known_data):
    client = as_english(client, lead_of_a)
    facility = by(csv_body(client), "By facility")
    assert facility["Hospital A"] == "5" and "Children's B" not in facility
    # Another period: the year 2024, when A had nothing (the incident of July 2024 was C's).
    facility = by(csv_body(client, "?period=2024"), "By facility")
    assert "Ambulance C" not in facility


def test_the_xlsx_has_the_same_figures(client, lead_of_b, known_data):
    client = as_english(client, lead_of_b)
    response = client.get(reverse("analytics:facility_export_xlsx") + JULY)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    facility = {row[3]: row[9] for row in rows if row[1] == "By facility" and row[4] == "count" and row[7] == "period"}
    assert facility["Children's B"] == 1 and "Hospital A" not in facility


def test_a_district_or_kind_in_the_query_cannot_widen_the_scope(client, lead_of_b, known_data, south):
    client = as_english(client, lead_of_b)
    rows = csv_body(client, JULY + f"&district={south.pk}&facility_kind=ambulance")
    assert not any("Ambulance C" in cell or "Hospital A" in cell for row in rows for cell in row)


@pytest.mark.parametrize("persona", ["reporter", "officer", "analyst"])
def test_only_facility_leads_open_it(client, request, known_data, persona):
    client.force_login(request.getfixturevalue(persona))
    for name in ("analytics:facility_dashboard", "analytics:facility_export_csv", "analytics:facility_export_xlsx"):
        assert client.get(reverse(name) + JULY).status_code == 403, (persona, name)


def test_the_lead_still_cannot_open_the_ministrys_dashboard(client, lead_of_b):
    client.force_login(lead_of_b)
    assert client.get(reverse("analytics:dashboard")).status_code == 403


def test_the_part_the_police_assessed_is_not_in_the_leads_statistics(client, reporter, other_reporter, facility_a):
    """The part counts a repeat found in another facility's case (a threat, part 1, becomes part 2): her report
    shows her part 1, so her unsuppressed statistics must not show a part 2. The part table is left out of them."""
    import datetime as dt

    from django.utils import timezone

    from analytics.snapshot import snapshot_refresh
    from incidents.services.tagging import incident_assess
    from tests.legal.factories import AttackerFactory, make_iin

    suspect = make_iin(serial=7171)
    other_facility = factories.PolicePostFactory().facility
    earlier = factories.IncidentFactory(
        facility=other_facility, reporter=other_reporter, occurred_at=timezone.now() - dt.timedelta(days=20)
    )
    AttackerFactory(incident=earlier, iin_value=suspect)
    incident_assess(incident=earlier, trigger="submitted", actor=other_reporter)
    later = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    AttackerFactory(incident=later, iin_value=suspect)
    incident_assess(incident=later, trigger="submitted", actor=reporter)
    later.refresh_from_db()
    assert later.legal_part == 2  # control: the police's part counts the repeat
    # The month under way is in no figure: the incidents are moved to a month that is over.
    from django.db.models import F

    from incidents.models import Incident

    Incident.objects.filter(pk__in=[earlier.pk, later.pk]).update(occurred_at=F("occurred_at") - dt.timedelta(days=62))
    month = timezone.localdate(Incident.objects.get(pk=later.pk).occurred_at)
    snapshot_refresh()
    lead = factories.make_facility_lead(facility_a, username="lead_a2")
    client = as_english(client, lead)
    period = f"?period={month:%Y-%m}"
    html = client.get(reverse("analytics:facility_dashboard") + period).content.decode()
    assert "By Article 380-3 part" not in html and "Part 2" not in html
    rows = csv_body(client, period)
    assert not any(row and row[1] == "By Article 380-3 part" for row in rows)
    assert by(rows, "By facility")[facility_a.name_en] == "1"  # control: the report is counted
