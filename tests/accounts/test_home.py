"""The home page tells a reporter what waits for them: the police's questions, unfinished reports."""

import uuid

import pytest
from django.urls import reverse

from incidents.services import cases, reporting
from tests import factories

pytestmark = pytest.mark.django_db


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_reporter_is_told_of_an_unanswered_police_question(client, reporter, officer, facility_a, post_a):
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    assert "data-open-questions" not in home(client, reporter)
    question = cases.case_question_ask(incident=incident, actor=officer, body="Кто был рядом?")
    html = home(client, reporter)
    assert "The police asked you 1 question" in html
    assert reverse("incidents:my_reports") in html.split("data-open-questions", 1)[1]
    reporting.question_answer(question=question, author=reporter, body="Санитар.")
    assert "data-open-questions" not in home(client, reporter)


def test_questions_on_other_peoples_reports_are_not_counted(client, reporter, other_reporter, officer,
                                                           facility_a, post_a):
    incident = factories.IncidentFactory(facility=facility_a, reporter=other_reporter)
    cases.case_question_ask(incident=incident, actor=officer, body="Кто был рядом?")
    assert "data-open-questions" not in home(client, reporter)


def test_reporter_is_told_of_an_unfinished_report(client, reporter):
    assert "data-open-drafts" not in home(client, reporter)
    reporting.draft_save(owner=reporter, key=uuid.uuid4(), data={"account": ["Начала писать"]})
    assert "You have 1 unfinished report." in home(client, reporter)


def test_other_roles_get_no_reporter_notes(client, officer, analyst):
    for user in (officer, analyst):
        html = home(client, user)
        assert "data-open-questions" not in html and "data-open-drafts" not in html
