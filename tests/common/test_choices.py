"""`get_<field>_display` from one table per field (common/choices.py): Django's labels, in the active language,
without rebuilding the table (and translating every label) on each call."""

import pytest
from django.utils.encoding import force_str
from django.utils.translation import override

from incidents.models import Incident

CHOICE_FIELDS = [field for field in Incident._meta.concrete_fields if field.choices]


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_each_label_is_djangos_in_the_active_language(language):
    assert CHOICE_FIELDS
    incident = Incident()
    with override(language):
        for field in CHOICE_FIELDS:
            for value, label in field.flatchoices:
                setattr(incident, field.attname, value)
                assert getattr(incident, f"get_{field.name}_display")() == force_str(label), (field.name, value)
            setattr(incident, field.attname, "not-a-choice")
            assert getattr(incident, f"get_{field.name}_display")() == "not-a-choice"


def test_the_labels_are_not_rebuilt_on_each_call(monkeypatch):
    import django.db.models.base

    def rebuilt(value):
        raise AssertionError("Django's get_FOO_display rebuilt the table of labels")

    monkeypatch.setattr(django.db.models.base, "make_hashable", rebuilt)
    incident = Incident(status="submitted", act="violence")
    assert incident.get_status_display() and incident.get_act_display()
