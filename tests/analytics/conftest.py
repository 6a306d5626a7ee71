"""A small hand-built data set with known answers, for the statistics tests.

July 2025 (Asia/Almaty), facility A (multi-profile, district North) and B (children's, North);
facility C (ambulance station, district South) has one incident in July 2024 only.
"""

import datetime as dt
import zoneinfo

import pytest
from django.utils import translation

from analytics.periods import Period
from analytics.selectors.filters import Filters
from analytics.selectors.statistics import statistics_for
from analytics.snapshot import snapshot_refresh
from facilities.models import FacilityKind
from incidents.models import Act, Incident, Outcome, Place, Status, Victim
from tests import factories

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
UTC = dt.UTC


def at(*args, zone=ALMATY) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone)


def incident(
    facility,
    *,
    occurred,
    act=Act.THREAT,
    part=None,
    applicable=None,
    place=Place.ADMISSION,
    victims=("nurse",),
    status=Status.SUBMITTED,
    ack_after=None,
    erdr_days=None,
    outcome="",
) -> Incident:
    submitted = occurred + dt.timedelta(minutes=30)
    row = factories.IncidentFactory(
        facility=facility,
        act=act,
        occurred_at=occurred,
        submitted_at=submitted,
        place=place,
        status=status,
        legal_part=part,
        legal_applicable=True if part else applicable,
        outcome=outcome,
        acknowledged_at=submitted + ack_after if ack_after is not None else None,
        erdr_registered_on=(
            submitted.astimezone(ALMATY).date() + dt.timedelta(days=erdr_days) if erdr_days is not None else None
        ),
        with_reporter_victim=False,
        account="Этот текст не должен попасть в статистику.",
    )
    for role in victims:
        Victim.objects.create(incident=row, role=role, full_name="Айгуль Секретова")
    return row


@pytest.fixture
def north(db):
    return factories.DistrictFactory(code="north", name_en="North", name_ru="Северный", name_kk="Солтүстік")


@pytest.fixture
def south(db):
    return factories.DistrictFactory(code="south", name_en="South", name_ru="Южный", name_kk="Оңтүстік")


@pytest.fixture
def known_data(north, south):
    """Six counted incidents in July 2025 (seven victims), one cancelled, two just outside the month."""
    a = factories.PolicePostFactory(
        facility__district=north,
        facility__kind=FacilityKind.MULTI_PROFILE,
        facility__name_ru="Больница А",
        facility__name_en="Hospital A",
    ).facility
    b = factories.PolicePostFactory(
        facility__district=north,
        facility__kind=FacilityKind.CHILDREN,
        facility__name_ru="Детская Б",
        facility__name_en="Children's B",
    ).facility
    c = factories.PolicePostFactory(
        facility__district=south,
        facility__kind=FacilityKind.AMBULANCE,
        facility__name_ru="Скорая В",
        facility__name_en="Ambulance C",
    ).facility
    minute = dt.timedelta(minutes=1)
    # Two victims: counts once as an incident, twice as victims.
    incident(
        a,
        occurred=at(2025, 7, 3, 10),
        part=1,
        victims=("doctor", "nurse"),
        status=Status.REGISTERED,
        ack_after=25 * minute,
        erdr_days=2,
    )
    incident(
        a,
        occurred=at(2025, 7, 10, 12),
        act=Act.VIOLENCE,
        part=3,
        place=Place.WARD,
        status=Status.SENT_TO_COURT,
        outcome=Outcome.SENT_TO_COURT,
        ack_after=5 * minute,
        erdr_days=0,
    )
    incident(
        a,
        occurred=at(2025, 7, 12, 8),
        act=Act.VIOLENCE,
        part=5,
        place=Place.WARD,
        victims=("paramedic",),
        status=Status.CLOSED,
        outcome=Outcome.REFUSED,
        ack_after=61 * minute,
    )
    incident(b, occurred=at(2025, 7, 15, 9), place=Place.CORRIDOR)
    incident(
        a,
        occurred=at(2025, 7, 20, 14),
        part=1,
        victims=("doctor",),
        status=Status.ACKNOWLEDGED,
        ack_after=dt.timedelta(0),
    )
    # 01:00 on 1 July in Almaty is still 30 June in UTC: it belongs to July.
    incident(a, occurred=at(2025, 6, 30, 20, zone=UTC), part=1, victims=("doctor",))
    # Cancelled: counted only as cancelled.
    incident(a, occurred=at(2025, 7, 21, 9), victims=("doctor", "nurse"), status=Status.CANCELLED)
    # Outside July in Almaty time (30 June 23:30, and 1 August 01:00 which is 31 July in UTC).
    incident(a, occurred=at(2025, 6, 30, 23, 30), victims=("security",))
    incident(a, occurred=at(2025, 7, 31, 20, zone=UTC), victims=("security",))
    # A year earlier.
    incident(
        c,
        occurred=at(2024, 7, 5, 10),
        act=Act.VIOLENCE,
        applicable=False,
        place=Place.STREET,
        victims=("ambulance_driver",),
    )
    snapshot_refresh()
    return {"a": a, "b": b, "c": c}


@pytest.fixture
def personal_data(known_data) -> list[str]:
    """What would identify a person in the hand-built data: reporters' names, logins and e-mails, victims'
    names, the accounts and the reference numbers. None of it may appear anywhere in the statistics."""
    values = {"Айгуль", "Секретова", "не должен попасть в статистику"}
    for row in Incident.objects.select_related("reporter"):
        reporter = row.reporter
        values |= {row.reference, reporter.username, reporter.email, f"{reporter.first_name} {reporter.last_name}"}
    assert len(values) > 10
    return sorted(values)


@pytest.fixture
def july(known_data):
    """The statistics of July 2025 on the hand-built data set, in English."""
    with translation.override("en"):
        yield statistics_for(Filters(Period.parse("2025-07")))


@pytest.fixture
def no_suppression(settings):
    """Every cell shown (the threshold is 1), labels in English: for tests of the counting rules."""
    settings.QORGAU_STATS_MIN_CELL = 1
    with translation.override("en"):
        yield
