"""Input limits (issue 10, low): values that look right to a person but are not what the field means."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from incidents.models import Incident, Notice, ReportDraft, notice_upload_to
from incidents.services.cases import case_erdr_register, clean_erdr_number
from tests import factories
from tests.incidents.case_support import acknowledged
from tests.incidents.reporting_support import minimal_post, photo


@pytest.mark.parametrize("number", ["١٢٣٤٥٦٧", "۱۲۳۴۵۶۷", "１２３４５６７", "１23456"])
def test_an_erdr_number_in_other_digits_is_refused(number):
    with pytest.raises(ValidationError):
        clean_erdr_number(number)


@pytest.mark.parametrize(
    ("typed", "stored"), [("261750031000123", "261750031000123"), ("2617 5003-1000", "261750031000")]
)
def test_an_erdr_number_in_ascii_digits_is_kept(typed, stored):
    assert clean_erdr_number(typed) == stored


@pytest.mark.django_db
@pytest.mark.parametrize("when", ["2018-12-31T23:59", "0001-01-01T00:00", "1900-03-01T10:00"])
def test_an_incident_date_before_2019_is_refused_and_the_report_kept(client, reporter, facility_a, when):
    client.force_login(reporter)
    post = minimal_post(facility_a, occurred_at=when)
    response = client.post(reverse("incidents:report"), post, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Check the date: it is before 2019." in response.content.decode()
    assert not Incident.objects.exists()
    draft = ReportDraft.objects.get(key=post["draft_key"])
    assert draft.data["account"] == [post["account"]] and draft.data["occurred_at"] == [when]


@pytest.mark.django_db
def test_a_date_in_2019_is_accepted(client, reporter, facility_a):
    client.force_login(reporter)
    response = client.post(reverse("incidents:report"), minimal_post(facility_a, occurred_at="2019-01-01T00:00"))
    assert response.status_code == 302 and Incident.objects.count() == 1


@pytest.mark.django_db
def test_a_notice_is_stored_under_a_random_name():
    incident = factories.IncidentFactory()
    first = Notice(incident=incident, version=1, language="ru-kk")
    second = Notice(incident=incident, version=1, language="ru-kk")
    names = [notice_upload_to(first, "notice.pdf"), notice_upload_to(second, "notice.pdf")]
    assert names[0] != names[1]
    for name in names:
        assert incident.reference not in name and "-v1-" not in name and "ru-kk" not in name
        assert name.startswith(f"notices/{incident.pk}/") and name.endswith(".pdf")


@pytest.mark.django_db
def test_files_past_the_limit_are_named_and_the_first_ones_kept(client, reporter, facility_a, settings):
    settings.QORGAU_UPLOAD_MAX_FILES = 2
    client.force_login(reporter)
    post = {**minimal_post(facility_a), "action": "save", "evidence": [photo("a.jpg"), photo("b.jpg"), photo("c.jpg")]}
    response = client.post(reverse("incidents:report"), post, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.status_code == 200
    draft = ReportDraft.objects.get(key=post["draft_key"])
    assert sorted(draft.uploads.values_list("original_name", flat=True)) == ["a.jpg", "b.jpg"]
    assert "these were not attached: c.jpg" in response.content.decode()


@pytest.mark.django_db
def test_an_erdr_date_before_2019_is_refused_even_for_an_old_incident(incident, officer):
    incident = acknowledged(
        factories.incident_update(incident, occurred_at=dt.datetime(2018, 5, 1, tzinfo=dt.UTC)), officer
    )
    with pytest.raises(ValidationError) as refused:
        case_erdr_register(
            incident=incident,
            actor=officer,
            expected_version=incident.version,
            erdr_number="123456789",
            registered_on=dt.date(2018, 6, 1),
        )
    assert refused.value.code == "too_early"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0001-01-01", "Check the date: it is before 2019."),
        ("2018-12-31", "Check the date: it is before 2019."),
        ("9999-12-31", "The registration date cannot be in the future."),
    ],
)
def test_an_erdr_date_out_of_bounds_is_named_on_its_field_and_the_number_kept(
    client, officer, incident, typed, message
):
    incident = acknowledged(incident, officer)
    client.force_login(officer)
    url = reverse("incidents:case_action", args=[incident.pk, "erdr"])
    post = {"erdr-version": incident.version, "erdr-erdr_number": "261750031000123", "erdr-registered_on": typed}
    response = client.post(url, post)
    assert response.status_code == 400
    form = next(action.form for action in response.context["actions"] if action.name == "erdr")
    assert form.errors == {"registered_on": [message]}
    assert form["erdr_number"].value() == "261750031000123" and form["registered_on"].value() == typed
    incident.refresh_from_db()
    assert incident.erdr_number == "" and incident.erdr_registered_on is None
