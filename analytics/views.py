"""The statistics area: aggregates only, for Ministry analysts and administrators.

Everyone else who is logged in gets 403: the area's existence is no secret (unlike a case), and the
navigation does not show it to them.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import role_required
from alarms.selectors import response_times
from analytics import exports, presentation, services
from analytics.forms import FacilityStatisticsFilterForm, StatisticsFilterForm
from analytics.models import Snapshot, StatisticsReport
from analytics.selectors.categories import parts_by_act
from analytics.selectors.reports import get_report_for
from analytics.snapshot import current_snapshot
from incidents.access import facility_ids_led_by
from legal.statute import CURRENT as STATUTE


def _filename(form: StatisticsFilterForm, extension: str) -> str:
    filters = form.filters()
    parts = ["qorgau-statistics", filters.period.key]
    if filters.own_facility_ids is not None:
        parts.insert(1, "facility")
    if filters.district:
        parts.append(filters.district.code)
    if filters.facility_kind:
        parts.append(filters.facility_kind)
    return "-".join(parts) + f".{extension}"


def _dashboard(
    request: HttpRequest,
    form: StatisticsFilterForm,
    snapshot: Snapshot | None,
    **context,
) -> HttpResponse:
    stats = services.statistics_for_request(form.filters(), snapshot=snapshot)
    return render(
        request,
        "analytics/dashboard.html",
        {
            "form": form,
            "stats": stats,
            "board_html": presentation.dashboard_html(stats),
            "query": form.query_string(),
            # The victims' claims: the public scopes' only (a lead's details have none).
            "compensation": stats.details.compensation if stats.details else None,
            **context,
        },
    )


@require_GET
@role_required("incidents.view_statistics")
def dashboard(request: HttpRequest) -> HttpResponse:
    snapshot = services.snapshot_ensure_fresh()
    return _dashboard(
        request,
        StatisticsFilterForm(request.GET, snapshot=snapshot),
        snapshot,
        alarm_response_times=response_times(),
        threshold=settings.QORGAU_STATS_MIN_CELL,
        reports=StatisticsReport.objects.filter(requested_by=request.user)[:5],
        csv_url="analytics:export_csv",
        xlsx_url="analytics:export_xlsx",
        offers_pdf=True,
    )


def _facility_form(request: HttpRequest, snapshot: Snapshot | None) -> FacilityStatisticsFilterForm:
    return FacilityStatisticsFilterForm(
        request.GET, snapshot=snapshot, own_facility_ids=frozenset(facility_ids_led_by(request.user))
    )


@require_GET
@role_required("incidents.view_facility_incidents")
def facility_dashboard(request: HttpRequest) -> HttpResponse:
    """The same dashboard, of the facilities the lead leads only, unsuppressed (`statistics_for`)."""
    snapshot = services.snapshot_ensure_fresh()
    return _dashboard(
        request,
        _facility_form(request, snapshot),
        snapshot,
        csv_url="analytics:facility_export_csv",
        xlsx_url="analytics:facility_export_xlsx",
        offers_pdf=False,
    )


@require_GET
@role_required("incidents.view_statistics")
def dictionary(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "analytics/dictionary.html",
        {
            "threshold": settings.QORGAU_STATS_MIN_CELL,
            "statute": STATUTE,
            "act_parts": parts_by_act(),
            "snapshot": current_snapshot(),
        },
    )


@require_GET
@role_required("incidents.view_statistics")
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    snapshot = current_snapshot()
    return _csv(StatisticsFilterForm(request.GET, snapshot=snapshot), snapshot)


@require_GET
@role_required("incidents.view_facility_incidents")
def facility_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    snapshot = current_snapshot()
    return _csv(_facility_form(request, snapshot), snapshot)


def _csv(form: StatisticsFilterForm, snapshot: Snapshot | None) -> StreamingHttpResponse:
    filters = form.filters()
    language = translation.get_language()

    def build():
        with translation.override(language):
            return services.statistics_for_request(filters, snapshot=snapshot)

    def lines():
        with translation.override(language):
            yield from exports.csv_stream(build)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(form, "csv")}"'
    return response


@require_GET
@role_required("incidents.view_statistics")
def export_xlsx(request: HttpRequest) -> FileResponse:
    snapshot = current_snapshot()
    return _xlsx(StatisticsFilterForm(request.GET, snapshot=snapshot), snapshot)


@require_GET
@role_required("incidents.view_facility_incidents")
def facility_export_xlsx(request: HttpRequest) -> FileResponse:
    snapshot = current_snapshot()
    return _xlsx(_facility_form(request, snapshot), snapshot)


def _xlsx(form: StatisticsFilterForm, snapshot: Snapshot | None) -> FileResponse:
    handle = exports.xlsx_file(services.statistics_for_request(form.filters(), snapshot=snapshot))
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_filename(form, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_POST
@role_required("incidents.view_statistics")
def report_request(request: HttpRequest) -> HttpResponse:
    form = StatisticsFilterForm(request.POST)
    report = services.statistics_report_request(
        user=request.user, filters=form.filters(), language=translation.get_language() or "ru"
    )
    return redirect("analytics:report_detail", key=report.key)


@require_GET
@role_required("incidents.view_statistics")
def report_detail(request: HttpRequest, key) -> HttpResponse:
    report = get_report_for(request.user, key)
    return render(request, "analytics/report_detail.html", {"report": report})


@require_GET
@role_required("incidents.view_statistics")
def report_download(request: HttpRequest, key) -> FileResponse:
    report = get_report_for(request.user, key, ready=True)
    if not report.file:
        raise Http404
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        content_type="application/pdf",
        filename=f"qorgau-statistics-{report.period}.pdf",
    )
