"""The officer's and the reporter's pages run a bounded number of SQL queries, however many rows they show.

Each page is counted with a few rows, then again with ten times as many: the count must not change, and
stays under a fixed ceiling (django_assert_max_num_queries). The overdue filter, computed by the database
for lists, must agree with the rule the case page applies in Python.
"""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import CaseMessage, Incident, IncidentEvent, Status
from incidents.selectors.cases import is_overdue, overdue_q, with_overdue
from legal.models import LegalAssessment
from tests import factories

FEW, MANY = 3, 30
# Ceilings per page: session, user, roles and the page's own reads; none of them depends on the rows.
MAX_INBOX_QUERIES = 14
MAX_POLL_QUERIES = 10
MAX_CASE_QUERIES = 40
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


def test_case_page_queries_do_not_grow_with_its_history(
    officer_client, officer, reporter, facility_a, django_assert_max_num_queries
):
    incident = add_cases(1, facility=facility_a, reporter=reporter, officer=officer)[0]
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
        ceiling=MAX_CASE_QUERIES,
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


# --- the overdue filter in the database agrees with the rule in Python ------------------------------------


def _local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


# Around month ends (31 January + 1 month = 28/29 February) and the boundaries of both deadlines.
ERDR_DATES = (
    [dt.date(2026, 1, day) for day in (1, 2, 28, 29, 30, 31)]
    + [dt.date(2026, 2, day) for day in (1, 27, 28)]
    + [dt.date(2026, 3, day) for day in (1, 30, 31)]
)
NOWS = [
    _local(2026, 3, 1, 0, 0),
    _local(2026, 3, 1, 0, 0, 0, 1),
    _local(2026, 3, 28, 23, 59),
    _local(2026, 3, 29, 0, 0, 1),
    _local(2026, 4, 1, 9, 0),
    _local(2026, 4, 30, 12, 0),
    _local(2026, 5, 1, 0, 0),
    _local(2026, 5, 2, 8, 0),
]


def test_overdue_in_the_database_matches_is_overdue(officer, reporter, facility_a, settings):
    settings.QORGAU_ACK_DEADLINE_MINUTES = 30
    settings.QORGAU_REGISTER_DEADLINE_HOURS = 72
    cases = []
    # Registered: every part (none, 0, an inquiry part, an investigation part) × the assessment's say.
    for erdr_on, part, procedure in itertools.product(
        ERDR_DATES, (None, 0, 2, 5), (None, "inquiry", "preliminary_investigation", "unknown")
    ):
        incident = factories.IncidentFactory(
            facility=facility_a,
            reporter=reporter,
            status=Status.REGISTERED,
            erdr_registered_on=erdr_on,
            legal_part=part,
            submitted_at=_local(2026, 1, 1, 8, 0),
            with_reporter_victim=False,
        )
        if procedure:
            _assess(incident, procedure="inquiry" if procedure == "preliminary_investigation" else None)
            _assess(incident, procedure=None if procedure == "unknown" else procedure, sequence=2)
        cases.append(incident)
    for now in NOWS:
        for minutes in (-31, -30, -29, 0):
            cases.append(
                factories.IncidentFactory(
                    facility=facility_a,
                    reporter=reporter,
                    status=Status.SUBMITTED,
                    with_reporter_victim=False,
                    submitted_at=now + dt.timedelta(minutes=minutes),
                )
            )
        for hours in (-73, -72, -71):
            cases.append(
                factories.IncidentFactory(
                    facility=facility_a,
                    reporter=reporter,
                    status=Status.ACKNOWLEDGED,
                    with_reporter_victim=False,
                    submitted_at=now + dt.timedelta(hours=hours - 1),
                    acknowledged_at=now + dt.timedelta(hours=hours),
                )
            )
    cases.append(
        factories.IncidentFactory(
            facility=facility_a,
            reporter=reporter,
            status=Status.CLOSED,
            erdr_registered_on=dt.date(2025, 1, 1),
            legal_part=2,
            submitted_at=_local(2025, 1, 1, 8, 0),
            with_reporter_victim=False,
        )
    )
    fresh = Incident.objects.filter(pk__in=[case.pk for case in cases])

    some_overdue = some_not = False
    for now in NOWS:
        expected = {case.pk for case in fresh if is_overdue(case, now=now)}
        assert set(fresh.filter(overdue_q(now=now)).values_list("pk", flat=True)) == expected, now
        flags = dict(with_overdue(fresh, now=now).values_list("pk", "overdue"))
        assert {pk for pk, overdue in flags.items() if overdue} == expected, now
        some_overdue |= bool(expected)
        some_not |= len(expected) < len(cases)
    assert some_overdue and some_not


def test_overdue_in_the_database_matches_is_overdue_for_a_part_set_by_hand(officer, reporter, facility_a):
    # The computed part is 5 (an investigation, two months); the officer set another part by hand. Part 3
    # is an inquiry (one month) when the suspect is a known adult, else an investigation (CPC 189 p.3).
    cases = []
    for part, facts in itertools.product(
        (3, 4),
        (
            {},
            {"suspect_identified": False},
            {"suspect_minor": True},
            {"suspect_identified": True, "suspect_minor": False},
        ),
    ):
        incident = factories.IncidentFactory(
            facility=facility_a,
            reporter=reporter,
            status=Status.REGISTERED,
            erdr_registered_on=dt.date(2026, 2, 27),
            legal_part=part,
            submitted_at=_local(2026, 2, 1, 8, 0),
            with_reporter_victim=False,
        )
        LegalAssessment.objects.create(
            incident=incident,
            sequence=1,
            rules_version="test",
            trigger="test",
            facts=facts,
            result={"procedure": "preliminary_investigation"},
            applicable=True,
            part=5,
        )
        cases.append(incident)
    fresh = Incident.objects.filter(pk__in=[case.pk for case in cases])
    now = _local(2026, 4, 1, 9, 0)  # past one month, not yet two
    expected = {case.pk for case in fresh if is_overdue(case, now=now)}
    assert expected == {cases[0].pk, cases[3].pk}  # part 3, suspect known and adult: an overdue inquiry
    assert set(fresh.filter(overdue_q(now=now)).values_list("pk", flat=True)) == expected
