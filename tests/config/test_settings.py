"""Settings every environment shares (`config/settings/base.py`) that keep a fault short."""

from django.conf import settings
from django.db import connection


def test_a_kept_database_connection_is_checked_before_a_request_uses_it():
    # A connection that died between requests (a database restart) is replaced, not failed on (issue 12: a blip
    # showed users "400 Bad request", once per web worker).
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_an_smtp_server_that_does_not_answer_cannot_hang_a_worker():
    assert 0 < settings.EMAIL_TIMEOUT <= 30
