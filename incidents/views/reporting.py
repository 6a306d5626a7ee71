"""Views of the reporting flow: medical staff file, resume, and follow their reports."""

import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.permissions import role_required
from accounts.security import client_ip
from common.sensitive import sensitive_view
from incidents import access
from incidents.forms.report_page import ReportForms, draft_initial
from incidents.forms.reporting import MessageForm, WithdrawForm, facilities_of
from incidents.models import CaseMessage, Evidence, ReportDraft, Status
from incidents.selectors import reporting as selectors
from incidents.services import drafts, reads, reporting
from incidents.services.evidence import uploads_check, uploads_within_limit
from incidents.views import files
from incidents.workflow import can_withdraw

# The link that hands a kept report back after the login (valid for `drafts.KEPT_MAX_AGE`).
KEPT_SALT = "incidents.kept-report"
PAGE_SIZE = 25


def _key_from(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _render_form(
    request: HttpRequest, forms: ReportForms, *, draft: ReportDraft | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "incidents/report_form.html",
        {
            "forms": forms,
            "form": forms.form,
            "errors": forms.error_list() if forms.form.is_bound else [],
            "draft": draft,
            "kept_uploads": list(draft.uploads.all()) if draft is not None else [],
            "has_facility": forms.form.fields["facility"].queryset.exists(),
            # Says whose form this is, so a report sent after the session expired is kept for them alone.
            "keep_token": drafts.report_form_token(user=request.user, key=forms.form["draft_key"].value()),
            "max_request_bytes": settings.QORGAU_REQUEST_MAX_BYTES,
            # A report sent with no connection waits on the phone within these sizes (static/js/outbox.js).
            "outbox_item_max": drafts.outbox_limits()["item"],
            "outbox_max": drafts.outbox_limits()["total"],
        },
        status=status,
    )


@sensitive_view
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The report form: new, resumed from a draft (?draft=key), or posted."""
    if not request.user.is_authenticated:
        if request.method == "POST":
            return _keep_report_for_login(request)
        return redirect_to_login(request.get_full_path())
    return _report_of_reporter(request)


def _form_of_another_user(request: HttpRequest) -> bool:
    """The posted form is a page issued to another user: someone else logged in on a shared computer since."""
    typed_by = drafts.report_form_author(
        token=request.POST.get("keep_token"), key=_key_from(request.POST.get("draft_key"))
    )
    return typed_by is not None and typed_by.pk != request.user.pk


@role_required("incidents.report_incident")
def _report_of_reporter(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if _form_of_another_user(request):
            # Neither filed nor saved under the name of whoever is logged in now; the page keeps what was typed.
            return render(request, "incidents/report_of_another_user.html", status=409)
        return _report_post(request)
    draft = None
    forms = ReportForms(user=request.user)
    if key := _key_from(request.GET.get("draft")):
        draft = get_object_or_404(ReportDraft, key=key, owner=request.user)
        if draft.submitted_incident_id:
            return redirect("incidents:report_sent", pk=draft.submitted_incident_id)
        restored = draft_initial(draft.data, user=request.user)
        restored["initial"]["draft_key"] = draft.key
        forms = ReportForms(user=request.user, **restored)
    return _render_form(request, forms, draft=draft)


def _report_post(request: HttpRequest) -> HttpResponse:
    key = _key_from(request.POST.get("draft_key")) or uuid.uuid4()
    form = ReportForms(user=request.user, data=request.POST, files=request.FILES)
    action = request.POST.get("action", "submit")
    try:
        result = reporting.report_post(
            reporter=request.user,
            key=key,
            data=drafts.draft_data_from_post(request.POST),
            files=request.FILES.getlist("evidence"),
            action=action,
            remove_upload=request.POST.get("remove_upload"),
            form=form,
        )
    except (PermissionDenied, reporting.IdempotencyConflict) as exc:
        raise Http404 from exc
    if result.outcome == reporting.ReportPostOutcome.SUBMITTED:
        return redirect("incidents:report_sent", pk=result.incident.pk)
    if result.outcome == reporting.ReportPostOutcome.SAVED:
        for error in result.file_errors:
            messages.error(request, " ".join(error.messages))
        if action == "save" and not result.removed_upload:
            messages.success(request, _("Draft saved. You can come back to it from “My reports”."))
        # Without JavaScript these buttons show the draft again with one more blank row, at that row.
        anchor = {"add_victim": "#victims", "add_attacker": "#attackers"}.get(action, "#evidence-section")
        return redirect(f"{reverse('incidents:report')}?draft={result.draft.key}{anchor if action != 'save' else ''}")
    return _render_form(request, form, draft=result.draft)


def _keep_report_for_login(request: HttpRequest) -> HttpResponse:
    """The session ended while the form was open: keep what was sent for the user whose form it was.

    Only a page issued to a logged-in reporter carries the signed value naming them (`keep_token`); without it
    nothing is stored, so the logged-out path is no anonymous storage. The report is handed back after the
    login to that user alone, within the limits of `drafts.report_keep`.
    """
    resume_key = _key_from(request.POST.get("draft_key"))
    author = drafts.report_form_author(token=request.POST.get("keep_token"), key=resume_key)
    if author is None:
        messages.warning(
            request,
            _(
                "You were logged out, and this report could not be kept. Log in and send it again; "
                "drafts saved while you typed are in “My reports”."
            ),
        )
        return redirect_to_login(reverse("incidents:report"))
    sent = request.FILES.getlist("evidence")
    accepted = uploads_check(sent)[0]
    data = drafts.draft_data_from_post(request.POST)
    refused = [file.name for file in sent if not any(upload.file is file for upload in accepted)]
    if refused:
        data[drafts.DROPPED_FILES_KEY] = refused
    try:
        kept = drafts.report_keep(
            author=author, data=data, uploads=accepted, resume_key=resume_key, address=client_ip(request)
        )
    except drafts.KeptReportRefused:
        messages.warning(
            request, _("You were logged out, and this report could not be kept this time. Log in and send it again.")
        )
        return redirect_to_login(reverse("incidents:report"))
    token = signing.dumps(str(kept.key), salt=KEPT_SALT)
    # Without a word the login page looks as if the report was lost.
    messages.warning(request, _("You were logged out. Your report is kept: log in to check it and send it."))
    return redirect_to_login(reverse("incidents:report_restore", args=[token]))


@sensitive_view
@require_safe
@role_required("incidents.report_incident")
def report_restore(request: HttpRequest, token: str) -> HttpResponse:
    """After the login: hand the kept report to its author (and nobody else) and show it, ready to send."""
    try:
        key = _key_from(signing.loads(token, salt=KEPT_SALT, max_age=drafts.KEPT_MAX_AGE))
    except signing.BadSignature as exc:
        raise Http404 from exc
    kept = ReportDraft.objects.filter(key=key, owner__isnull=True).first()
    if kept is None:
        # Already claimed (the page was reloaded): back to the user's own drafts.
        return redirect("incidents:my_reports")
    if kept.kept_for_id != request.user.pk:
        # Someone else logged in on the browser the report was typed on: nothing of it is theirs to see.
        raise Http404
    try:
        draft = drafts.kept_report_claim(kept=kept, user=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc
    if draft.submitted_incident_id:
        return redirect("incidents:report_sent", pk=draft.submitted_incident_id)
    messages.warning(request, _("You had been logged out, but your report was kept. Check it and press “Send”."))
    if dropped := draft.data.get(drafts.DROPPED_FILES_KEY) or []:
        messages.warning(request, _("Please attach these files again: %(names)s.") % {"names": ", ".join(dropped)})
    return redirect(f"{reverse('incidents:report')}?draft={draft.key}")


@sensitive_view
@require_POST
def draft_save(request: HttpRequest) -> JsonResponse:
    """Autosave from the form's script: the typed fields (not files) under the form's draft key."""
    if not request.user.is_authenticated:
        return JsonResponse(
            {
                "saved": False,
                "reason": "logged_out",
                "message": _("You are logged out. Sending the form keeps your report."),
            },
            status=401,
        )
    if not request.user.has_perm("incidents.report_incident"):  # the form's gate, answered in JSON for the script
        return JsonResponse({"saved": False, "reason": "forbidden"}, status=403)
    key = _key_from(request.POST.get("draft_key"))
    if key is None:
        return JsonResponse({"saved": False, "reason": "bad_key"}, status=400)
    if access.incidents_for_reporter(request.user).filter(idempotency_key=key).exists():
        return JsonResponse({"saved": False, "reason": "submitted"})
    if _form_of_another_user(request):
        return JsonResponse(
            {
                "saved": False,
                "reason": "another_user",
                "message": _("This form was opened by another user: it is not saved under your name."),
            },
            status=409,
        )
    try:
        draft = drafts.draft_save(owner=request.user, key=key, data=drafts.draft_data_from_post(request.POST))
    except PermissionDenied:
        return JsonResponse({"saved": False, "reason": "not_found"}, status=404)
    saved_at = formats.time_format(timezone.localtime(draft.updated_at), "H:i")
    return JsonResponse(
        {"saved": True, "key": str(draft.key), "message": _("Draft saved at %(time)s.") % {"time": saved_at}}
    )


@sensitive_view
@require_POST
@login_required
def draft_discard(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    draft = get_object_or_404(ReportDraft, key=key, owner=request.user, submitted_incident__isnull=True)
    drafts.draft_discard(draft=draft)
    messages.success(request, _("Draft deleted."))
    return redirect("incidents:my_reports")


@sensitive_view
@require_safe
@login_required
def report_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation: reference number, legal tag, who got it, what happens next."""
    incident = get_object_or_404(
        access.incidents_for_reporter(request.user).select_related(
            "police_post", "police_post__facility", "police_department", "facility"
        ),
        pk=pk,
    )
    return render(
        request,
        "incidents/report_sent.html",
        {
            "incident": incident,
            **selectors.legal_context(incident),
        },
    )


@sensitive_view
@require_safe
@role_required("incidents.report_incident")
def my_reports(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.reports_of_reporter(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    page = selectors.with_parts_shown(page)
    return render(
        request,
        "incidents/my_reports.html",
        {
            "page": page,
            "drafts": selectors.open_drafts_of(request.user),
        },
    )


@sensitive_view
@require_safe
@role_required("incidents.view_facility_incidents")
def facility_reports(request: HttpRequest) -> HttpResponse:
    facilities = facilities_of(request.user).filter(pk__in=access.facility_ids_led_by(request.user))
    # A filter that is not one of the choices on the page (a typo, `²`, a NUL) is left out: the whole list shows.
    facility_id = request.GET.get("facility")
    if facility_id not in {str(facility.pk) for facility in facilities}:
        facility_id = None
    status = request.GET.get("status")
    if status not in Status.values:
        status = None
    reports = selectors.reports_of_facility_lead(
        request.user, facility_id=int(facility_id) if facility_id else None, status=status
    )
    page = selectors.with_parts_shown(Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page")))
    return render(
        request,
        "incidents/facility_reports.html",
        {
            "page": page,
            "attention": selectors.needs_attention_of_facility_lead(request.user),
            "facilities": facilities,
            "statuses": Status.choices,
            "chosen_facility": facility_id,
            "chosen_status": status,
            "filter_query": urlencode({k: v for k, v in (("facility", facility_id), ("status", status)) if v})
            + ("&" if facility_id or status else ""),
        },
    )


def _detail(
    request: HttpRequest,
    pk: int,
    *,
    incident=None,
    info_form=None,
    answer_forms=None,
    withdraw_form=None,
    status=200,
) -> HttpResponse:
    incident = incident or selectors.report_for_detail(request.user, pk)
    is_reporter = incident.reporter_id == request.user.pk
    questions = selectors.open_questions_of(incident) if is_reporter else []
    answer_forms = answer_forms or {}
    return render(
        request,
        "incidents/report_detail.html",
        {
            "incident": incident,
            **selectors.legal_context(incident),
            "timeline": selectors.report_timeline(incident),
            "is_reporter": is_reporter,
            "claim_status": selectors.own_claim_status(incident, request.user),
            "show_reporter": access.can_see_reporter_identity(request.user, incident),
            "questions": [
                (q, answer_forms.get(q.pk) or MessageForm(prefix=f"q{q.pk}", with_files=False)) for q in questions
            ],
            "info_form": info_form or MessageForm(prefix="info"),
            "can_withdraw": is_reporter and can_withdraw(incident.status),
            "withdraw_form": withdraw_form or WithdrawForm(),
        },
        status=status,
    )


@sensitive_view
@require_safe
@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report as its reporter (or the facility lead) sees it, with the police post's messages."""
    incident = selectors.report_for_detail(request.user, pk)
    reads.report_view(incident=incident, actor=request.user)
    return _detail(request, pk, incident=incident)


@sensitive_view
@require_POST
@login_required
def report_add_info(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(access.incidents_for_reporter(request.user), pk=pk)
    form = MessageForm(request.POST, request.FILES, prefix="info")
    if form.is_valid():
        accepted, file_errors = uploads_check(form.cleaned_data.get("evidence") or [])
        # Beyond the count limit the first files are sent and the others named, as on the report form.
        accepted, left_out = uploads_within_limit(already=incident.evidence.count(), uploads=accepted)
        if not file_errors:
            try:
                reporting.report_info_add(
                    incident=incident, author=request.user, body=form.cleaned_data["body"], uploads=accepted
                )
            except ValidationError as exc:  # files added meanwhile (another tab) filled the report
                file_errors.append(exc)
        if not file_errors:
            messages.success(request, _("Sent to the police."))
            if left_out is not None:
                messages.warning(request, " ".join(left_out.messages))
            return redirect("incidents:report_detail", pk=incident.pk)
        form.add_error("evidence", file_errors)
    return _detail(request, pk, info_form=form)


@sensitive_view
@require_POST
@login_required
def report_answer(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    incident = get_object_or_404(access.incidents_for_reporter(request.user), pk=pk)
    question = get_object_or_404(CaseMessage, pk=question_pk, incident=incident, kind=CaseMessage.Kind.QUESTION)
    form = MessageForm(request.POST, prefix=f"q{question.pk}", with_files=False)
    if form.is_valid():
        try:
            reporting.question_answer(question=question, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            if exc.code != "answered":
                form.add_error("body", exc)
                return _detail(request, pk, answer_forms={question.pk: form})
            # A second press of "Send": the first answer stands.
            messages.info(request, exc.messages[0])
        else:
            messages.success(request, _("Your answer was sent to the police."))
        return redirect("incidents:report_detail", pk=incident.pk)
    return _detail(request, pk, answer_forms={question.pk: form})


@sensitive_view
@require_POST
@login_required
def report_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The reporter withdraws her report (before its ERDR registration), with a reason."""
    incident = get_object_or_404(access.incidents_for_reporter(request.user), pk=pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            reporting.incident_withdraw(incident=incident, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error("reason", exc)
        else:
            messages.success(request, _("The report is withdrawn. The police post sees it and your reason."))
            return redirect("incidents:report_detail", pk=incident.pk)
    return _detail(request, pk, withdraw_form=form)


@sensitive_view
@require_safe
@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse | HttpResponse:
    """An evidence file, for those who may see its case only; always a download, never rendered inline."""
    user = request.user
    visible = (
        access.incidents_for_reporter(user)
        | access.incidents_for_facility_lead(user)
        | access.incidents_for_officer(user)
    )
    evidence = get_object_or_404(Evidence.objects.filter(incident__in=visible.values("pk")), pk=pk)
    return files.evidence_response(evidence, user=user)
