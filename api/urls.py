"""/api/v1/: the versioned REST API, its OpenAPI schema and its docs (Swagger UI, Redoc; served from static)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from api.views import alarms, auth, cases, reference, reports, statistics
from incidents.workflow import CASE_ACTIONS

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[], authentication_classes=[]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[], authentication_classes=[]),
        name="docs",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(
            url_name="api:schema", template_name="api/redoc.html", permission_classes=[], authentication_classes=[]
        ),
        name="redoc",
    ),
    path("auth/token/", auth.TokenIssue.as_view(), name="token"),
    path("facilities/", reference.FacilityList.as_view(), name="facilities"),
    path("departments/", reference.DepartmentList.as_view(), name="departments"),
    path("posts/", reference.PostList.as_view(), name="posts"),
    path("reports/", reports.ReportListCreate.as_view(), name="reports"),
    path("reports/<str:reference>/", reports.ReportDetail.as_view(), name="report"),
    path("cases/", cases.CaseList.as_view(), name="cases"),
    path("cases/<str:reference>/", cases.CaseDetail.as_view(), name="case"),
    path("cases/<str:reference>/handoff", cases.CaseHandoff.as_view(), name="case_handoff"),
    *[path(f"cases/<str:reference>/{name}/", cases.action_view(name), name=f"case_{name}") for name in CASE_ACTIONS],
    path("statistics/", statistics.Statistics.as_view(), name="statistics"),
    path("alarms/", alarms.AlarmCreate.as_view(), name="alarms"),
    path("alarms/<int:alarm_id>/recordings/", alarms.RecordingCreate.as_view(), name="recordings"),
    path("alarms/<int:alarm_id>/recordings/<int:recording_id>/", alarms.RecordingDetail.as_view(), name="recording"),
]
