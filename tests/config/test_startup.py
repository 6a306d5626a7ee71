"""A production worker or beat refuses to start misconfigured, as the web server does (config/startup.py)."""

import pytest
from celery.signals import beat_init, worker_init

import config.celery_app  # noqa: F401 - connects the start-up check to the signals


@pytest.mark.django_db
@pytest.mark.parametrize("signal", [worker_init, beat_init], ids=["worker", "beat"])
def test_a_worker_or_beat_of_a_misconfigured_production_refuses_to_start(settings, signal, capsys):
    settings.QORGAU_STARTUP_CHECKS = True
    settings.SITE_URL = ""

    with pytest.raises(SystemExit):
        signal.send(sender=None)

    assert "QORGAU_SITE_URL is not set" in capsys.readouterr().err


def test_outside_production_nothing_is_checked_at_start(settings):
    settings.QORGAU_STARTUP_CHECKS = False
    settings.SITE_URL = ""

    worker_init.send(sender=None)
