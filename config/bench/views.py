"""The floors each page is measured against, in the same run (config/bench/harness.py).

- `ok`: a logged-in view answering "ok": the cost of the stack (middleware, session, user) and nothing else;
- `empty`: base.html with no content, served to the same officer: what any page of the site costs;
- `submit_floor`: the rows a real report submit wrote (the template incident's), inserted again as raw SQL,
  one INSERT per row, in one transaction: what writing a report costs without any of the code around it;
- `DRFFloor`: a DRF view under /api/v1/ answering {"ok": true} (201 to a POST, its JSON body parsed) to any key
  or user: the API's stack (middleware, DRF's authentication by key, token or session, throttle, parser and
  renderer) and nothing else.
"""

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from psycopg.types.json import Jsonb
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsKeyOrUser
from incidents.models import Attacker, Incident, IncidentEvent, Notice, ReportDraft, Victim
from legal.models import LegalAssessment

# The tables a submit writes, with the column that points at the incident (the incident's own row first).
SUBMIT_TABLES: tuple[tuple[Any, str], ...] = (
    (Incident, "id"),
    (Victim, "incident_id"),
    (Attacker, "incident_id"),
    (LegalAssessment, "incident_id"),
    (Notice, "incident_id"),
    (IncidentEvent, "incident_id"),
    (ReportDraft, "submitted_incident_id"),
)
# Per worker process: the template's rows, read once (the floor measures the INSERTs, not this read).
_templates: dict[int, list[tuple[str, str, list[str], list[Any]]]] = {}


@login_required
def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def empty(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/empty.html")


def _adapt(value: Any) -> Any:
    return Jsonb(value) if isinstance(value, dict | list) else value


def _template_rows(template: int) -> list[tuple[str, str, list[str], list[Any]]]:
    """(table, incident column, columns, values) of every row the template submit wrote, the incident first."""
    rows = []
    with connection.cursor() as cursor:
        for model, link in SUBMIT_TABLES:
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {table} WHERE {link} = %s ORDER BY id", [template])  # noqa: S608
            columns = [column.name for column in cursor.description]
            for record in cursor.fetchall():
                values = dict(zip(columns, record, strict=True))
                values.pop("id")
                rows.append((table, link, list(values), [_adapt(v) for v in values.values()]))
    return rows


@require_POST
@login_required
def submit_floor(request: HttpRequest, template: int) -> HttpResponse:
    """The template submit's rows inserted again as raw SQL (new reference and keys), then the same redirect."""
    if template not in _templates:
        _templates[template] = _template_rows(template)
    request.POST  # noqa: B018 - the body is parsed, as the real submit's form reads it
    marker = uuid.uuid4()
    incident_id = None
    with transaction.atomic(), connection.cursor() as cursor:
        for table, link, columns, values in _templates[template]:
            row = dict(zip(columns, values, strict=True))
            if link == "id":
                row.update(reference=f"FLOOR-{marker.hex[:20]}", idempotency_key=marker)
            else:
                row[link] = incident_id
            if "key" in row and table == ReportDraft._meta.db_table:
                row["key"] = uuid.uuid4()
            names = ", ".join(connection.ops.quote_name(c) for c in row)
            marks = ", ".join(["%s"] * len(row))
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id",  # noqa: S608
                list(row.values()),
            )
            if link == "id":
                incident_id = cursor.fetchone()[0]
    return redirect("incidents:report_sent", pk=incident_id)


class DRFFloor(APIView):
    permission_classes = [IsKeyOrUser]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})

    def post(self, request: Request) -> Response:
        request.data  # noqa: B018 - the body is parsed, as the alarm's view parses it
        return Response({"ok": True}, status=201)
