"""A reporter's own reports: file one (the report form's fields, checked by the same forms, filed by the same
service) and read them back. The role gate is the report form's (`incidents.report_incident`), 403 without it."""

import uuid

from django import forms
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.forms_bridge import form_data, form_errors, serializer_for
from api.permissions import HasRole, IsUser
from api.serializers import ReportSerializer
from api.views.base import MethodFirst
from incidents import access
from incidents.forms.people import ATTACKERS_PREFIX, VICTIMS_PREFIX, AttackerForm, VictimForm
from incidents.forms.report_page import ReportForms
from incidents.forms.reporting import ReportForm
from incidents.selectors import reporting as selectors
from incidents.services import reads, reporting

VictimIn = serializer_for(VictimForm, name="VictimIn")
AttackerIn = serializer_for(AttackerForm, name="AttackerIn")
ReportIn = serializer_for(
    ReportForm,
    name="ReportIn",
    exclude=("draft_key", "evidence"),
    extra={
        "victims": VictimIn(many=True, required=False, max_length=20),
        "attackers": AttackerIn(many=True, required=False, max_length=20),
    },
)

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    type=uuid.UUID,
    location=OpenApiParameter.HEADER,
    required=False,
    description="The same key sent again returns the report it filed, never a second one.",
)


def _idempotency_key(request: Request) -> uuid.UUID:
    raw = request.headers.get("Idempotency-Key")
    if raw is None:
        return uuid.uuid4()
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise exceptions.ValidationError(
            {"Idempotency-Key": [_("Give a UUID, e.g. 0b6c3f5e-1f35-4c5e-9d8a-1c2b3d4e5f60.")]}
        ) from None


def _bound_forms(request: Request, values: dict, key: uuid.UUID) -> ReportForms:
    """The page's report forms bound to the JSON, as the page's POST would carry it (hidden fields included)."""
    user = request.user
    values = dict(values)
    victims = values.pop("victims", [])
    attackers = values.pop("attackers", [])
    data = form_data(values, form_class=ReportForm)
    data["draft_key"] = str(key)
    # The page sends its hidden fields with the values the form gives them for this user (one facility, a known
    # profession: nothing to choose); the form says which, here as on the page.
    for name, field in ReportForm(user=user).fields.items():
        if isinstance(field.widget, forms.HiddenInput) and field.initial is not None and not values.get(name):
            data[name] = str(field.initial)
    people = ((VICTIMS_PREFIX, victims, VictimForm), (ATTACKERS_PREFIX, attackers, AttackerForm))
    for prefix, rows, row_form in people:
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, row in enumerate(rows):
            for name, values_list in form_data(row, prefix=f"{prefix}-{index}", form_class=row_form).lists():
                data.setlist(name, values_list)
    return ReportForms(user=user, data=data)


def _errors(forms: ReportForms) -> dict[str, list[str]]:
    found = form_errors(forms.form)
    for prefix, formset in ((VICTIMS_PREFIX, forms.victims), (ATTACKERS_PREFIX, forms.attackers)):
        for index, form in enumerate(formset.forms):
            found.update(form_errors(form, path=f"{prefix}.{index}"))
        for error in formset.non_form_errors():
            found.setdefault(prefix, []).append(str(error))
    return found


class ReportListCreate(MethodFirst, APIView):
    permission_classes = [HasRole]
    required_permission = "incidents.report_incident"
    extra_errors = ("409",)

    @extend_schema(operation_id="reports_list", responses={200: ReportSerializer(many=True)}, summary="My reports")
    def get(self, request: Request) -> Response:
        reports = selectors.reports_of_reporter(request.user).select_related("facility")[:200]
        return Response(ReportSerializer(reports, many=True).data)

    @extend_schema(
        operation_id="reports_create",
        request=ReportIn,
        responses={201: ReportSerializer, 200: ReportSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="File a report",
    )
    def post(self, request: Request) -> Response:
        key = _idempotency_key(request)
        done = access.incidents_for_reporter(request.user).filter(idempotency_key=key).first()
        if done is not None:
            return Response(ReportSerializer(done).data, status=200)
        incoming = ReportIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        forms = _bound_forms(request, incoming.validated_data, key)
        if not forms.is_valid():
            raise exceptions.ValidationError(_errors(forms))
        try:
            incident = reporting.incident_submit(
                reporter=request.user,
                report=forms.report_input(),
                victims=forms.victim_inputs(),
                attackers=forms.attacker_inputs(),
                idempotency_key=key,
            )
        except reporting.IdempotencyConflict:
            raise exceptions.ValidationError({"Idempotency-Key": [_("This key is already used.")]}) from None
        return Response(ReportSerializer(incident).data, status=201)


class ReportDetail(MethodFirst, APIView):
    """A report as the reporting side reads it: its reporter, or a lead of its facility (recorded in its history)."""

    # No role gate: the access helper decides, as on the page (404 to everyone else, whatever their role).
    permission_classes = [IsUser]

    @extend_schema(operation_id="reports_retrieve", responses={200: ReportSerializer}, summary="One report")
    def get(self, request: Request, reference: str) -> Response:
        reports = access.incidents_for_reporting_side(request.user)
        pk = get_object_or_404(reports.values_list("pk", flat=True), reference=reference)
        incident = selectors.report_for_detail(request.user, pk)
        reads.report_view(incident=incident, actor=request.user)
        return Response(ReportSerializer(incident).data)
