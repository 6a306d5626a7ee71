"""The data steps of the search and contacts migrations: names already stored get their search keys, phones
already typed their one form (`incidents/migrations/0016_…`, `accounts/migrations/0004_…`)."""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from accounts.models import User
from incidents.models import Attacker, Victim
from tests import factories

EDITOR = SimpleNamespace(connection=connection)


def test_stored_names_get_their_search_keys(reporter, facility_a):
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    victim = Victim.objects.create(incident=incident, full_name="Семёнова Жанар", role="doctor")
    attacker = Attacker.objects.create(incident=incident, full_name="Қасымов Ерлан")
    nameless = Attacker.objects.create(incident=incident, description="в красной куртке")
    importlib.import_module("incidents.migrations.0016_people_phone_and_search_keys").fill_name_keys(apps, EDITOR)
    assert Victim.objects.get(pk=victim.pk).name_key == "semenova zhanar"
    assert Attacker.objects.get(pk=attacker.pk).name_key == "kasimov erlan"
    assert Attacker.objects.get(pk=nameless.pk).name_key == ""


def test_phones_already_typed_are_brought_to_one_form_where_they_can_be(db):
    good = factories.UserFactory(username="good", phone="8 (701) 123-45-67")
    odd = factories.UserFactory(username="odd", phone="ext. 123")
    importlib.import_module("accounts.migrations.0004_phone_and_contact_preference").normalise_phones(apps, EDITOR)
    assert User.objects.get(pk=good.pk).phone == "+77011234567"
    assert User.objects.get(pk=odd.pk).phone == "ext. 123"
