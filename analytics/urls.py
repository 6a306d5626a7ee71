from django.urls import path

from analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dictionary/", views.dictionary, name="dictionary"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("facility/", views.facility_dashboard, name="facility_dashboard"),
    path("facility/export.csv", views.facility_export_csv, name="facility_export_csv"),
    path("facility/export.xlsx", views.facility_export_xlsx, name="facility_export_xlsx"),
    path("reports/", views.report_request, name="report_request"),
    path("reports/<uuid:key>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:key>/download/", views.report_download, name="report_download"),
]
