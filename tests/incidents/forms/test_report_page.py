"""The whole report page as one object (`incidents/forms/report_page.py`): valid only when the report form and both
formsets are, turned into the submit service's inputs; a draft restored as initial values."""

import pytest
from django.http import QueryDict

from incidents.forms.report_page import draft_initial
from incidents.models import Place
from incidents.services.drafts import draft_data_from_post
from tests.incidents.reporting_support import bound, minimal_post

pytestmark = pytest.mark.django_db


def test_the_quick_path_alone_is_a_valid_report(reporter, facility_a):
    forms = bound(reporter, facility_a)
    assert forms.is_valid(), forms.error_list()
    report = forms.form.report_input()
    assert report.facility == facility_a and report.place == Place.ADMISSION
    assert [v.is_reporter for v in forms.victim_inputs()] == [True]
    assert forms.attacker_inputs() == []


def test_a_draft_round_trips_to_initial_values(reporter, facility_a):
    post = QueryDict(mutable=True)
    data = minimal_post(
        facility_a,
        act="violence",
        reporter_hurt=None,
        circumstances=["mass_riots"],
        **{"victims-0-full_name": "Дана", "victims-0-role": "doctor"},
    )
    for key, value in data.items():
        post.setlist(key, value if isinstance(value, list) else [value])
    restored = draft_initial(draft_data_from_post(post), user=reporter)
    assert restored["initial"]["act"] == "violence"
    assert restored["initial"]["reporter_hurt"] is False
    assert restored["initial"]["circumstances"] == ["mass_riots"]
    assert restored["victims_initial"] == [
        {
            "full_name": "Дана",
            "role": "doctor",
            "duty_link": "performing",
            "medical_qualification": False,
            "medical_work": False,
        }
    ]
    assert restored["attackers_initial"] == []
    assert "csrfmiddlewaretoken" not in draft_data_from_post(QueryDict("csrfmiddlewaretoken=x&account=y"))
