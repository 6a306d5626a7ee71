"""The incremental snapshot refresh: the change triggers (migration analytics 0005) log every write that changes what
the snapshot counts, and a refresh that recounts only the logged groups leaves the same rows as a full rebuild."""

import datetime as dt
import re
import threading
import time
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from analytics import snapshot
from analytics.changes import CHANGE_TRIGGERS, change_triggers_installed, groups_counted
from analytics.expressions import LocalMonth
from analytics.models import MonthlyCount, MonthlyDuration, Snapshot, SnapshotChange
from analytics.snapshot import snapshot_refresh
from incidents.models import Act, Incident, Outcome, Place, Status, Victim
from tests import factories
from tests.analytics.conftest import ALMATY, at, incident
from tests.conftest import skip_or_fail

MINUTE = dt.timedelta(minutes=1)


def snapshot_rows() -> tuple[list, list]:
    counts = MonthlyCount.objects.values_list("month", "facility_id", "dimension", "value", "count")
    durations = MonthlyDuration.objects.values_list("month", "facility_id", "metric", "value", "count")
    return sorted(counts), sorted(durations)


def full_rebuild_rows() -> tuple[list, list]:
    snapshot_refresh(full=True)
    return snapshot_rows()


def logged_groups() -> set[tuple[dt.date, int]]:
    changes = SnapshotChange.objects.annotate(m=LocalMonth("occurred_at"))
    return set(changes.values_list("m", "facility_id"))


def group(row: Incident) -> tuple[dt.date, int]:
    local = row.occurred_at.astimezone(ALMATY)
    return dt.date(local.year, local.month, 1), row.facility_id


@pytest.fixture
def recounts(monkeypatch) -> list:
    """The groups each refresh recounted (None: every group)."""
    seen: list = []
    collect = snapshot._collect

    def spy(cursor, groups):
        seen.append(groups)
        return collect(cursor, groups)

    monkeypatch.setattr(snapshot, "_collect", spy)
    return seen


@pytest.fixture
def spread(known_data):
    """The hand-built July 2025 data, plus incidents over five more months and three facilities, counted."""
    facilities = [known_data["a"], known_data["b"], known_data["c"]]
    rows = []
    for month in range(1, 6):
        for number, facility in enumerate(facilities):
            rows.append(
                incident(
                    facility,
                    occurred=at(2026, month, 3 + number, 10),
                    act=Act.VIOLENCE if number else Act.THREAT,
                    part=3 if month > 3 and number else None,
                    status=Status.ACKNOWLEDGED,
                    ack_after=(7 + month) * MINUTE,
                    victims=("nurse", "doctor")[: 1 + number % 2],
                )
            )
    snapshot_refresh()
    return {**known_data, "rows": rows}


# --- Every kind of change is logged ----------------------------------------------------------------------------

INCIDENT = "incidents_incident"
VICTIM = "incidents_victim"


def _update(**values) -> Callable:
    def change(row: Incident, other) -> None:
        Incident.objects.filter(pk=row.pk).update(**values)

    return change


# One change per column the snapshot counts an incident by, each changing what it counts (of `row`; `other` is an
# incident of another group).
INCIDENT_CHANGES: dict[str, Callable] = {
    "occurred_at": lambda row, other: Incident.objects.filter(pk=row.pk).update(
        occurred_at=row.occurred_at - dt.timedelta(days=40)
    ),
    "facility_id": lambda row, other: Incident.objects.filter(pk=row.pk).update(facility_id=other.facility_id),
    "status": _update(status=Status.CANCELLED),
    "act": _update(act=Act.THREAT),
    "legal_part": _update(legal_part=5),
    "legal_applicable": _update(legal_applicable=False),
    "place": _update(place=Place.WARD),
    "acknowledged_at": lambda row, other: Incident.objects.filter(pk=row.pk).update(acknowledged_at=None),
    "erdr_registered_on": lambda row, other: Incident.objects.filter(pk=row.pk).update(
        erdr_registered_on=row.submitted_at.astimezone(ALMATY).date() + dt.timedelta(days=3)
    ),
    "outcome": _update(outcome=Outcome.SENT_TO_COURT),
    "submitted_at": lambda row, other: Incident.objects.filter(pk=row.pk).update(
        submitted_at=row.submitted_at - dt.timedelta(hours=2)
    ),
}
# The same for a victim (the incident's own columns count its victims too: their changes are above).
VICTIM_CHANGES: dict[str, Callable] = {
    "incident_id": lambda row, other: Victim.objects.filter(incident=row).update(incident=other),
    "role": lambda row, other: Victim.objects.filter(incident=row).update(role="security"),
}
# The kinds of change that are not a column's.
ROW_CHANGES: dict[str, Callable] = {
    "incident created": lambda row, other: incident(row.facility, occurred=row.occurred_at + MINUTE),
    "incident deleted": lambda row, other: Incident.objects.filter(pk=row.pk).delete(),
    "victim added": lambda row, other: Victim.objects.create(incident=row, role="doctor"),
    "victim removed": lambda row, other: Victim.objects.filter(incident=row).delete(),
}


def _columns_read() -> dict[str, set[str]]:
    """The tables and columns every query of a full refresh reads, from their SQL on this database."""
    sql = " ".join(text for _name, text, _params in snapshot._sources(None))
    tables = set(re.findall(r'(?:FROM|JOIN) "(\w+)"', sql))
    read: dict[str, set[str]] = {table: set() for table in tables}
    for table, column in re.findall(r'"(\w+)"\."(\w+)"', sql):
        read.setdefault(table, set()).add(column)
    return read


def test_the_triggers_watch_exactly_what_the_snapshot_counts_by(db):
    """A new dimension (a column the queries read) fails here until its change is listed, and so tested below to be
    logged by the triggers (a new migration's, if the column is not watched yet)."""
    read = _columns_read()
    assert set(read) == {INCIDENT, VICTIM}
    assert read[INCIDENT] - {"id"} == set(INCIDENT_CHANGES)
    assert read[VICTIM] - {"id"} == set(VICTIM_CHANGES)
    assert change_triggers_installed() == sorted(CHANGE_TRIGGERS[connection.vendor])


@pytest.mark.usefixtures("no_suppression")
@pytest.mark.parametrize("kind", [*INCIDENT_CHANGES, *(f"victim {column}" for column in VICTIM_CHANGES), *ROW_CHANGES])
def test_each_kind_of_change_is_logged_and_recounted_as_a_full_rebuild_counts_it(spread, recounts, kind):
    row = spread["rows"][7]  # March 2026, facility B: acknowledged violence, two victims
    other = spread["rows"][8]  # March 2026, facility C
    moved_to = group(other)
    assert not SnapshotChange.objects.exists()  # the fixture's refresh consumed its changes
    before = snapshot_rows()
    change = {**INCIDENT_CHANGES, **{f"victim {c}": f for c, f in VICTIM_CHANGES.items()}, **ROW_CHANGES}[kind]

    change(row, other)

    expected = {group(row)}
    if kind == "occurred_at":
        expected.add((dt.date(2026, 1, 1), row.facility_id))
    if kind in ("facility_id", "victim incident_id"):
        expected.add(moved_to)
    assert logged_groups() == expected
    snapshot_refresh()
    assert recounts[-1] == expected  # only the changed groups were recounted
    incremental = snapshot_rows()
    assert incremental != before  # the change changed a count: this test would see it missed
    assert not SnapshotChange.objects.exists()
    assert incremental == full_rebuild_rows()


def test_a_write_that_changes_no_count_is_not_logged(spread):
    row = spread["rows"][0]
    Incident.objects.filter(pk=row.pk).update(account="Другой текст.", attackers_count=3, due_at=None)
    row.refresh_from_db()
    row.save()  # every column written again, with the same values
    Victim.objects.filter(incident=row).update(full_name="Другое имя")
    assert not SnapshotChange.objects.exists()


# --- Many changes at once, and when everything is recounted ---------------------------------------------------


@pytest.mark.usefixtures("no_suppression")
def test_an_incremental_refresh_after_varied_changes_equals_a_full_rebuild(spread, recounts, monkeypatch):
    monkeypatch.setattr(snapshot, "FULL_REBUILD_SHARE", 1.0)  # this small set: every change touches a large share
    a, b, c, rows = spread["a"], spread["b"], spread["c"], spread["rows"]
    before = snapshot_rows()
    incident(b, occurred=at(2026, 2, 14, 9), act=Act.VIOLENCE, part=6, victims=("doctor", "paramedic"))
    incident(c, occurred=at(2026, 6, 1, 0, 30), status=Status.CANCELLED)  # a new month, cancelled
    Incident.objects.filter(pk=rows[0].pk).update(status=Status.REGISTERED, erdr_registered_on=dt.date(2026, 1, 9))
    Incident.objects.filter(pk=rows[1].pk).update(legal_part=2, legal_applicable=True)
    Incident.objects.filter(pk=rows[2].pk).update(facility=a)  # moved: both facilities' January
    Incident.objects.filter(pk=rows[4].pk).update(occurred_at=at(2025, 12, 31, 23, 59))  # to another month
    Incident.objects.filter(pk=rows[5].pk).update(status=Status.CLOSED, outcome=Outcome.UNDER_INVESTIGATION)
    Incident.objects.filter(pk=rows[10].pk).update(acknowledged_at=None, place=Place.STREET)
    Victim.objects.filter(incident=rows[11]).update(role="security")
    Victim.objects.create(incident=rows[12], role="paramedic")
    Victim.objects.filter(incident=rows[13]).delete()
    Incident.objects.filter(pk=rows[14].pk).delete()
    row = rows[3]
    row.outcome = Outcome.SENT_TO_COURT
    row.status = Status.SENT_TO_COURT
    row.save(update_fields=["outcome", "status"])

    snapshot_refresh()

    assert recounts[-1] is not None and 0 < len(recounts[-1]) < groups_counted()
    incremental = snapshot_rows()
    assert incremental != before
    assert incremental == full_rebuild_rows()
    assert recounts[-1] is None
    assert Snapshot.objects.get().incidents == Incident.objects.exclude(status=Status.CANCELLED).count()


def test_a_full_rebuild_when_asked_when_the_rules_change_or_a_trigger_is_missing(spread, recounts):
    snapshot_refresh()
    assert recounts == []  # nothing changed, nothing recounted
    snapshot_refresh(full=True)
    assert recounts[-1] is None
    Snapshot.objects.update(rules="counted by an older release")
    snapshot_refresh()
    assert recounts[-1] is None
    incident(spread["a"], occurred=at(2026, 1, 20, 10))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check may wait on the table altered
            cursor.execute(f"ALTER TABLE {VICTIM} DISABLE TRIGGER analytics_snapshot_change_victim_update")
        else:
            cursor.execute("DROP TRIGGER analytics_snapshot_change_victim_update")
    snapshot_refresh()
    assert recounts[-1] is None


def test_a_refresh_recounts_everything_once_a_quarter_of_the_groups_changed(spread, recounts):
    groups = sorted({group(row) for row in spread["rows"]})
    assert len(groups) < groups_counted()  # the hand-built July's groups too
    changed = [row for row in spread["rows"] if group(row) in groups[: groups_counted() // 4 + 1]]
    Incident.objects.filter(pk__in=[row.pk for row in changed]).update(place=Place.CORRIDOR)
    snapshot_refresh()
    assert recounts[-1] is None


def test_a_truncate_logs_every_group(spread, recounts):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (a DELETE without WHERE fires the row triggers)")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check may wait on the table truncated
        cursor.execute(f"TRUNCATE {VICTIM} CASCADE")
    assert SnapshotChange.objects.filter(facility_id=None).exists()
    snapshot_refresh()
    assert recounts[-1] is None
    assert not MonthlyCount.objects.filter(dimension="profession").exists()


def test_a_write_in_the_refresh_transaction_after_the_log_was_read_stays_for_the_next(spread, monkeypatch):
    """The refresh deletes the log rows it read, not the log."""
    read = snapshot.changes_read
    late: list[Incident] = []

    def write_after_reading(cursor):
        groups = read(cursor)
        late.append(incident(spread["b"], occurred=at(2026, 4, 20, 10)))
        return groups

    monkeypatch.setattr(snapshot, "changes_read", write_after_reading)
    incident(spread["a"], occurred=at(2026, 2, 20, 10))
    snapshot_refresh()
    assert logged_groups() == {group(late[0])}
    monkeypatch.undo()
    snapshot_refresh()
    assert not SnapshotChange.objects.exists()
    assert snapshot_rows() == full_rebuild_rows()


# --- Concurrency (PostgreSQL: two connections) ------------------------------------------------------------------


def _in_thread(run: Callable[[], object]) -> tuple[threading.Thread, list]:
    result: list = []

    def target() -> None:
        try:
            result.append(run())
        except BaseException as error:  # noqa: BLE001 - handed to the test
            result.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    return thread, result


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_write_committed_during_a_refresh_is_counted_by_the_next(monkeypatch, no_suppression):
    if connection.vendor != "postgresql":
        skip_or_fail("two connections at once: the test database on PostgreSQL")
    facility = factories.PolicePostFactory().facility
    incident(facility, occurred=at(2026, 3, 5, 10))
    snapshot_refresh()
    read, paused, resume = snapshot.changes_read, threading.Event(), threading.Event()

    def pause_after_reading(cursor):
        groups = read(cursor)
        paused.set()
        assert resume.wait(30)
        return groups

    monkeypatch.setattr(snapshot, "changes_read", pause_after_reading)
    incident(facility, occurred=at(2026, 3, 6, 10))
    refresh, result = _in_thread(snapshot_refresh)
    assert paused.wait(30)
    late = incident(facility, occurred=at(2026, 4, 6, 10))  # committed while the refresh counts
    resume.set()
    refresh.join(60)
    assert isinstance(result[0], Snapshot) and result[0].incidents == 2  # its view began before the late write
    assert logged_groups() == {group(late)}
    monkeypatch.undo()
    assert snapshot_refresh().incidents == 3
    assert snapshot_rows() == full_rebuild_rows()


@pytest.mark.django_db(transaction=True)
def test_a_refresh_that_waited_for_another_stops_without_counting_again(monkeypatch):
    if connection.vendor != "postgresql":
        skip_or_fail("two connections at once: the test database on PostgreSQL")
    facility = factories.PolicePostFactory().facility
    incident(facility, occurred=at(2026, 3, 5, 10))
    snapshot_refresh()
    incident(facility, occurred=at(2026, 3, 6, 10))
    read, paused, resume = snapshot.changes_read, threading.Event(), threading.Event()

    def pause_first_only(cursor):
        groups = read(cursor)
        if not paused.is_set():
            paused.set()
            assert resume.wait(30)
        return groups

    monkeypatch.setattr(snapshot, "changes_read", pause_first_only)
    first, first_result = _in_thread(snapshot_refresh)
    assert paused.wait(30)
    second, second_result = _in_thread(snapshot_refresh)
    deadline = time.monotonic() + 30
    while not _waiting_for_a_lock():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    resume.set()
    first.join(60)
    second.join(60)
    assert isinstance(first_result[0], Snapshot) and isinstance(second_result[0], Snapshot)
    assert second_result[0].refreshed_at == first_result[0].refreshed_at  # the first one's snapshot, not a second
    assert Snapshot.objects.get().incidents == 2


def test_the_command_refreshes_the_changed_groups_or_with_full_every_group(spread, recounts):
    row = spread["rows"][0]
    Incident.objects.filter(pk=row.pk).update(place=Place.WARD)
    out = StringIO()
    call_command("snapshot_refresh", stdout=out)
    assert recounts[-1] == {group(row)}
    call_command("snapshot_refresh", "--full", stdout=out)
    assert recounts[-1] is None
    assert "Statistics snapshot: 24 incidents counted" in out.getvalue()
