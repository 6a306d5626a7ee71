from django.urls import path  # noqa: F401

from incidents.views import cases, reporting  # noqa: F401

app_name = "incidents"

urlpatterns = [
    # Reporting (medical staff, facility leads): incidents/views/reporting.py
    # Police cases: incidents/views/cases.py
]
