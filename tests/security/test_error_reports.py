"""A crash while a report or a case is handled: the administrators' error e-mail and the log carry no name, no
IIN and no account of what happened (the report and case views are marked sensitive)."""

import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from incidents.services import cases as case_services
from incidents.services import reporting
from tests.incidents.reporting_support import minimal_post, submit

pytestmark = pytest.mark.django_db

VICTIM = "Айгерим Нурланова"
ATTACKER = "Бауыржан Сейткали"
IIN = "900101300017"
ACCOUNT = "угрожал ножом у поста"


def crash(*args, **kwargs):
    victim, iin = VICTIM, IIN  # noqa: F841 - local variables a traceback would show
    raise RuntimeError("render failed")


def leaked(text: str) -> list[str]:
    return [secret for secret in (VICTIM, ATTACKER, IIN, ACCOUNT) if secret in text]


@pytest.fixture
def admins(settings):
    settings.ADMINS = [("Qorgau administrators", "it@hospital.example.kz")]
    settings.DEBUG = False


def everything_sent(caplog) -> str:
    parts = []
    for message in mail.outbox:
        parts += [message.subject, message.body, *(content for content, _ in getattr(message, "alternatives", []))]
    parts += [record.getMessage() for record in caplog.records]
    parts += [logging.Formatter().format(record) for record in caplog.records]
    return "\n".join(str(part) for part in parts)


def test_a_crash_during_submit_reports_no_names_or_iins(admins, reporter, facility_a, monkeypatch, caplog):
    monkeypatch.setattr(reporting, "_create_incident", crash)
    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    client.force_login(reporter)
    data = minimal_post(
        facility_a,
        account=ACCOUNT,
        **{
            "victims-TOTAL_FORMS": "1",
            "victims-0-full_name": VICTIM,
            "victims-0-role": "nurse",
            "attackers-0-full_name": ATTACKER,
            "attackers-0-iin": IIN,
        },
    )

    with caplog.at_level(logging.ERROR):
        response = client.post(reverse("incidents:report"), data)

    assert response.status_code == 500
    assert len(mail.outbox) == 1, "the administrators are still told that something broke"
    assert "RuntimeError" in mail.outbox[0].body
    assert leaked(everything_sent(caplog)) == []


def test_a_crash_during_a_case_action_reports_no_names(admins, reporter, officer, facility_a, monkeypatch, caplog):
    incident = submit(reporter, facility_a)
    monkeypatch.setattr(case_services, "case_question_ask", crash)
    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    client.force_login(officer)

    with caplog.at_level(logging.ERROR):
        response = client.post(
            reverse("incidents:case_action", args=[incident.pk, "question"]),
            {"question-body": f"{VICTIM}, {IIN}: {ACCOUNT}?", "question-version": incident.version},
        )

    assert response.status_code == 500
    assert len(mail.outbox) == 1
    assert leaked(everything_sent(caplog)) == []


def test_every_report_and_case_page_is_marked_sensitive():
    from incidents.urls import urlpatterns

    unmarked = [pattern.name for pattern in urlpatterns if not getattr(pattern.callback, "is_sensitive", False)]

    assert unmarked == []
