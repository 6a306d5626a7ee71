"""A reporter files and reads reports through the API: the report form's own checks, routing, tagging and history."""

import uuid

from django.utils import timezone

from common.problems import PROBLEM_CONTENT_TYPE
from incidents.models import Incident, IncidentEvent

REPORTS = "/api/v1/reports/"


def quick(**overrides):
    body = {
        "act": "threat",
        "occurred_at": timezone.localtime().isoformat(),
        "place": "admission",
        "reporter_hurt": True,
        "account": "A relative threatened to beat me in admission.",
    }
    body.update(overrides)
    return body


def test_a_reporter_files_a_report_routed_tagged_and_in_the_history(api, reporter, post_a):
    response = api.as_token(reporter).post(REPORTS, data=quick())
    assert response.status_code == 201, response.json()
    incident = Incident.objects.get(reference=response.json()["reference"])
    assert incident.reporter == reporter and incident.police_post == post_a
    assert incident.victims.get().is_reporter
    kinds = set(incident.events.values_list("kind", flat=True))
    assert {IncidentEvent.Kind.SUBMITTED, IncidentEvent.Kind.TAGGED} <= kinds
    assert incident.events.get(kind=IncidentEvent.Kind.SUBMITTED).actor == reporter
    assert incident.assessments.exists()


def test_the_same_idempotency_key_files_once(api, reporter):
    key = str(uuid.uuid4())
    first = api.as_token(reporter).post(REPORTS, data=quick(), HTTP_IDEMPOTENCY_KEY=key)
    second = api.as_token(reporter).post(REPORTS, data=quick(), HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["reference"] == second.json()["reference"]
    assert Incident.objects.count() == 1


def test_another_users_idempotency_key_is_refused(api, reporter, other_reporter):
    key = str(uuid.uuid4())
    assert api.as_token(reporter).post(REPORTS, data=quick(), HTTP_IDEMPOTENCY_KEY=key).status_code == 201
    response = api.as_token(other_reporter).post(REPORTS, data=quick(), HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Incident.objects.count() == 1


def test_the_forms_rules_name_the_field(api, reporter):
    response = api.as_token(reporter).post(REPORTS, data=quick(account="hi"))
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert [e["field"] for e in response.json()["errors"]] == ["account"]
    # A time in the future: the form's own check.
    future = (timezone.localtime() + timezone.timedelta(days=2)).isoformat()
    response = api.as_token(reporter).post(REPORTS, data=quick(occurred_at=future))
    assert [e["field"] for e in response.json()["errors"]] == ["occurred_at"]
    assert Incident.objects.count() == 0


def test_wrong_types_and_unknown_fields_are_400s_naming_the_field(api, reporter):
    cases = [
        (quick(act=7), "act"),
        (quick(reporter_hurt="maybe"), "reporter_hurt"),
        (quick(sick_leave_days="many"), "sick_leave_days"),
        (quick(victims="me"), "victims"),
        (quick(victims=[{"role": "astronaut"}]), "victims.0.role"),
        (quick(colour="red"), "colour"),
        (quick(facility=10**30), "facility"),
    ]
    for body, field in cases:
        response = api.as_token(reporter).post(REPORTS, data=body)
        assert response.status_code == 400, (field, response.content)
        assert field in [e["field"] for e in response.json()["errors"]], (field, response.json())
    assert api.as_token(reporter).post(REPORTS, data=[1, 2]).status_code == 400
    assert Incident.objects.count() == 0


def test_a_facility_not_ones_own_is_refused_by_the_form(api, reporter, facility_b):
    response = api.as_token(reporter).post(REPORTS, data=quick(facility=facility_b.pk))
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["facility"]


def test_other_victims_and_attackers_go_through_the_formsets(api, reporter):
    body = quick(
        reporter_hurt=False,
        victims=[{"full_name": "Aigerim", "role": "doctor", "duty_link": "performing"}],
        attackers=[{"relation": "relative", "description": "tall, grey coat"}],
    )
    response = api.as_token(reporter).post(REPORTS, data=body)
    assert response.status_code == 201, response.json()
    incident = Incident.objects.get()
    assert [v.full_name for v in incident.victims.all()] == ["Aigerim"]
    assert incident.attackers.get().description == "tall, grey coat"


def test_no_victim_is_the_forms_error(api, reporter):
    response = api.as_token(reporter).post(REPORTS, data=quick(reporter_hurt=False))
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["reporter_hurt"]


def test_a_reporter_lists_and_reads_only_their_own(api, reporter, other_reporter):
    mine = api.as_token(reporter).post(REPORTS, data=quick()).json()["reference"]
    theirs = api.as_token(other_reporter).post(REPORTS, data=quick()).json()["reference"]
    listed = [row["reference"] for row in api.as_token(reporter).get(REPORTS).json()]
    assert listed == [mine]
    assert api.as_token(reporter).get(f"{REPORTS}{mine}/").status_code == 200
    assert api.as_token(reporter).get(f"{REPORTS}{theirs}/").status_code == 404


def test_the_facility_lead_reads_a_report_and_it_is_recorded(api, reporter, facility_lead):
    reference = api.as_token(reporter).post(REPORTS, data=quick()).json()["reference"]
    assert api.as_token(facility_lead).get(f"{REPORTS}{reference}/").status_code == 200
    incident = Incident.objects.get(reference=reference)
    assert incident.events.filter(kind=IncidentEvent.Kind.LEAD_VIEWED, actor=facility_lead).count() == 1


def test_the_report_read_has_no_police_data(api, reporter):
    reference = api.as_token(reporter).post(REPORTS, data=quick()).json()["reference"]
    body = api.as_token(reporter).get(f"{REPORTS}{reference}/").json()
    assert not {"legal_part", "erdr_number", "version", "attackers"} & set(body)


def test_a_membership_gone_while_filing_is_a_403_not_a_used_key(api, reporter, monkeypatch):
    """The service's own refusal (the reporter left the facility between the form's check and the submit) is not
    an Idempotency-Key problem: the key was never used."""
    from incidents.services import reporting

    real_submit = reporting.incident_submit

    def submit_after_leaving(**kwargs):
        reporter.facility_memberships.all().delete()
        return real_submit(**kwargs)

    monkeypatch.setattr(reporting, "incident_submit", submit_after_leaving)
    response = api.as_token(reporter).post(REPORTS, data=quick(), HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert "Idempotency-Key" not in response.content.decode()
    assert not Incident.objects.exists()
