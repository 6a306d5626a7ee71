"""The officer's and the reporter's pages run a bounded number of SQL queries, however many rows they show.

Each page is counted with a few rows, then again with ten times as many: the count must not change, and
stays under a fixed ceiling (django_assert_max_num_queries). Overdue is the stored `due_at` column (its
agreement with the computation: test_deadlines.py).
"""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import CaseMessage, Incident, IncidentEvent, Status
from legal.models import LegalAssessment
from tests import factories

FEW, MANY = 3, 30
# Ceilings per page: session, user, roles and the page's own reads; none of them depends on the rows.
MAX_INBOX_QUERIES = 14
MAX_POLL_QUERIES = 10
# The case page ran 27 (submitted) and 31 (registered: the deadline read the assessment three more times)
# under a ceiling of 40 before the deadline was stored.
# The case files of the case (issue 11) are one query more.
MAX_CASE_QUERIES = {Status.SUBMITTED: 28, Status.REGISTERED: 29}
MAX_LIST_QUERIES = 14


def _assess(incident: Incident, *, procedure: str | None, sequence: int = 1) -> None:
    result = {"procedure": procedure} if procedure else {}
    LegalAssessment.objects.create(
        incident=incident,
        sequence=sequence,
        rules_version="test",
        trigger="test",
        facts={},
        result=result,
        applicable=True,
        part=incident.legal_part,
    )


def add_cases(count: int, *, facility, reporter, officer) -> list[Incident]:
    """Cases in every open state, assessed, with a police question each, as the inbox and lists show them."""
    now = timezone.now()
    statuses = itertools.cycle([Status.SUBMITTED, Status.ACKNOWLEDGED, Status.REGISTERED, Status.CLOSED])
    made = []
    for number in range(count):
        status = next(statuses)
        incident = factories.IncidentFactory(
            facility=facility,
            reporter=reporter,
            status=status,
            legal_part=1 + number % 6,
            submitted_at=now - dt.timedelta(days=number),
            occurred_at=now - dt.timedelta(days=number, hours=1),
            acknowledged_at=now - dt.timedelta(days=number) if status != Status.SUBMITTED else None,
            erdr_registered_on=(
                timezone.localdate() - dt.timedelta(days=20 * number)
                if status in (Status.REGISTERED, Status.CLOSED)
                else None
            ),
        )
        _assess(incident, procedure="inquiry" if number % 2 else "preliminary_investigation")
        CaseMessage.objects.create(incident=incident, kind=CaseMessage.Kind.QUESTION, author=officer, body="?")
        made.append(incident)
    return made


def queries_of(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def assert_bounded(client, url, params, *, grow, ceiling, django_assert_max_num_queries) -> None:
    client.get(url, params)  # first visits write once (a case opened), caches warm up
    few = queries_of(client, url, params)
    grow()
    with django_assert_max_num_queries(ceiling):
        many = queries_of(client, url, params)
    assert many == few


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "registered"},
        {"part": "2"},
        {"overdue": "on"},
        {"q": "ALA"},
        {"page": "2"},
        {"period_from": "2020-01-01", "period_to": "2030-12-31"},
        {"partial": "list"},
    ],
)
def test_inbox_queries_do_not_grow_with_cases(
    officer_client, officer, reporter, facility_a, params, django_assert_max_num_queries
):
    add_cases(FEW, facility=facility_a, reporter=reporter, officer=officer)
    params = {**params, "facility": facility_a.pk} if params.get("status") else params
    assert_bounded(
        officer_client,
        reverse("incidents:case_inbox"),
        params,
        grow=lambda: add_cases(MANY - FEW, facility=facility_a, reporter=reporter, officer=officer),
        ceiling=MAX_INBOX_QUERIES,
        django_assert_max_num_queries=django_assert_max_num_queries,
    )


def test_inbox_poll_queries_do_not_grow_with_cases(
    officer_client, officer, reporter, facility_a, django_assert_max_num_queries
):
    add_cases(FEW, facility=facility_a, reporter=reporter, officer=officer)
    assert_bounded(
        officer_client,
        reverse("incidents:case_inbox_poll"),
        {},
        grow=lambda: add_cases(MANY - FEW, facility=facility_a, reporter=reporter, officer=officer),
        ceiling=MAX_POLL_QUERIES,
        django_assert_max_num_queries=django_assert_max_num_queries,
    )


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.REGISTERED])
def test_case_page_queries_do_not_grow_with_its_history(
    officer_client, officer, reporter, facility_a, status, django_assert_max_num_queries
):
    # A submitted case shows when to act by; a registered one its investigation deadline.
    made = add_cases(3, facility=facility_a, reporter=reporter, officer=officer)
    incident = next(case for case in made if case.status == status)
    # One of each kind of row to begin with (an empty prefetch skips its follow-up query).
    question = incident.messages.get()
    CaseMessage.objects.create(
        incident=incident, kind=CaseMessage.Kind.ANSWER, author=reporter, body="A", in_reply_to=question
    )

    def grow():
        for number in range(MANY):
            factories.Victim.objects.create(incident=incident, full_name=f"V{number}", role="nurse")
            incident.attackers.create(description=f"A{number}")
            IncidentEvent.objects.create(incident=incident, kind=IncidentEvent.Kind.EDITED, actor=officer)
            question = CaseMessage.objects.create(
                incident=incident, kind=CaseMessage.Kind.QUESTION, author=officer, body=f"Q{number}"
            )
            CaseMessage.objects.create(
                incident=incident,
                kind=CaseMessage.Kind.ANSWER,
                author=reporter,
                body=f"A{number}",
                in_reply_to=question,
            )
            CaseMessage.objects.create(incident=incident, kind=CaseMessage.Kind.INFO, author=reporter, body="i")
            _assess(incident, procedure="inquiry", sequence=number + 2)

    assert_bounded(
        officer_client,
        reverse("incidents:case_detail", args=[incident.pk]),
        {},
        grow=grow,
        ceiling=MAX_CASE_QUERIES[status],
        django_assert_max_num_queries=django_assert_max_num_queries,
    )


def test_my_reports_queries_do_not_grow_with_reports(
    client, reporter, officer, facility_a, django_assert_max_num_queries
):
    client.force_login(reporter)
    add_cases(FEW, facility=facility_a, reporter=reporter, officer=officer)
    assert_bounded(
        client,
        reverse("incidents:my_reports"),
        {},
        grow=lambda: add_cases(MANY - FEW, facility=facility_a, reporter=reporter, officer=officer),
        ceiling=MAX_LIST_QUERIES,
        django_assert_max_num_queries=django_assert_max_num_queries,
    )


@pytest.mark.parametrize("params", [{}, {"status": "submitted"}, {"page": "2"}])
def test_facility_list_queries_do_not_grow_with_reports(
    client, facility_lead, reporter, officer, facility_a, params, django_assert_max_num_queries
):
    client.force_login(facility_lead)
    add_cases(FEW, facility=facility_a, reporter=reporter, officer=officer)
    assert_bounded(
        client,
        reverse("incidents:facility_reports"),
        params,
        grow=lambda: add_cases(MANY - FEW, facility=facility_a, reporter=reporter, officer=officer),
        ceiling=MAX_LIST_QUERIES,
        django_assert_max_num_queries=django_assert_max_num_queries,
    )
