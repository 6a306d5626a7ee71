"""The analyst's statistics as JSON: the dashboard's own tables, with the same small-cell suppression.

A hidden cell carries no number (`value` is null; `text` says "<3" or "x"), exactly as the dashboard shows it.
"""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import services
from analytics.forms import StatisticsFilterForm
from analytics.tables import Cell, Row
from api.forms_bridge import form_errors
from api.permissions import HasRole
from api.views.base import MethodFirst


def _cell(cell: Cell) -> dict[str, Any]:
    return {"value": cell.shown, "text": cell.text, "hidden": cell.hidden}


def _row(row: Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "label": str(row.label),
        "current": _cell(row.current),
        "previous": _cell(row.previous),
        "is_total": row.is_total,
        "change_percent": row.change_percent,
    }


class Statistics(MethodFirst, APIView):
    permission_classes = [HasRole]
    required_permission = "incidents.view_statistics"

    @extend_schema(
        operation_id="statistics_retrieve",
        parameters=[
            OpenApiParameter("period", str, description="2026, 2026-Q1 or 2026-03 (default: the latest)"),
            OpenApiParameter("district", int),
            OpenApiParameter("facility_kind", str),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Suppressed aggregates")},
        summary="Statistics",
    )
    def get(self, request: Request) -> Response:
        snapshot = services.snapshot_ensure_fresh()
        form = StatisticsFilterForm(request.query_params, snapshot=snapshot)
        if request.query_params and not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        stats = services.statistics_for_request(form.filters(), snapshot=snapshot)
        body = {
            "period": stats.filters.period.key,
            "threshold": stats.threshold,
            "data_cutoff": stats.snapshot.cutoff.isoformat() if stats.snapshot is not None else None,
            "headline": {
                "incidents": _row(stats.incidents),
                "victims": _row(stats.victims),
                "cancelled": _row(stats.cancelled),
            },
            "tables": [
                {
                    "key": table.key,
                    "title": str(table.title),
                    "unit": table.unit,
                    "current_label": str(table.current_label),
                    "previous_label": str(table.previous_label),
                    "rows": [_row(row) for row in table.rows],
                }
                for table in stats.tables
            ],
        }
        return Response(body)
