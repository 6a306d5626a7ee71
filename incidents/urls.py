from django.urls import path  # noqa: F401

from incidents.views import cases, reporting  # noqa: F401

app_name = "incidents"

urlpatterns = [
    # Reporting (medical staff, facility leads): incidents/views/reporting.py
    # Police cases: incidents/views/cases.py
    path("cases/", cases.case_inbox_view, name="case_inbox"),
    path("cases/poll/", cases.case_inbox_poll, name="case_inbox_poll"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/do/<slug:action>/", cases.case_action, name="case_action"),
    path("cases/<int:pk>/notices/<int:notice_pk>/", cases.case_notice_download, name="case_notice_download"),
    path("cases/<int:pk>/notices/english/", cases.case_notice_english, name="case_notice_english"),
    path("cases/<int:pk>/evidence/<int:evidence_pk>/", cases.case_evidence_download, name="case_evidence_download"),
]
