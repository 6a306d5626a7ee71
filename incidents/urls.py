from django.urls import path  # noqa: F401

from incidents.views import cases, reporting, search  # noqa: F401

app_name = "incidents"

urlpatterns = [
    # Reporting (medical staff, facility leads): incidents/views/reporting.py
    path("report/", reporting.report, name="report"),
    path("report/draft/", reporting.draft_save, name="draft_save"),
    path("report/kept/<str:token>/", reporting.report_restore, name="report_restore"),
    path("drafts/<uuid:key>/delete/", reporting.draft_discard, name="draft_discard"),
    path("mine/", reporting.my_reports, name="my_reports"),
    path("facility/", reporting.facility_reports, name="facility_reports"),
    path("reports/<int:pk>/", reporting.report_detail, name="report_detail"),
    path("reports/<int:pk>/sent/", reporting.report_sent, name="report_sent"),
    path("reports/<int:pk>/info/", reporting.report_add_info, name="report_add_info"),
    path("reports/<int:pk>/withdraw/", reporting.report_withdraw, name="report_withdraw"),
    path("reports/<int:pk>/questions/<int:question_pk>/answer/", reporting.report_answer, name="report_answer"),
    path("evidence/<int:pk>/", reporting.evidence_download, name="evidence_download"),
    # Police cases: incidents/views/cases.py
    path("cases/", cases.case_inbox_view, name="case_inbox"),
    path("cases/poll/", cases.case_inbox_poll, name="case_inbox_poll"),
    path("cases/search/", search.case_search_view, name="case_search"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/do/<slug:action>/", cases.case_action, name="case_action"),
    path("cases/<int:pk>/notices/<int:notice_pk>/", cases.case_notice_download, name="case_notice_download"),
    path("cases/<int:pk>/notices/english/", cases.case_notice_english, name="case_notice_english"),
    path("cases/<int:pk>/evidence/<int:evidence_pk>/", cases.case_evidence_download, name="case_evidence_download"),
    path(
        "cases/<int:pk>/evidence/<int:evidence_pk>/forward/",
        cases.case_evidence_forward,
        name="case_evidence_forward",
    ),
    path("cases/<int:pk>/casefile/", cases.case_casefile_request, name="case_casefile_request"),
    path("cases/<int:pk>/casefile/<int:casefile_pk>/", cases.case_casefile_download, name="case_casefile_download"),
    path("cases/<int:pk>/victims/<int:victim_pk>/compensation/", cases.case_compensation, name="case_compensation"),
]
