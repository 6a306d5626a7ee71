"""The stored deadline: `Incident.procedure` and `Incident.due_at` are the pure computation of
`incidents.services.deadlines`, kept by the services whenever the status, the facts or the part change, and
"overdue" everywhere is `due_at < now` (lists, counts, the overdue task, the case page).
"""

import datetime as dt
import importlib
import io
import itertools

import pytest
from django.apps import apps
from django.utils import timezone

from incidents.models import Attacker, Incident, Status, YesNoUnknown
from incidents.selectors.cases import case_counts, case_deadline, is_overdue, overdue_q, with_overdue
from incidents.services import cases
from incidents.services.deadlines import deadline_of, investigation_ends_at, investigation_last_day
from incidents.services.tagging import incident_assess
from legal.models import LegalAssessment
from tests import factories
from tests.incidents.case_support import acknowledged, registered

VALID_IIN = "900101300017"


def _local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def _assess(incident: Incident, *, procedure: str | None, sequence: int = 1, part=None, facts=None) -> None:
    """A stored assessment row, as the tagger leaves it (no service: the deadline is refreshed by the next one)."""
    LegalAssessment.objects.create(
        incident=incident,
        sequence=sequence,
        rules_version="test",
        trigger="test",
        facts=facts or {},
        result={"procedure": procedure} if procedure else {},
        applicable=True,
        part=incident.legal_part if part is None else part,
    )


def computed(incident: Incident) -> tuple[str, dt.datetime | None]:
    """The pure computation over the row as it is in the database now."""
    fresh = Incident.objects.get(pk=incident.pk)
    return deadline_of(incident=fresh, assessment=fresh.assessments.order_by("-sequence").first())


def stored(incident: Incident) -> tuple[str, dt.datetime | None]:
    return tuple(Incident.objects.values_list("procedure", "due_at").get(pk=incident.pk))


# --- the pure computation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("registered_on", "procedure", "last_day"),
    [
        (dt.date(2026, 1, 31), "inquiry", dt.date(2026, 2, 28)),  # 31 January + 1 month
        (dt.date(2026, 1, 30), "inquiry", dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 28), "inquiry", dt.date(2026, 2, 28)),
        (dt.date(2026, 2, 28), "inquiry", dt.date(2026, 3, 28)),
        (dt.date(2026, 3, 31), "inquiry", dt.date(2026, 4, 30)),
        (dt.date(2026, 12, 31), "inquiry", dt.date(2027, 1, 31)),
        (dt.date(2028, 1, 31), "inquiry", dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2026, 1, 31), "preliminary_investigation", dt.date(2026, 3, 31)),
        (dt.date(2025, 12, 31), "preliminary_investigation", dt.date(2026, 2, 28)),
        (dt.date(2026, 12, 30), "preliminary_investigation", dt.date(2027, 2, 28)),
    ],
)
def test_the_investigation_ends_at_the_local_midnight_after_its_last_day(registered_on, procedure, last_day):
    due_at = investigation_ends_at(registered_on=registered_on, procedure=procedure)
    assert due_at == _local(last_day.year, last_day.month, last_day.day) + dt.timedelta(days=1)
    assert investigation_last_day(due_at) == last_day


# --- stored by the services = computed --------------------------------------------------------------------

# Around month ends (31 January + 1 month = 28 February) and the boundaries of both deadlines.
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


def test_registration_stores_the_computed_deadline_around_month_ends(officer, reporter, facility_a, settings):
    settings.QORGAU_ACK_DEADLINE_MINUTES = 30
    settings.QORGAU_REGISTER_DEADLINE_HOURS = 72
    made = []
    # Registered through the services: every part (none, 0, an inquiry part, an investigation part) × the
    # assessment's say (none; inquiry then investigation; investigation then inquiry; a later one without).
    for erdr_on, part, procedure in itertools.product(
        ERDR_DATES, (None, 0, 2, 5), (None, "inquiry", "preliminary_investigation", "unknown")
    ):
        incident = factories.IncidentFactory(
            facility=facility_a,
            reporter=reporter,
            legal_part=part,
            occurred_at=_local(2025, 12, 31, 22, 0),
            submitted_at=_local(2026, 1, 1, 8, 0),
            with_reporter_victim=False,
        )
        if procedure:
            _assess(incident, procedure="inquiry" if procedure == "preliminary_investigation" else None)
            _assess(incident, procedure=None if procedure == "unknown" else procedure, sequence=2)
        made.append(registered(incident, officer, on=erdr_on))
    for now in NOWS:
        for minutes in (-31, -30, -29, 0):
            made.append(
                factories.IncidentFactory(
                    facility=facility_a,
                    reporter=reporter,
                    with_reporter_victim=False,
                    submitted_at=now + dt.timedelta(minutes=minutes),
                )
            )
        for hours in (-73, -72, -71):
            made.append(
                factories.IncidentFactory(
                    facility=facility_a,
                    reporter=reporter,
                    status=Status.ACKNOWLEDGED,
                    with_reporter_victim=False,
                    submitted_at=now + dt.timedelta(hours=hours - 1),
                    acknowledged_at=now + dt.timedelta(hours=hours),
                )
            )
    made.append(
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
    due = {}
    for incident in made:
        assert stored(incident) == computed(incident), incident
        due[incident.pk] = computed(incident)[1]
    # The month ends, spelled out: 31 January, an inquiry by its part, runs to the end of 28 February.
    by_case = {(c.erdr_registered_on, c.legal_part, c.assessments.count()): c for c in made[: len(ERDR_DATES) * 16]}
    assert stored(by_case[dt.date(2026, 1, 31), 2, 0]) == ("inquiry", _local(2026, 3, 1, 0, 0))
    assert stored(by_case[dt.date(2026, 1, 31), 5, 0]) == ("preliminary_investigation", _local(2026, 4, 1, 0, 0))
    assert stored(by_case[dt.date(2026, 1, 31), None, 0]) == ("", None)
    assert stored(made[-1]) == ("inquiry", None)  # closed: no deadline left

    # Every list and count reads the column, and agrees with the computation.
    fresh = Incident.objects.filter(pk__in=due)
    some_overdue = some_not = False
    for now in NOWS:
        expected = {pk for pk, due_at in due.items() if due_at is not None and due_at < now}
        assert set(fresh.filter(overdue_q(now=now)).values_list("pk", flat=True)) == expected, now
        flags = dict(with_overdue(fresh, now=now).values_list("pk", "overdue"))
        assert {pk for pk, overdue in flags.items() if overdue} == expected, now
        assert {case.pk for case in fresh if is_overdue(case, now=now)} == expected, now
        assert case_counts(officer, now=now)["overdue"] == len(expected), now
        some_overdue |= bool(expected)
        some_not |= len(expected) < len(made)
    assert some_overdue and some_not


def test_a_part_set_by_hand_decides_the_procedure_on_the_assessed_facts(officer, reporter, facility_a):
    # The computed part is 5 (an investigation, two months); the officer sets another part by hand. Part 3
    # is an inquiry (one month) when the suspect is a known adult, else an investigation (CPC 189 p.3).
    made = []
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
            legal_part=5,
            submitted_at=_local(2026, 2, 1, 8, 0),
            with_reporter_victim=False,
        )
        _assess(incident, procedure="preliminary_investigation", part=5, facts=facts)
        incident = cases.case_part_override(
            incident=incident, actor=officer, expected_version=incident.version, part=part, reason="По видео"
        )
        assert incident.legal_part == part
        assert stored(incident) == computed(incident)
        made.append(incident)
    inquiry, investigation = ("inquiry", _local(2026, 3, 28)), ("preliminary_investigation", _local(2026, 4, 28))
    assert [stored(case) for case in made] == [inquiry, investigation, investigation, inquiry] + [investigation] * 4
    now = _local(2026, 4, 1, 9, 0)  # past one month, not yet two
    fresh = Incident.objects.filter(pk__in=[case.pk for case in made])
    assert set(fresh.filter(overdue_q(now=now)).values_list("pk", flat=True)) == {made[0].pk, made[3].pk}


def test_an_unknown_or_minor_suspect_keeps_a_hand_set_inquiry_part_an_investigation(incident, officer):
    # Violence with light harm: part 5, a preliminary investigation (two months); the suspect is unknown.
    incident = factories.incident_update(
        incident, act="violence", forensic_harm="light", occurred_at=_local(2026, 11, 1, 10, 0)
    )
    incident_assess(incident=incident, trigger="submitted")
    incident = registered(incident, officer, on=dt.date(2026, 11, 2))
    assert stored(incident) == computed(incident) == ("preliminary_investigation", _local(2027, 1, 3))
    incident = cases.case_part_override(
        incident=incident, actor=officer, expected_version=incident.version, part=3, reason="Проверено по видео"
    )
    assert stored(incident) == computed(incident) == ("preliminary_investigation", _local(2027, 1, 3))
    # A known adult suspect: part 3 is an inquiry, one month from the registration.
    cases.case_suspect_identify(
        incident=incident, actor=officer, expected_version=incident.version, full_name="Иванов Пётр", iin=VALID_IIN
    )
    incident.refresh_from_db()
    assert stored(incident) == computed(incident) == ("inquiry", _local(2026, 12, 3))
    assert case_deadline(incident, today=dt.date(2026, 12, 2)).days_left == 0
    # The suspect turns out to be a minor: an investigation again, once the facts are reassessed.
    Attacker.objects.filter(incident=incident).update(minor=YesNoUnknown.YES)
    incident_assess(incident=incident, trigger="suspect_identified", actor=officer)
    assert stored(incident) == computed(incident) == ("preliminary_investigation", _local(2027, 1, 3))


def test_a_hand_over_keeps_a_registration_deadline_and_resets_an_acknowledgement(incident, officer, post_b, settings):
    acknowledged_case = acknowledged(incident, officer)
    assert stored(acknowledged_case) == computed(acknowledged_case)
    assert acknowledged_case.due_at == acknowledged_case.acknowledged_at + dt.timedelta(
        hours=settings.QORGAU_REGISTER_DEADLINE_HOURS
    )
    handed = cases.case_hand_over(
        incident=acknowledged_case, actor=officer, expected_version=acknowledged_case.version, post=post_b
    )
    # The new post acknowledges it afresh: the acknowledgement limit (counted from the submission, as before).
    assert handed.status == Status.SUBMITTED
    assert stored(handed) == computed(handed)
    assert handed.due_at == handed.submitted_at + dt.timedelta(minutes=settings.QORGAU_ACK_DEADLINE_MINUTES)

    other = factories.IncidentFactory(facility=incident.facility, occurred_at=_local(2026, 1, 30, 10, 0), legal_part=2)
    other = registered(other, officer, on=dt.date(2026, 1, 31))
    before = stored(other)
    handed = cases.case_hand_over(incident=other, actor=officer, expected_version=other.version, post=post_b)
    assert handed.status == Status.REGISTERED
    assert stored(handed) == computed(handed) == before == ("inquiry", _local(2026, 3, 1))


@pytest.mark.parametrize("outcome", ["sent_to_court", "refused", "no_offence"])
def test_sending_to_court_or_closing_leaves_no_deadline(incident, officer, outcome):
    incident = factories.incident_update(
        incident, legal_part=2, legal_applicable=True, occurred_at=timezone.now() - dt.timedelta(days=100)
    )
    incident = registered(incident, officer, on=timezone.localdate() - dt.timedelta(days=90))
    assert incident.due_at is not None and is_overdue(incident)
    incident = cases.case_close(
        incident=incident, actor=officer, expected_version=incident.version, outcome=outcome, reason="Основание"
    )
    assert stored(incident) == computed(incident) == ("inquiry", None)
    assert case_deadline(incident) is None and not is_overdue(incident)
    assert cases.case_overdue_notify() == 0


def test_under_investigation_keeps_the_deadline(incident, officer):
    incident = factories.incident_update(incident, legal_part=2, legal_applicable=True)
    incident = registered(incident, officer, on=timezone.localdate())
    before = stored(incident)
    incident = cases.case_close(
        incident=incident, actor=officer, expected_version=incident.version, outcome="under_investigation"
    )
    assert incident.status == Status.REGISTERED and stored(incident) == before != ("inquiry", None)


# --- the backfill ------------------------------------------------------------------------------------------


def test_the_migration_backfills_the_computed_deadline(officer, reporter, facility_a):
    made = [
        factories.IncidentFactory(facility=facility_a, reporter=reporter),
        acknowledged(factories.IncidentFactory(facility=facility_a, reporter=reporter), officer),
        factories.IncidentFactory(
            facility=facility_a, status=Status.REGISTERED, erdr_registered_on=dt.date(2026, 1, 31), legal_part=2
        ),
        factories.IncidentFactory(facility=facility_a, status=Status.CLOSED, legal_part=5),
        factories.IncidentFactory(facility=facility_a, status=Status.REGISTERED, erdr_registered_on=None),
    ]
    hand_set = factories.IncidentFactory(
        facility=facility_a, status=Status.REGISTERED, erdr_registered_on=dt.date(2026, 1, 31), legal_part=3
    )
    _assess(hand_set, procedure="preliminary_investigation", part=5, facts={"suspect_minor": True})
    made.append(hand_set)
    expected = {case.pk: computed(case) for case in made}
    assert expected[hand_set.pk] == ("preliminary_investigation", _local(2026, 4, 1))
    Incident.objects.update(procedure="", due_at=None)

    migration = importlib.import_module("incidents.migrations.0008_backfill_deadlines")
    migration.backfill(apps, None)

    assert {case.pk: stored(case) for case in made} == expected


def test_refresh_deadlines_applies_new_status_limits_to_open_cases(incident, officer, settings):
    from django.core.management import call_command

    closed = factories.IncidentFactory(facility=incident.facility, status=Status.CLOSED, legal_part=2)
    settings.QORGAU_ACK_DEADLINE_MINUTES += 30
    assert stored(incident) != computed(incident)  # stored with the old limit until recomputed
    out = io.StringIO()
    call_command("refresh_deadlines", stdout=out)
    assert "1 case(s) changed" in out.getvalue()
    assert stored(incident) == computed(incident)
    assert incident.submitted_at + dt.timedelta(minutes=settings.QORGAU_ACK_DEADLINE_MINUTES) == stored(incident)[1]
    Incident.objects.filter(pk=closed.pk).update(procedure="")
    call_command("refresh_deadlines", stdout=out)
    assert stored(closed) == ("", None)
    call_command("refresh_deadlines", "--all", stdout=out)
    assert stored(closed) == ("inquiry", None)
