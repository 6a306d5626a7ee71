"""Schemathesis against the live schema at /api/v1/schema/: every operation, valid and invalid inputs, bounded
examples. No 500, no response outside the schema (status, content type, body), whoever calls.

QORGAU_SCHEMATHESIS_EXAMPLES sets the examples per operation (default 15); the run prints nothing on success.
"""

import os
import uuid

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis import checks as st_checks
from schemathesis.specs.openapi import checks as openapi_checks

from api.authentication import token_issue
from api.services import AlarmRequest, alarm_raise, apikey_create
from api.throttling import KeyOrUserRateThrottle
from tests import factories

EXAMPLES = int(os.environ.get("QORGAU_SCHEMATHESIS_EXAMPLES", "15"))
CHECKS = [
    st_checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
schema.config.generation.update(modes=["positive", "negative"], max_examples=EXAMPLES, allow_x00=False)

# Who calls each operation: a device's key where devices call, the user whose role the operation is for elsewhere.
# Responses by class (2xx, 4xx…) over the run, printed by the last test (`pytest -s`) for the README's figures.
CALLS: dict[int, int] = {}

CALLER = {
    "facilities_list": "key",
    "departments_list": "key",
    "posts_list": "key",
    "alarms_create": "key",
    "alarms_recordings_create": "key",
    "alarms_recordings_retrieve": "key",
    "alarms_recordings_append": "key",
    "reports_list": "reporter",
    "reports_create": "reporter",
    "reports_retrieve": "reporter",
    "statistics_retrieve": "analyst",
    "token_create": "none",
}


@pytest.fixture
def same_connection():
    """Requests share the test's database connection and transaction, as Django's test client arranges: the WSGI
    handler would otherwise close the connection at the end of each request (PostgreSQL: the next query fails)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def callers(db, monkeypatch, same_connection):
    monkeypatch.setattr(KeyOrUserRateThrottle, "THROTTLE_RATES", {"api": "100000/minute"})
    post = factories.PolicePostFactory(code="ALA-PP-03", status="active")
    facility = post.facility
    reporter = factories.make_reporter(facility, username="alice")
    officer = factories.make_officer(post, username="officer")
    analyst = factories.make_analyst(username="analyst")
    incident = factories.IncidentFactory(facility=facility, reporter=reporter)
    _row, raw = apikey_create(name="schemathesis", post_code=post.code)
    alarm, _created = alarm_raise(key=_row, user=None, wanted=AlarmRequest(), idempotency_key=str(uuid.uuid4()))
    return {
        "key": f"Api-Key {raw}",
        "reporter": f"Bearer {token_issue(user=reporter)}",
        "officer": f"Bearer {token_issue(user=officer)}",
        "analyst": f"Bearer {token_issue(user=analyst)}",
        "reference": incident.reference,
        "alarm_id": alarm.pk,
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_api(case, callers):
    who = CALLER.get(case.operation.definition.raw.get("operationId", ""), "officer")
    headers = {"Idempotency-Key": str(uuid.uuid4())} if case.method == "POST" else {}
    if who != "none":
        headers["Authorization"] = callers[who]
    # Valid inputs name the case that exists (a random reference would only ever be a 404); invalid ones keep theirs.
    if case.path_parameters and "reference" in case.path_parameters and case.meta.generation.mode == "positive":
        case.path_parameters["reference"] = callers["reference"]
    if case.path_parameters and "alarm_id" in case.path_parameters and case.meta.generation.mode == "positive":
        case.path_parameters["alarm_id"] = callers["alarm_id"]
    response = case.call(headers=headers)
    CALLS[response.status_code // 100] = CALLS.get(response.status_code // 100, 0) + 1
    case.validate_response(response, checks=CHECKS)


def test_every_operation_of_the_urls_is_in_the_schema():
    from django.urls import get_resolver

    operations = {op.ok().label for op in schema.get_all_operations()}
    api_routes = [str(p.pattern) for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/"]
    assert api_routes
    # Each endpoint of api/urls.py except the schema and its docs has at least one operation.
    from api import urls

    served = {str(p.pattern) for p in urls.urlpatterns} - {"schema/", "docs/", "redoc/"}
    documented = {label.split(" ", 1)[1].removeprefix("/api/v1/") for label in operations}
    normalise = {
        route.replace("<str:reference>", "{reference}")
        .replace("<int:alarm_id>", "{alarm_id}")
        .replace("<int:recording_id>", "{recording_id}")
        for route in served
    }
    assert normalise == documented
    print(f"\nschemathesis: {len(operations)} operations, responses by class {sorted(CALLS.items())}")
