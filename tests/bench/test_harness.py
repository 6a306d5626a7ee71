"""A small run of the benchmark harness (config/bench/harness.py), so that CI keeps it working.

It checks that the harness seeds, measures every page against its floor and prints the table; never timings
(benchmarks are not timed tests: `make bench` is where ratios are judged).
"""

import io
import re

import pytest
from django.db import connection

from alarms.models import Alarm
from api.models import PlaceAPIKey
from config.bench import harness
from incidents.models import Incident
from tests.conftest import skip_or_fail
from tests.incidents.reporting_support import ensure_roles

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bench_urls(settings):
    settings.ROOT_URLCONF = "config.bench.urls"
    ensure_roles()


def test_harness_seeds_measures_every_page_and_prints_the_table(bench_urls):
    if connection.vendor != "postgresql":
        skip_or_fail("the benchmark measures PostgreSQL (seed_casework writes with INSERT … SELECT)")
    out = io.StringIO()

    rows = harness.bench(incidents=300, rounds=2, slow_rounds=1, out=out)

    printed = out.getvalue()
    assert (
        "| page | target | floor | ratio min | ratio median | ratio max | median ms | queries | rows | met |" in printed
    )
    labels = [row.measure.label for row in rows]
    for label in (
        "inbox, first page",
        "inbox poll",
        "case page",
        "report submit",
        "notice PDF",
        "dashboard",
        "API case list",
        "API alarm POST",
    ):
        assert label in labels
        assert f"| {label} |" in printed
    # The snapshot refresh: judged after one refresh interval's writes (the label says how many groups), and the
    # full rebuild timed beside it, not judged.
    refresh = [row for row in rows if row.measure.label.startswith("snapshot refresh after one 600 s interval's")]
    full = [row for row in rows if row.measure.label == "snapshot full rebuild (every group)"]
    assert len(refresh) == 1 and refresh[0].measure.target == 3.0 and refresh[0].measure.prepare is not None
    assert re.search(r"\(median \d+ incidents, \d+ of [\d,]+ groups\)", refresh[0].measure.label)
    assert len(full) == 1 and full[0].measure.target is None and full[0].met is None
    assert all(len(row.ratios) == (1 if row.measure.slow else 2) for row in rows)
    assert all(row.outcome.queries > 0 for row in rows if row.measure.label != "notice PDF")
    assert "API server time, p50 / p95 ms over 2 rounds: API case list " in printed
    judged = [row for row in rows if row.met is not None]
    assert printed.rstrip().splitlines()[-1] == f"targets met: {sum(row.met for row in judged)}/{len(judged)}"
    # The reports the run filed (real submits and floor inserts) are gone; the seeded ones stay.
    assert not Incident.objects.exclude(reference__startswith=harness.PREFIX).exists()
    assert harness.seeded_count() == 300
    # The alarms its device key raised are gone, and the key too.
    assert not Alarm.objects.exists() and not PlaceAPIKey.objects.exists()


def test_floor_views_exist_only_under_the_bench_urls(client, officer):
    client.force_login(officer)
    assert client.get("/bench/ok").status_code == 404
    assert client.get("/api/v1/bench/ok").status_code == 404
