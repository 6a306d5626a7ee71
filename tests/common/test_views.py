"""Error views (`common/views.py`): a database outage shows our translated "temporarily unavailable" page, 503,
never "Something went wrong" (500) nor "Bad request" (400) (issue 12)."""

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.core.exceptions import SuspiciousOperation
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from common.views import database_unavailable

TITLES = {"ru": "Временно недоступно", "kk": "Уақытша қолжетімсіз", "en": "Temporarily unavailable"}


@pytest.fixture
def database_down(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    def go_down():
        monkeypatch.setattr(CursorWrapper, "execute", refuse)
        monkeypatch.setattr(CursorWrapper, "executemany", refuse)

    return go_down


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_a_database_outage_shows_our_translated_unavailable_page(reporter, database_down, language):
    client = Client(raise_request_exception=False)
    client.force_login(reporter)
    database_down()
    response = client.get(reverse("incidents:report"), headers={"Accept-Language": language})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert f'<html lang="{language}">' in html and TITLES[language] in html
    assert "102" in html


@pytest.mark.django_db
def test_a_report_sent_during_the_outage_gets_the_unavailable_page(reporter, database_down):
    client = Client(raise_request_exception=False)
    client.force_login(reporter)
    database_down()
    response = client.post(reverse("incidents:report"), {"action": "submit", "account": "Ударил"})
    assert response.status_code == 503


def test_database_unavailable_follows_the_chain_of_errors():
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as exc:
            raise UpdateError() from exc
    except UpdateError as exc:
        chained = exc
    assert database_unavailable(chained)
    assert not database_unavailable(SuspiciousOperation("bad"))
    assert not database_unavailable(None)
