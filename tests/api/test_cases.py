"""An officer's cases through the API: the inbox's filters, cursor pages, the action table with If-Match/ETag,
the hand-off document; every write in the case history under the officer's name."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.serializers import CaseListSerializer
from common.problems import PROBLEM_CONTENT_TYPE
from incidents.models import Incident, IncidentEvent, Status
from incidents.services import cases as case_services
from tests import factories

CASES = "/api/v1/cases/"


def case_of(facility, **kwargs) -> Incident:
    return factories.IncidentFactory(facility=facility, **kwargs)


def test_the_officer_lists_their_posts_cases_only(api, officer, facility_a, facility_b):
    mine = case_of(facility_a)
    case_of(facility_b)
    body = api.as_token(officer).get(CASES).json()
    assert [row["reference"] for row in body["results"]] == [mine.reference]


def test_the_list_pages_by_cursor(api, officer, facility_a):
    made = [case_of(facility_a, submitted_at=timezone.now() - timezone.timedelta(minutes=i)) for i in range(5)]
    seen, url = [], f"{CASES}?page_size=2"
    while url:
        body = api.as_token(officer).get(url).json()
        seen += [row["reference"] for row in body["results"]]
        url = body["next"]
    assert seen == [incident.reference for incident in made]


def test_the_list_filters_as_the_inbox(api, officer, facility_a):
    new = case_of(facility_a)
    acknowledged = case_of(facility_a)
    case_services.case_acknowledge(incident=acknowledged, actor=officer, expected_version=acknowledged.version)
    body = api.as_token(officer).get(CASES, {"status": "acknowledged"}).json()
    assert [row["reference"] for row in body["results"]] == [acknowledged.reference]
    body = api.as_token(officer).get(CASES, {"q": new.reference[-4:]}).json()
    assert new.reference in [row["reference"] for row in body["results"]]


def test_the_list_filters_by_a_facility_of_the_officers_cases_only(api, officer, facility_a, facility_b):
    mine = case_of(facility_a)
    body = api.as_token(officer).get(CASES, {"facility": facility_a.pk}).json()
    assert [row["reference"] for row in body["results"]] == [mine.reference]
    response = api.as_token(officer).get(CASES, {"facility": facility_b.pk})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["facility"]


def test_a_list_page_reads_its_cases_in_one_statement_whatever_it_shows(api, officer, facility_a):
    """Only the columns the list shows are read (CaseListSerializer.rows): a field shown but not read would cost a
    query per case, which this counts."""
    client = api.as_token(officer)
    case_of(facility_a)
    with CaptureQueriesContext(connection) as one:
        assert client.get(CASES).status_code == 200
    for _ in range(4):
        case_of(facility_a)
    with CaptureQueriesContext(connection) as five:
        body = client.get(CASES).json()
    assert len(body["results"]) == 5 and len(five) == len(one)
    case_reads = [q["sql"] for q in five.captured_queries if re.match(r'SELECT .* FROM "incidents_incident"', q["sql"])]
    assert len(case_reads) == 1 and '"incidents_incident"."account"' not in case_reads[0]
    assert set(body["results"][0]) == set(CaseListSerializer.Meta.fields)
    first = Incident.objects.select_related("facility", "police_post").get(reference=body["results"][0]["reference"])
    assert (body["results"][0]["facility"], body["results"][0]["police_post"]) == (
        first.facility.code,
        first.police_post.code,
    )


def test_a_wrong_filter_is_a_400_naming_it(api, officer, facility_a):
    for params, field in (({"status": "nope"}, "status"), ({"period_from": "99999-01-01"}, "period_from")):
        response = api.as_token(officer).get(CASES, params)
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == [field]


def test_reading_a_case_gives_its_etag_and_is_recorded(api, officer, facility_a):
    incident = case_of(facility_a)
    response = api.as_token(officer).get(f"{CASES}{incident.reference}/")
    assert response.status_code == 200
    assert response["ETag"] == f'"{incident.version}"'
    assert response.json()["actions"][0] == "acknowledge"
    assert incident.events.filter(kind=IncidentEvent.Kind.VIEWED, actor=officer).exists()


def test_acknowledge_with_if_match_goes_through_the_service(api, officer, facility_a):
    incident = case_of(facility_a)
    url = f"{CASES}{incident.reference}/acknowledge/"
    response = api.as_token(officer).post(url, data={}, HTTP_IF_MATCH=f'"{incident.version}"')
    assert response.status_code == 200, response.json()
    incident.refresh_from_db()
    assert incident.status == Status.ACKNOWLEDGED
    assert response["ETag"] == f'"{incident.version}"'
    assert incident.events.get(kind=IncidentEvent.Kind.ACKNOWLEDGED).actor == officer


def test_an_action_without_if_match_is_a_428(api, officer, facility_a):
    incident = case_of(facility_a)
    response = api.as_token(officer).post(f"{CASES}{incident.reference}/acknowledge/", data={})
    assert response.status_code == 428
    incident.refresh_from_db()
    assert incident.status == Status.SUBMITTED


def test_a_stale_if_match_is_a_412_with_the_current_state(api, officer, facility_a):
    incident = case_of(facility_a)
    before = incident.version
    stale = f'"{before}"'
    case_services.case_acknowledge(incident=incident, actor=officer, expected_version=incident.version)
    response = api.as_token(officer).post(
        f"{CASES}{incident.reference}/erdr/",
        data={"erdr_number": "261750031000123", "registered_on": timezone.localdate().isoformat()},
        HTTP_IF_MATCH=stale,
    )
    assert response.status_code == 412
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = response.json()
    assert body["current"]["status"] == Status.ACKNOWLEDGED and body["current"]["version"] == before + 1
    assert response["ETag"] == f'"{before + 1}"'
    # Control: with the current ETag the registration goes through.
    response = api.as_token(officer).post(
        f"{CASES}{incident.reference}/erdr/",
        data={"erdr_number": "261750031000123", "registered_on": timezone.localdate().isoformat()},
        HTTP_IF_MATCH=response["ETag"],
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.REGISTERED


def test_an_action_not_allowed_in_the_status_is_a_409(api, officer, facility_a):
    incident = case_of(facility_a)
    response = api.as_token(officer).post(
        f"{CASES}{incident.reference}/forensic/", data={"harm": "light"}, HTTP_IF_MATCH=f'"{incident.version}"'
    )
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE


def test_an_action_forms_rule_names_the_field(api, officer, facility_a):
    incident = case_of(facility_a)
    case_services.case_acknowledge(incident=incident, actor=officer, expected_version=incident.version)
    incident.refresh_from_db()
    response = api.as_token(officer).post(
        f"{CASES}{incident.reference}/erdr/",
        data={"erdr_number": "12", "registered_on": timezone.localdate().isoformat()},
        HTTP_IF_MATCH=f'"{incident.version}"',
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["erdr_number"]


def test_a_question_needs_no_version_and_is_recorded(api, officer, facility_a):
    incident = case_of(facility_a)
    response = api.as_token(officer).post(f"{CASES}{incident.reference}/question/", data={"body": "Who saw it?"})
    assert response.status_code == 200, response.json()
    assert incident.events.get(kind=IncidentEvent.Kind.QUESTION_ASKED).actor == officer


def test_the_handoff_document_is_recorded_in_the_history(api, officer, facility_a):
    incident = case_of(facility_a)
    response = api.as_token(officer).get(f"{CASES}{incident.reference}/handoff")
    assert response.status_code == 200
    body = response.json()
    assert body["case"]["reference"] == incident.reference
    assert {"facts", "persons", "legal_assessment", "evidence", "notices"} <= set(body)
    event = incident.events.get(kind=IncidentEvent.Kind.HANDOFF_DOWNLOADED)
    assert event.actor == officer


def test_the_handoff_hides_a_confidential_reporters_name_from_nobody_on_the_post(api, officer, facility_a):
    incident = case_of(facility_a, reporter_confidential=True)
    victims = api.as_token(officer).get(f"{CASES}{incident.reference}/handoff").json()["persons"]["victims"]
    assert victims[0]["full_name"]  # the post may see it (access.can_see_reporter_identity)


def test_a_case_lists_the_actions_its_page_offers(api, officer, facility_a):
    """The episode link is offered only when the IIN matching found an earlier report (as on the case page)."""
    from incidents.forms.cases import ACTION_FORMS
    from incidents.workflow import actions_offered

    incident = case_of(facility_a)
    actions = api.as_token(officer).get(f"{CASES}{incident.reference}/").json()["actions"]
    assert "episode" in actions_offered(incident.status) and not ACTION_FORMS["episode"].applies_to(incident)
    assert "episode" not in actions
    assert actions == [name for name in actions_offered(incident.status) if ACTION_FORMS[name].applies_to(incident)]


def test_the_handoff_reads_the_case_row_once(api, officer, facility_a):
    incident = case_of(facility_a)
    client = api.as_token(officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{CASES}{incident.reference}/handoff")
    assert response.status_code == 200
    case_reads = [
        q["sql"] for q in queries.captured_queries if re.match(r'SELECT .* FROM "incidents_incident"', q["sql"])
    ]
    assert len(case_reads) == 1, case_reads
    assert response.json()["facts"]["facility"] == facility_a.code
