"""Views of the police side: the officer's inbox, the case page and its actions."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import role_required
from common.sensitive import sensitive_view
from incidents import access
from incidents.forms.casefiles import CaseFileRequestForm
from incidents.forms.cases import ACTION_FORMS, InboxFilterForm
from incidents.forms.compensation import CompensationForm
from incidents.models import CaseMessage, Status
from incidents.selectors.casefiles import (
    case_files,
    casefile_filename,
    compensation_record_of,
    get_casefile_for_officer,
    victims_with_compensation,
)
from incidents.selectors.cases import (
    case_counts,
    case_deadline,
    case_inbox,
    case_inbox_latest,
    case_inbox_total,
    case_notices,
    case_questions,
    case_timeline,
    get_notice_for_officer,
    is_overdue,
)
from incidents.selectors.contacts import case_contacts
from incidents.selectors.tagging import assessment_current, assessment_history, override_active, overrides_all
from incidents.services import cases as case_services
from incidents.services.casefiles import CASEFILE_LANGUAGES, casefile_request
from incidents.services.notices import notice_request
from incidents.views import files
from incidents.workflow import CASE_ACTIONS, actions_offered

PAGE_SIZE = 25


class _Paginator(Paginator):
    """A paginator that can be told the number of rows, when it is known without another COUNT(*)."""

    def __init__(self, *args, count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # fills the cached property `count`


@sensitive_view
@require_GET
@role_required("incidents.work_case")
def case_inbox_view(request: HttpRequest) -> HttpResponse:
    all_cases = access.incidents_for_officer(request.user)
    form = InboxFilterForm(request.GET or None, cases=all_cases)
    filters, now = form.filters(), timezone.now()
    counts = case_counts(request.user, now=now, scope=all_cases)
    cases = case_inbox(request.user, filters, now=now, scope=all_cases)
    page = _Paginator(cases, PAGE_SIZE, count=case_inbox_total(filters, counts)).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "counts": counts,
        "status_counts": [(value, label, counts[value]) for value, label in Status.choices],
        "query": query.urlencode(),
        "latest": case_inbox_latest(request.user, counts=counts, scope=all_cases),
        "poll_seconds": settings.QORGAU_INBOX_POLL_SECONDS,
        # Which status tab is in view: "overdue", a status, or "" for all.
        "current_tab": "overdue" if filters.overdue else filters.status,
    }
    if request.GET.get("partial") == "list":
        return render(request, "incidents/case_inbox_list.html", context)
    return render(request, "incidents/case_inbox.html", context)


@sensitive_view
@require_GET
@role_required("incidents.work_case")
def case_inbox_poll(request: HttpRequest) -> JsonResponse:
    """A small JSON the inbox polls: the newest case id and the counts per status."""
    cases = access.incidents_for_officer(request.user)
    counts = case_counts(request.user, scope=cases)
    return JsonResponse({**case_inbox_latest(request.user, counts=counts, scope=cases), "counts": counts})


def _victims_with_forms(incident, bound_compensation=None) -> list:
    """The victims with their compensation row (`record`) and, while the case is not cancelled, its form."""
    victims = victims_with_compensation(incident)
    for victim in victims:
        if incident.status == Status.CANCELLED:
            victim.compensation_form = None
        elif bound_compensation is not None and bound_compensation.victim.pk == victim.pk:
            victim.compensation_form = bound_compensation
        else:
            victim.compensation_form = CompensationForm(victim=victim, record=victim.record)
    return victims


def _case_context(request: HttpRequest, incident, bound_form=None, bound_compensation=None) -> dict:
    forms = {}
    for action in actions_offered(incident.status):
        form_class = ACTION_FORMS[action]
        forms[action] = (
            bound_form if bound_form is not None and bound_form.action == action else form_class(incident=incident)
        )
    assessment = assessment_current(incident)
    victims = _victims_with_forms(incident, bound_compensation)
    return {
        "incident": incident,
        "victims": victims,
        "contacts": case_contacts(incident, victims=victims),
        "attackers": incident.attackers.all(),
        "evidence": incident.evidence.all(),
        "assessment": assessment,
        "override": override_active(incident),
        "history": assessment_history(incident),
        "overrides": overrides_all(incident),
        "events": case_timeline(incident),
        "messages_from_reporter": incident.messages.filter(kind=CaseMessage.Kind.INFO).select_related("author"),
        "questions": case_questions(incident),
        "notices": case_notices(incident),
        "casefiles": case_files(incident),
        "casefile_form": CaseFileRequestForm(incident=incident, initial={"language": _casefile_language(request)}),
        "deadline": case_deadline(incident),
        "overdue": is_overdue(incident),
        "forms": forms,
        "show_reporter": access.can_see_reporter_identity(request.user, incident),
    }


@sensitive_view
@require_GET
@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for_officer(request.user, pk)
    case_services.case_view(incident=incident, actor=request.user)
    return render(request, "incidents/case_detail.html", _case_context(request, incident))


def _rebound(form, request: HttpRequest, incident):
    """What the officer typed, on the case's new version, when the action still applies to it."""
    if form.action not in actions_offered(incident.status):
        return None
    data = request.POST.copy()
    data[form.add_prefix("version")] = incident.version
    return type(form)(data, incident=incident)


@sensitive_view
@require_POST
@login_required
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    incident = access.get_incident_for_officer(request.user, pk)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, incident=incident)
    if form.is_valid():
        try:
            form.perform(actor=request.user)
        except case_services.CaseActionRefused as refused:
            messages.error(request, refused.message)
            incident.refresh_from_db()
            context = _case_context(request, incident, bound_form=_rebound(form, request, incident))
            return render(request, "incidents/case_detail.html", context, status=409)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, CASE_ACTIONS[action].done_message)
            if action == "handover":
                return redirect("incidents:case_inbox")
            return redirect("incidents:case_detail", pk=incident.pk)
    messages.error(request, _("Please correct the errors below."))
    return render(request, "incidents/case_detail.html", _case_context(request, incident, bound_form=form), status=400)


@sensitive_view
@require_GET
@login_required
def case_notice_download(request: HttpRequest, pk: int, notice_pk: int) -> FileResponse | HttpResponse:
    notice = get_notice_for_officer(request.user, incident_pk=pk, notice_pk=notice_pk)
    return files.notice_response(notice, user=request.user)


@sensitive_view
@require_POST
@login_required
def case_notice_english(request: HttpRequest, pk: int) -> HttpResponse:
    """Render the English notice of the current version on request."""
    incident = access.get_incident_for_officer(request.user, pk)
    notice_request(incident=incident, actor=request.user, language="en")
    messages.info(request, _("The English notice is being prepared; it appears below when ready."))
    return redirect("incidents:case_detail", pk=incident.pk)


@sensitive_view
@require_GET
@login_required
def case_evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse | HttpResponse:
    incident = access.get_incident_for_officer(request.user, pk)
    return files.evidence_response(get_object_or_404(incident.evidence, pk=evidence_pk), user=request.user)


def _casefile_language(request: HttpRequest) -> str:
    language = (getattr(request, "LANGUAGE_CODE", "") or "ru")[:2]
    return language if language in CASEFILE_LANGUAGES else "ru"


@sensitive_view
@require_POST
@login_required
def case_casefile_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the whole case file as one PDF; Celery renders it and the case page then offers it."""
    incident = access.get_incident_for_officer(request.user, pk)
    form = CaseFileRequestForm(request.POST, incident=incident)
    language = form.cleaned_data["language"] if form.is_valid() else _casefile_language(request)
    casefile_request(incident=incident, actor=request.user, language=language)
    messages.info(request, _("The case file is being prepared; it appears in the list when ready."))
    return redirect(reverse("incidents:case_detail", args=[incident.pk]) + "#h-casefiles")


@sensitive_view
@require_GET
@login_required
def case_casefile_download(request: HttpRequest, pk: int, casefile_pk: int) -> FileResponse:
    casefile = get_casefile_for_officer(request.user, incident_pk=pk, casefile_pk=casefile_pk)
    return files.casefile_response(casefile, user=request.user, filename=casefile_filename(casefile))


@sensitive_view
@require_POST
@login_required
def case_compensation(request: HttpRequest, pk: int, victim_pk: int) -> HttpResponse:
    """Record one victim's compensation and support (sick leave, disability, the civil claim, help given)."""
    incident = access.get_incident_for_officer(request.user, pk)
    victim = get_object_or_404(incident.victims, pk=victim_pk)
    form = CompensationForm(request.POST, victim=victim, record=compensation_record_of(victim))
    if form.is_valid():
        try:
            form.perform(actor=request.user)
        except case_services.CaseConflict as refused:
            messages.error(request, refused.message)
            context = _case_context(request, incident)
            return render(request, "incidents/case_detail.html", context, status=409)
        except case_services.CaseActionRefused as refused:
            messages.error(request, refused.message)
            return redirect("incidents:case_detail", pk=incident.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Compensation and support are recorded."))
            return redirect(reverse("incidents:case_detail", args=[incident.pk]) + f"#victim-{victim.pk}")
    messages.error(request, _("Please correct the errors below."))
    context = _case_context(request, incident, bound_compensation=form)
    return render(request, "incidents/case_detail.html", context, status=400)
