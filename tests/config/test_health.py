"""/healthz (liveness, no database) and /readyz (the database, cache, broker, media, statistics snapshot, beat's
last sweep and failed notices), answered in JSON with each check's status and time (config/health.py)."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from analytics.snapshot import snapshot_refresh
from config.celery_app import app as celery_app
from config.health import SWEEP_ENTRY
from incidents.models import Notice
from tests import factories
from tests.incidents.reporting_support import ensure_roles

DEAD_BROKER = "redis://127.0.0.1:1/0"


def beat_swept(ago: dt.timedelta = dt.timedelta(seconds=30)) -> PeriodicTask:
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.update_or_create(
        name=SWEEP_ENTRY,
        defaults={
            "task": "incidents.notice_sweep_task",
            "interval": every_minute,
            "last_run_at": timezone.now() - ago,
        },
    )[0]


@pytest.fixture
def healthy(transactional_db):
    # /readyz reads in worker threads, on their own connections: the rows must be committed.
    snapshot_refresh()
    beat_swept()


def readyz(client: Client) -> tuple[int, dict]:
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"process": {"status": "ok", "time_ms": 0.0}}}


def test_readyz_is_green_with_every_check_timed(client, healthy):
    status, body = readyz(client)

    assert status == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {
        "database",
        "cache",
        "broker",
        "media",
        "statistics_snapshot",
        "beat",
        "notices",
    }
    for check in body["checks"].values():
        assert check["status"] == "ok" and check["time_ms"] >= 0


def test_a_dead_broker_turns_readyz_red_with_the_reason(client, healthy, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", DEAD_BROKER)

    status, body = readyz(client)

    assert status == 503
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["status"] == "fail"
    assert "127.0.0.1:1" in body["checks"]["broker"]["error"]
    assert "refused" in body["checks"]["broker"]["error"].lower()
    assert body["checks"]["database"]["status"] == "ok"


def test_a_stale_beat_turns_readyz_red(client, healthy):
    beat_swept(ago=dt.timedelta(hours=1))

    status, body = readyz(client)

    assert status == 503
    assert "beat last sent the sweep 3600 s ago" in body["checks"]["beat"]["error"]


def test_a_missing_statistics_snapshot_turns_readyz_red(client, transactional_db):
    beat_swept()

    status, body = readyz(client)

    assert status == 503
    assert "no statistics snapshot yet" in body["checks"]["statistics_snapshot"]["error"]


def test_failed_notices_warn_without_taking_the_node_out(client, healthy):
    ensure_roles()
    incident = factories.IncidentFactory(facility=factories.PolicePostFactory().facility)
    # One the sweep will still re-run does not warn; one with every automatic re-run used does.
    Notice.objects.create(incident=incident, version=1, status=Notice.Status.FAILED, error="SMTP down")
    assert readyz(client)[1]["checks"]["notices"]["status"] == "ok"
    Notice.objects.create(
        incident=incident,
        version=2,
        status=Notice.Status.FAILED,
        error="SMTP down",
        auto_reruns=django_settings.QORGAU_NOTICE_AUTO_RERUNS,
    )

    status, body = readyz(client)

    assert status == 200
    assert body["status"] == "warn"
    assert body["checks"]["notices"] == {
        "status": "warn",
        "time_ms": body["checks"]["notices"]["time_ms"],
        "error": "Warning: 1 notice(s) failed after the last retry: admin › Notices",
    }


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_endpoints_are_not_redirected_to_https(client, settings, path, transactional_db):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(path).status_code in (200, 503)
    assert client.get("/accounts/login/").status_code == 301
