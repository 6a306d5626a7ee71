"""Issue 11: names written the Kazakh and Russian way, surname, given name, patronymic; the notice keeps the
patronymic."""

import re

import pytest
from django.urls import reverse

from incidents import pdf as notice_pdf
from incidents.models import Incident
from tests import factories
from tests.incidents.reporting_support import minimal_post

pytestmark = pytest.mark.django_db


def test_a_user_is_written_surname_given_name_patronymic(facility_a):
    user = factories.make_reporter(facility_a, first_name="Айгерим", last_name="Сапарова", middle_name="Ерлановна")
    assert user.get_full_name() == "Сапарова Айгерим Ерлановна" == str(user)
    assert user.get_short_name() == "Айгерим"
    no_patronymic = factories.make_reporter(facility_a, first_name="John", last_name="Smith", middle_name="")
    assert str(no_patronymic) == "Smith John"


def test_the_notice_names_the_reporting_victim_with_her_patronymic(client, facility_a):
    nurse = factories.make_reporter(
        facility_a, username="saparova", first_name="Айгерим", last_name="Сапарова", middle_name="Ерлановна"
    )
    client.force_login(nurse)
    assert client.post(reverse("incidents:report"), minimal_post(facility_a)).status_code == 302
    incident = Incident.objects.get()
    assert incident.victims.get(is_reporter=True).full_name == "Сапарова Айгерим Ерлановна"
    html = notice_pdf.render_notice_html(incident=incident, language="ru-kk", version=incident.version)
    assert re.search(r"Сапарова\s+Айгерим\s+Ерлановна", html)
