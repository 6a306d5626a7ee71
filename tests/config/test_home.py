"""The home page (config/home.py) tells a reporter what waits for them: the police's questions, unfinished reports;
and an officer the new and overdue cases of their posts."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.services import cases, drafts, reporting
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


def test_questions_on_other_peoples_reports_are_not_counted(
    client, reporter, other_reporter, officer, facility_a, post_a
):
    incident = factories.IncidentFactory(facility=facility_a, reporter=other_reporter)
    cases.case_question_ask(incident=incident, actor=officer, body="Кто был рядом?")
    assert "data-open-questions" not in home(client, reporter)


def test_reporter_is_told_of_an_unfinished_report(client, reporter):
    assert "data-open-drafts" not in home(client, reporter)
    drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={"account": ["Начала писать"]})
    assert "You have 1 unfinished report." in home(client, reporter)


def test_other_roles_get_no_reporter_notes(client, officer, analyst):
    for user in (officer, analyst):
        html = home(client, user)
        assert "data-open-questions" not in html and "data-open-drafts" not in html


def test_officer_sees_what_waits_in_the_inbox(client, officer, reporter, facility_a, post_a, settings):
    html = home(client, officer)
    assert "data-cases-new" not in html and "data-cases-overdue" not in html
    fresh = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    late = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    factories.incident_update(
        late, submitted_at=timezone.now() - timezone.timedelta(minutes=settings.QORGAU_ACK_DEADLINE_MINUTES + 5)
    )
    html = home(client, officer)
    new = html.split("data-cases-new", 1)[1].split("</a>", 1)[0]
    assert "2 cases are waiting to be acknowledged" in new
    assert f"{reverse('incidents:case_inbox')}?status=submitted" in new
    overdue = html.split("data-cases-overdue", 1)[1].split("</a>", 1)[0]
    assert "1 case is overdue" in overdue and "?overdue=on" in overdue
    cases.case_acknowledge(incident=fresh, actor=officer, expected_version=fresh.version)
    assert "1 case is waiting to be acknowledged" in home(client, officer)


def test_officer_counts_only_their_posts(client, other_officer, reporter, facility_a, post_a):
    factories.IncidentFactory(facility=facility_a, reporter=reporter)
    assert "data-cases-new" not in home(client, other_officer)
