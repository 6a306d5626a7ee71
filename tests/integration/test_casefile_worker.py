"""The case file through a real Celery worker, a real Redis and PostgreSQL: asked for, rendered once with its hash;
left pending while the broker is down and queued by the sweep when it is back."""

import hashlib

import pytest

from incidents.models import CaseFile
from incidents.services import casefiles
from tests.integration.conftest import wait_for, worker_on

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_the_worker_renders_the_case_file_once(celery_worker, incident, officer):
    casefile = casefiles.casefile_request(incident=incident, actor=officer)
    wait_for(lambda: CaseFile.objects.filter(pk=casefile.pk, status=CaseFile.Status.READY).exists())
    casefile.refresh_from_db()
    with casefile.file.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == casefile.sha256
    assert casefile.attempts == 1


def test_a_broker_outage_leaves_it_pending_for_the_sweep(postgres_db, private_redis, incident, officer):
    from tests.celery_support import celery_broker

    private_redis.stop()
    with celery_broker(private_redis.url):
        casefile = casefiles.casefile_request(incident=incident, actor=officer)  # the officer is not refused
    casefile.refresh_from_db()
    assert casefile.status == CaseFile.Status.PENDING
    private_redis.start()
    with worker_on(private_redis.url):
        assert casefiles.casefile_sweep(older_than_seconds=0) == 1
        wait_for(lambda: CaseFile.objects.filter(pk=casefile.pk, status=CaseFile.Status.READY).exists())
