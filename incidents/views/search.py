"""The officer's case search page: the form, then the cases found (each search is recorded)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.permissions import role_required
from common.sensitive import sensitive_view
from incidents.forms.search import CaseSearchForm
from incidents.services.search import case_search


@sensitive_view
@require_GET
@role_required("incidents.work_case")
def case_search_view(request: HttpRequest) -> HttpResponse:
    form = CaseSearchForm(request.GET if "q" in request.GET else None)
    results = None
    if form.is_bound and form.is_valid():
        results = case_search(user=request.user, query=form.search_query())
    return render(request, "incidents/case_search.html", {"form": form, "results": results})
