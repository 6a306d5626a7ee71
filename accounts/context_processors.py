"""What the navigation shows: each role sees what it may use and nothing else."""

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "report": user.is_reporter,
            "my_reports": user.is_reporter,
            "facility_reports": user.is_facility_lead,
            "cases": user.is_police_officer,
            "statistics": user.is_ministry_analyst or user.is_administrator,
            "facilities": user.is_administrator or user.is_facility_lead or user.is_police_officer,
            "admin": user.is_staff and user.is_administrator,
        }
    }
