"""The police side: an officer's cases (list, one case, its actions) and the hand-off document.

Loaded through incidents/access.py as the pages load them: the list needs the case-work role (403 without, as the
inbox), a case answers 404 to everyone who is not an officer of its post. Actions bind the case page's own forms
(`incidents.forms.cases.ACTION_FORMS`, one per entry of the action table) and call their services, with the
page's optimistic locking carried by If-Match / ETag.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.forms_bridge import form_data, form_errors, serializer_for
from api.handoff import handoff_document
from api.permissions import HasRole, IsUser
from api.problems import ActionRefused, PreconditionFailed, PreconditionRequired
from api.serializers import CaseListSerializer, CaseSerializer
from api.views.base import MethodFirst
from incidents import access
from incidents.forms.cases import ACTION_FORMS, InboxFilterForm
from incidents.models import Incident
from incidents.selectors.cases import InboxFilters, case_inbox, case_inbox_summary, is_overdue
from incidents.services import cases as case_services
from incidents.services import reads
from incidents.workflow import CASE_ACTIONS

# Actions that change no state take no version (the page's question form ignores it too).
UNVERSIONED = frozenset({"question"})


def etag_of(incident: Incident) -> str:
    return f'"{incident.version}"'


def _case_for_officer(request: Request, reference: str, *related: str) -> Incident:
    """The officer's case by its reference, read once (with the rows named in `related`); 404 outside their scope,
    as access.get_incident_for_officer answers (no case-work permission: an empty scope)."""
    return get_object_or_404(access.incidents_for_officer(request.user).select_related(*related), reference=reference)


def case_body(request: Request, incident: Incident) -> dict[str, Any]:
    show = access.can_see_reporter_identity(request.user, incident)
    incident.overdue = is_overdue(incident)  # type: ignore[attr-defined]
    return CaseSerializer(incident, context={"show_reporter": show}).data


class CaseCursor(CursorPagination):
    ordering = ("-submitted_at", "-pk")
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


FILTER_PARAMETERS = [
    OpenApiParameter(
        name,
        type=OpenApiTypes.DATE if name.startswith("period_") else (OpenApiTypes.BOOL if name == "overdue" else str),
        enum=[value for value, _label in field.choices if value]
        if hasattr(field, "choices") and name != "facility"
        else None,
        description=str(field.label),
    )
    for name, field in InboxFilterForm.base_fields.items()
]


class CaseList(MethodFirst, generics.ListAPIView):
    """The officer's cases, newest first, with the inbox's filters (an invalid filter is a 400 naming it)."""

    permission_classes = [HasRole]
    required_permission = "incidents.work_case"
    serializer_class = CaseListSerializer
    pagination_class = CaseCursor

    def get_queryset(self):
        # As the inbox page: the officer's scope, filtered by the inbox's form, which validates a facility against
        # those the scope has (from the cached summary, issue 14: read only when a facility is asked for).
        scope = access.officer_scope(self.request.user)
        cases = access.incidents_in_scope(scope)
        params = self.request.query_params.copy()
        for name in ("cursor", "page_size"):
            params.pop(name, None)
        filters = InboxFilters()
        if params:
            facility_ids = case_inbox_summary(scope)["facility_ids"] if params.get("facility") else None
            form = InboxFilterForm(params, facility_ids=facility_ids)
            if not form.is_valid():
                raise exceptions.ValidationError(form_errors(form))
            filters = form.filters()
        return CaseListSerializer.rows(case_inbox(self.request.user, filters, scope=cases))

    @extend_schema(operation_id="cases_list", parameters=FILTER_PARAMETERS, summary="My post's cases")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CaseDetail(MethodFirst, APIView):
    """One case, with its ETag (the version an action must name in If-Match)."""

    permission_classes = [IsUser]

    @extend_schema(operation_id="cases_retrieve", responses={200: CaseSerializer}, summary="One case")
    def get(self, request: Request, reference: str) -> Response:
        incident = _case_for_officer(request, reference)
        case_services.case_view(incident=incident, actor=request.user)
        return Response(case_body(request, incident), headers={"ETag": etag_of(incident)})


def _expected_version(request: Request, incident: Incident) -> int:
    raw = request.headers.get("If-Match")
    if raw is None:
        raise PreconditionRequired()
    value = raw.strip().removeprefix("W/").strip('"')
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise exceptions.ValidationError({"If-Match": [_('Give the case\'s ETag, e.g. "3".')]})
    version = int(value)
    if version != incident.version:
        raise PreconditionFailed(current=case_body(request, incident), etag=etag_of(incident))
    return version


class CaseAction(MethodFirst, APIView):
    """One entry of the case action table, done as the case page does it."""

    permission_classes = [IsUser]
    action_name = ""
    extra_errors = ("409", "412", "428")

    def post(self, request: Request, reference: str) -> Response:
        incident = _case_for_officer(request, reference)
        form_class = ACTION_FORMS[self.action_name]
        incoming = action_serializers[self.action_name](data=request.data)
        incoming.is_valid(raise_exception=True)
        data = form_data(incoming.validated_data, prefix=self.action_name, form_class=form_class)
        version = incident.version if self.action_name in UNVERSIONED else _expected_version(request, incident)
        data[f"{self.action_name}-version"] = str(version)
        form = form_class(data, incident=incident)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form, path=""))
        try:
            form.perform(actor=request.user)
        except case_services.CaseConflict:
            incident.refresh_from_db()
            raise PreconditionFailed(current=case_body(request, incident), etag=etag_of(incident)) from None
        except case_services.CaseActionRefused as refused:
            raise ActionRefused(refused.message) from None
        except ValidationError as error:
            raise exceptions.ValidationError(error.messages) from None
        except PermissionDenied:
            raise exceptions.NotFound() from None
        incident.refresh_from_db()
        return Response(case_body(request, incident), headers={"ETag": etag_of(incident)})


action_serializers = {
    name: serializer_for(form_class, name=f"{name.capitalize()}ActionIn", exclude=("version",))
    for name, form_class in ACTION_FORMS.items()
}


def action_view(name: str):
    """The view of one action, documented with its own body, its own operation id and the If-Match it needs."""
    parameters = []
    if name not in UNVERSIONED:
        parameters.append(
            OpenApiParameter(
                "If-Match",
                type=str,
                location=OpenApiParameter.HEADER,
                required=False,
                description="The case's ETag as last read (required: 428 without it, 412 when the case changed).",
            )
        )

    def post(self: CaseAction, request: Request, reference: str) -> Response:
        return CaseAction.post(self, request, reference)

    decorated = extend_schema(
        operation_id=f"cases_{name}",
        summary=str(CASE_ACTIONS[name].submit_label),
        request=action_serializers[name],
        responses={200: CaseSerializer},
        parameters=parameters,
    )(post)
    view_class = type(f"Case{name.capitalize()}Action", (CaseAction,), {"action_name": name, "post": decorated})
    return view_class.as_view()


class CaseHandoff(MethodFirst, APIView):
    """The case for the police's own systems; each download is recorded in the case history."""

    permission_classes = [IsUser]

    @extend_schema(
        operation_id="cases_handoff",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="qorgau.handoff/1")},
        summary="Hand-off document",
    )
    def get(self, request: Request, reference: str) -> Response:
        incident = _case_for_officer(
            request, reference, "facility", "department", "district", "police_post", "police_department"
        )
        document = handoff_document(incident, show_reporter=access.can_see_reporter_identity(request.user, incident))
        reads.case_handoff(incident=incident, actor=request.user, via="api")
        return Response(document, headers={"ETag": etag_of(incident)})
