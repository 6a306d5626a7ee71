"""The landing page: a tile for each kind of page the user's permissions open, and what waits for them.

It lives in `config/` because it reads every app (reports, cases) and no app should import the others for it.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from incidents.models import Status
from incidents.selectors import reporting as selectors
from incidents.selectors.cases import case_counts


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The counts behind the tiles: questions and drafts for a reporter, new and overdue cases for an officer."""
    context = {}
    if request.user.has_perm("incidents.report_incident"):
        context = {
            "open_questions": selectors.open_questions_count_of_reporter(request.user),
            "open_drafts": selectors.open_drafts_of(request.user).count(),
        }
    if request.user.has_perm("incidents.work_case"):
        counts = case_counts(request.user)
        context.update(cases_new=counts[Status.SUBMITTED], cases_overdue=counts["overdue"])
    return render(request, "home.html", context)
