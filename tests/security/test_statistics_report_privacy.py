"""Issue 10 (low), reads of statistics reports: a report asked for on demand is its author's, reachable by no
other analyst or administrator even with its key; the monthly ones of the schedule are the statistics area's."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from analytics.models import StatisticsReport
from tests import factories

pytestmark = pytest.mark.django_db


def ready_report(**fields) -> StatisticsReport:
    report = StatisticsReport.objects.create(period="2026-03", status=StatisticsReport.Status.READY, **fields)
    report.file.save(f"{report.key.hex}.pdf", ContentFile(b"%PDF-1.7 statistics"), save=True)
    return report


def report_urls(report) -> list[str]:
    return [
        reverse("analytics:report_detail", args=[report.key]),
        reverse("analytics:report_download", args=[report.key]),
    ]


def test_another_analyst_gets_404_on_someone_elses_report(client, analyst, administrator):
    report = ready_report(requested_by=analyst)
    other_analyst = factories.make_analyst(username="analyst2")
    # Control: the author opens the page and the file.
    client.force_login(analyst)
    for url in report_urls(report):
        assert client.get(url).status_code == 200, url
    for user in (other_analyst, administrator):
        client.force_login(user)
        for url in report_urls(report):
            assert client.get(url).status_code == 404, (user.username, url)


def test_the_scheduled_monthly_report_is_open_to_every_analyst_and_administrator(client, analyst, administrator):
    report = ready_report(requested_by=None, scheduled=True)
    other_analyst = factories.make_analyst(username="analyst2")
    for user in (analyst, other_analyst, administrator):
        client.force_login(user)
        for url in report_urls(report):
            assert client.get(url).status_code == 200, (user.username, url)


def test_a_report_whose_author_left_is_nobodys(client, analyst):
    """An on-demand report loses its author when the account is deleted: it does not become public."""
    report = ready_report(requested_by=None, scheduled=False)
    client.force_login(analyst)
    for url in report_urls(report):
        assert client.get(url).status_code == 404, url
