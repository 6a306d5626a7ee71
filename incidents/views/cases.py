"""Views of the police side: the officer's inbox, the case page and its actions."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import role_required
from common.sensitive import sensitive_view
from incidents import access
from incidents.forms.casefiles import CaseFileRequestForm
from incidents.forms.cases import ACTION_FORMS, CaseActionForm, InboxFilterForm
from incidents.forms.compensation import CompensationForm
from incidents.forms.evidence import EvidenceForwardForm
from incidents.models import IncidentEvent, Status
from incidents.selectors.casefiles import (
    case_files,
    casefile_filename,
    compensation_record_of,
    get_casefile_for_officer,
    victims_with_compensation,
)
from incidents.selectors.cases import (
    case_conversation,
    case_deadline,
    case_inbox,
    case_inbox_summary,
    case_inbox_total,
    case_notices,
    case_timeline,
    get_notice_for_officer,
    is_overdue,
)
from incidents.selectors.contacts import case_contacts
from incidents.selectors.tagging import (
    assessment_current,
    assessment_history,
    case_page_prefetch,
    override_active,
    overrides_all,
)
from incidents.services import cases as case_services
from incidents.services.casefiles import CASEFILE_LANGUAGES, casefile_request
from incidents.services.downloads import evidence_forward
from incidents.services.notices import notice_request
from incidents.views import files
from incidents.workflow import CASE_ACTIONS, actions_offered

PAGE_SIZE = 25
# What a row of the inbox shows (templates/incidents/case_inbox_list.html), with `overdue`: a case has some eighty
# columns, and building the page's 25 of them whole was a third of the inbox's time (issue 14).
INBOX_COLUMNS = (
    *("reference", "status", "act", "legal_part", "legal_applicable", "submitted_at"),
    *("facility__name_ru", "facility__name_kk", "facility__name_en"),
)
# What the case page shows of the rows an incident points to, read with it.
CASE_PAGE_RELATED = ("facility", "police_post", "police_department", "reporter")
# And of its own rows: the attackers (also the suspect form's choices) and the history (also whether this officer
# opened the case before).
CASE_PAGE_PREFETCH = ("attackers", Prefetch("events", queryset=IncidentEvent.objects.select_related("actor")))


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
    scope = access.officer_scope(request.user)
    all_cases = access.incidents_in_scope(scope)
    summary = case_inbox_summary(scope)
    form = InboxFilterForm(request.GET or None, facility_ids=summary["facility_ids"])
    filters, now = form.filters(), timezone.now()
    counts = summary["counts"]
    cases = case_inbox(request.user, filters, now=now, scope=all_cases)
    cases = cases.select_related(None).select_related("facility").only(*INBOX_COLUMNS)
    total = case_inbox_total(filters, counts, scope=scope, cases=cases)
    page = _Paginator(cases, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "counts": counts,
        "status_counts": [(value, label, counts[value]) for value, label in Status.choices],
        "query": query.urlencode(),
        "latest": {"latest_id": summary["latest_id"], "latest_reference": summary["latest_reference"]},
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
    """A small JSON the inbox polls: the newest case id and the counts per status, from the cached summary.

    `since` (the newest case id the page has): `changed` says whether anything newer came.
    """
    summary = case_inbox_summary(access.officer_scope(request.user))
    counts = summary["counts"]
    return JsonResponse(
        {
            "latest_id": summary["latest_id"],
            "latest_reference": summary["latest_reference"],
            "new": counts[Status.SUBMITTED],
            "counts": counts,
            "changed": request.GET.get("since", "") != str(summary["latest_id"] or ""),
        }
    )


def _compensation_open(incident) -> bool:
    """Whether compensation and support may be recorded for the case's victims: not once it is cancelled."""
    return incident.status != Status.CANCELLED


def _victims_with_forms(incident, bound_compensation=None) -> list:
    """The victims with their compensation row (`record`) and `compensation_form`: the bound one when it was
    refused, else None (the page links to the form's own page, fetched in place when opened)."""
    victims = victims_with_compensation(incident)
    for victim in victims:
        bound = bound_compensation is not None and bound_compensation.victim.pk == victim.pk
        victim.compensation_form = bound_compensation if bound and _compensation_open(incident) else None
    return victims


def _evidence_with_forms(incident, bound_forward: EvidenceForwardForm | None) -> list:
    """The case's evidence, each item with `forward_form`: the bound one when its hand-over was refused."""
    items = list(incident.evidence.all())
    for item in items:
        if bound_forward is not None and bound_forward.evidence.pk == item.pk:
            item.forward_form = bound_forward
        else:
            item.forward_form = EvidenceForwardForm(evidence=item)
    return items


@dataclass(frozen=True)
class OfferedAction:
    """An action the case page offers: its name, its title, and its form when the page writes it in place (the
    next step's, or the one whose POST was refused); the others' forms are on their own pages (`case_action`)."""

    name: str
    label: str
    form: CaseActionForm | None


def _actions_offered(incident, bound_form=None) -> list[OfferedAction]:
    """The actions allowed in the case's status whose form applies to the case, the next step first.

    Building and writing every action's form was a third of the page's time (the hand-over's list of posts, the
    compensation's fields: issue 14), and an officer opens one: only the next step's form is written here."""
    offered = []
    for position, action in enumerate(
        action for action in actions_offered(incident.status) if ACTION_FORMS[action].applies_to(incident)
    ):
        form = None
        if bound_form is not None and bound_form.action == action:
            form = bound_form
        elif position == 0:
            form = ACTION_FORMS[action](incident=incident)
        offered.append(OfferedAction(action, str(CASE_ACTIONS[action].submit_label), form))
    return offered


def _case_context(request: HttpRequest, incident, bound_form=None, bound_compensation=None, bound_forward=None) -> dict:
    assessment = assessment_current(incident)
    victims = _victims_with_forms(incident, bound_compensation)
    conversation = case_conversation(incident)
    return {
        "incident": incident,
        "victims": victims,
        "contacts": case_contacts(incident, victims=victims),
        "attackers": incident.attackers.all(),
        "evidence": _evidence_with_forms(incident, bound_forward),
        "assessment": assessment,
        "override": override_active(incident),
        "history": assessment_history(incident),
        "overrides": overrides_all(incident),
        "events": case_timeline(incident),
        "messages_from_reporter": conversation.notes,
        "questions": conversation.questions,
        "notices": case_notices(incident),
        "casefiles": case_files(incident),
        "casefile_form": CaseFileRequestForm(incident=incident, initial={"language": _casefile_language(request)}),
        "deadline": case_deadline(incident),
        "overdue": is_overdue(incident),
        "actions": _actions_offered(incident, bound_form),
        "compensation_open": _compensation_open(incident),
        "show_reporter": access.can_see_reporter_identity(request.user, incident),
    }


@sensitive_view
@require_GET
@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for_officer(
        request.user,
        pk,
        select_related=CASE_PAGE_RELATED,
        prefetch_related=[*CASE_PAGE_PREFETCH, *case_page_prefetch()],
    )
    case_services.case_view(incident=incident, actor=request.user)
    return render(request, "incidents/case_detail.html", _case_context(request, incident))


def _rebound(form, request: HttpRequest, incident):
    """What the officer typed, on the case's new version, when the action still applies to it."""
    if form.action not in actions_offered(incident.status):
        return None
    data = request.POST.copy()
    data[form.add_prefix("version")] = incident.version
    return type(form)(data, incident=incident)


def _form_page(request: HttpRequest, incident, form, *, title: str, submit_id: str) -> HttpResponse:
    """A form of the case on its own page, or only the form (`?partial=form`: the case page fetches it in place
    when the officer opens its section)."""
    context = {"incident": incident, "form": form, "title": title, "submit_id": submit_id}
    if request.GET.get("partial") == "form":
        return render(request, "incidents/includes/case_form.html", context)
    return render(request, "incidents/case_form.html", context)


@sensitive_view
@require_http_methods(["GET", "POST"])
@login_required
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET: the action's form (its own page, or only the form for the case page); POST: do the action."""
    incident = access.get_incident_for_officer(request.user, pk)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    if request.method == "GET":
        if action not in actions_offered(incident.status) or not form_class.applies_to(incident):
            # Not (or no longer) allowed in the case's status: the case page shows what is.
            return redirect("incidents:case_detail", pk=incident.pk)
        form = form_class(incident=incident)
        return _form_page(request, incident, form, title=form.submit_label, submit_id=f"submit-{action}")
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


@sensitive_view
@require_POST
@login_required
def case_evidence_forward(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """Record that a copy of an evidence file was handed over outside Qorgau: a link of its chain of custody."""
    incident = access.get_incident_for_officer(request.user, pk)
    evidence = get_object_or_404(incident.evidence, pk=evidence_pk)
    form = EvidenceForwardForm(request.POST, evidence=evidence)
    if form.is_valid():
        evidence_forward(
            evidence=evidence,
            actor=request.user,
            recipient=form.cleaned_data["recipient"],
            means=form.cleaned_data["means"],
        )
        messages.success(request, _("The hand-over is recorded in the evidence's chain of custody."))
        return redirect(reverse("incidents:case_detail", args=[incident.pk]) + "#h-evidence")
    messages.error(request, _("Please correct the errors below."))
    return render(
        request, "incidents/case_detail.html", _case_context(request, incident, bound_forward=form), status=400
    )


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
@require_http_methods(["GET", "POST"])
@login_required
def case_compensation(request: HttpRequest, pk: int, victim_pk: int) -> HttpResponse:
    """Record one victim's compensation and support (sick leave, disability, the civil claim, help given); GET: the
    form (its own page, or only the form for the case page)."""
    incident = access.get_incident_for_officer(request.user, pk)
    victim = get_object_or_404(incident.victims, pk=victim_pk)
    if request.method == "GET":
        if not _compensation_open(incident):
            return redirect("incidents:case_detail", pk=incident.pk)
        form = CompensationForm(victim=victim, record=compensation_record_of(victim))
        return _form_page(request, incident, form, title=form.submit_label, submit_id=form.submit_id)
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
