"""Issue 11: admin shows the case history as readable lines, not raw JSON; roles with their translated names."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from incidents.services import reporting
from tests import factories
from tests.incidents.case_support import registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


def test_the_incident_page_in_admin_reads_its_history_in_words(client, superuser, incident, officer, reporter):
    incident = registered(incident, officer, on=timezone.localdate())
    client.force_login(superuser)
    html = client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert "&quot;erdr_number&quot;:" not in html and '"erdr_number":' not in html  # no JSON payload
    assert "ERDR number 261750031000123" in html


def test_the_events_list_in_admin_has_a_details_column_in_words(client, superuser, incident, officer):
    registered(incident, officer, on=timezone.localdate())
    client.force_login(superuser)
    html = client.get(reverse("admin:incidents_incidentevent_changelist")).content.decode()
    assert "ERDR number 261750031000123" in html


def test_a_withdrawal_reason_is_not_copied_into_admin(client, superuser, incident, reporter):
    """The reporter's words stay on the case page; admin says a reason was given."""
    reporting.incident_withdraw(incident=incident, actor=reporter, reason="Личная причина заявителя")
    client.force_login(superuser)
    html = client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert "Личная причина заявителя" not in html and "with a reason" in html


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_roles_are_offered_in_admin_by_their_translated_names(client, superuser, reporter, language):
    client.force_login(superuser)
    html = client.get(
        reverse("admin:accounts_user_change", args=[reporter.pk]), headers={"Accept-Language": language}
    ).content.decode()
    with translation.override(language):
        label = str(Role.FACILITY_LEAD.label)
    assert f">{label}</option>" in html
    assert ">facility_lead</option>" not in html
