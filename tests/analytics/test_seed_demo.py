import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from incidents.models import Incident, Victim
from tests import factories


@pytest.fixture
def reference_data(db):
    call_command("load_demo", "--no-accounts", verbosity=0)


def seeded():
    return Incident.objects.filter(reference__startswith="SEED-")


def test_seeds_the_number_asked_with_victims_and_no_names(reference_data):
    call_command("seed_demo", "--incidents", "40", verbosity=0)
    assert seeded().count() == 40
    victims = Victim.objects.filter(incident__in=seeded())
    assert victims.count() >= 40
    assert not victims.exclude(full_name="").exists()
    assert not seeded().filter(attackers__full_name__gt="").exists()


def test_second_run_refuses_unless_appending(reference_data):
    call_command("seed_demo", "--incidents", "10", verbosity=0)
    with pytest.raises(CommandError):
        call_command("seed_demo", "--incidents", "10", verbosity=0)
    call_command("seed_demo", "--incidents", "5", "--append", verbosity=0)
    assert seeded().count() == 15


def test_unless_seeded_makes_make_run_idempotent(reference_data):
    call_command("seed_demo", "--incidents", "10", "--unless-seeded", verbosity=0)
    call_command("seed_demo", "--incidents", "10", "--unless-seeded", verbosity=0)
    assert seeded().count() == 10


def test_officer_can_open_a_seeded_case(reference_data, client):
    call_command("seed_demo", "--incidents", "30", verbosity=0)
    incident = seeded().filter(police_post__isnull=False).first()
    officer = factories.make_officer(incident.police_post)
    client.force_login(officer)
    response = client.get(reverse("incidents:case_detail", args=[incident.pk]))
    assert response.status_code == 200
    assert incident.reference in response.content.decode()
