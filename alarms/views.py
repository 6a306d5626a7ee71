"""Alarm pages: the SOS button's endpoint, the alarm's status page, the officer's answers, the duty roster."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.permissions import role_required
from alarms import access, selectors, services
from alarms.forms import FalseAlarmForm, PlaceForm
from alarms.models import Alarm
from facilities.selectors import member_facility


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
@role_required("incidents.report_incident")
def sos(request: HttpRequest) -> HttpResponse:
    """The SOS button: raise an alarm from the user's facility and department, asking nothing."""
    facility = member_facility(request.user)
    if facility is None:
        error = _("Your account is not linked to a facility: call 102.")
        if _wants_json(request):
            return JsonResponse({"error": error}, status=400)
        messages.error(request, error)
        return redirect("home")
    key = (request.POST.get("idempotency_key") or "").strip() or str(uuid.uuid4())
    try:
        alarm = services.alarm_raise(
            facility=facility,
            place=(request.POST.get("place") or "")[: services.PLACE_MAX],
            raised_by=request.user,
            source=Alarm.Source.SOS,
            idempotency_key=key[:100],
        )
    except services.AlarmRefused as exc:
        if _wants_json(request):
            return JsonResponse({"error": exc.message}, status=400)
        messages.error(request, exc.message)
        return redirect("home")
    if alarm.raised_by_id != request.user.pk:
        raise Http404  # a key that another user's alarm already has
    status_url = reverse("alarms:detail", args=[alarm.pk])
    if _wants_json(request):
        return JsonResponse({"id": alarm.pk, "status_url": status_url}, status=201)
    return redirect(status_url)


@require_safe
@login_required
def detail(request: HttpRequest, alarm_id: int) -> HttpResponse:
    """The alarm: its status for the nurse (live), its card, deliveries and history for the post."""
    alarm = access.alarm_for(request.user, alarm_id)
    if _wants_json(request):
        return JsonResponse(selectors.alarm_state(alarm))
    return _render_detail(request, alarm)


def _answerable(request: HttpRequest, alarm_id: int) -> Alarm:
    alarm = access.alarm_for(request.user, alarm_id)
    if not access.can_answer(request.user, alarm):
        raise PermissionDenied
    return alarm


def _after_answer(request: HttpRequest, alarm: Alarm) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(selectors.alarm_state(alarm))
    return redirect("alarms:detail", alarm_id=alarm.pk)


@require_POST
@login_required
def acknowledge(request: HttpRequest, alarm_id: int) -> HttpResponse:
    alarm = services.alarm_acknowledge(alarm=_answerable(request, alarm_id), officer=request.user)
    return _after_answer(request, alarm)


@require_POST
@login_required
def arrived(request: HttpRequest, alarm_id: int) -> HttpResponse:
    alarm = services.alarm_arrive(alarm=_answerable(request, alarm_id), officer=request.user)
    return _after_answer(request, alarm)


@require_POST
@login_required
def close(request: HttpRequest, alarm_id: int) -> HttpResponse:
    alarm = services.alarm_close(alarm=_answerable(request, alarm_id), actor=request.user)
    return _after_answer(request, alarm)


@require_POST
@login_required
def false_alarm(request: HttpRequest, alarm_id: int) -> HttpResponse:
    alarm = access.alarm_for(request.user, alarm_id)
    if not access.can_close_as_false(request.user, alarm):
        raise PermissionDenied
    form = FalseAlarmForm(request.POST)
    if form.is_valid():
        try:
            services.alarm_close_false(alarm=alarm, actor=request.user, reason=form.cleaned_data["reason"])
        except services.AlarmRefused as exc:
            form.add_error("reason", exc.message)
        else:
            return redirect("alarms:detail", alarm_id=alarm.pk)
    return _render_detail(request, alarm, false_form=form, status=400)


@require_POST
@login_required
def place(request: HttpRequest, alarm_id: int) -> HttpResponse:
    """'Where exactly', added by the reporter after pressing SOS."""
    alarm = access.alarm_for(request.user, alarm_id)
    if alarm.raised_by_id != request.user.pk and not access.can_answer(request.user, alarm):
        raise PermissionDenied
    form = PlaceForm(request.POST)
    if form.is_valid():
        try:
            services.alarm_place_add(alarm=alarm, actor=request.user, place=form.cleaned_data["place"])
        except services.AlarmRefused as exc:
            form.add_error("place", exc.message)
        else:
            return redirect("alarms:detail", alarm_id=alarm.pk)
    return _render_detail(request, alarm, place_form=form, status=400)


def _render_detail(
    request: HttpRequest,
    alarm: Alarm,
    *,
    place_form: PlaceForm | None = None,
    false_form: FalseAlarmForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The alarm's page; a form given here is shown with its errors (status 400)."""
    answers = access.can_answer(request.user, alarm)
    return render(
        request,
        "alarms/detail.html",
        {
            "alarm": alarm,
            "state": selectors.alarm_state(alarm),
            "answers": answers,
            "is_reporter": alarm.raised_by_id == request.user.pk,
            "can_close_as_false": alarm.is_open and access.can_close_as_false(request.user, alarm),
            "place_form": place_form or PlaceForm(initial={"place": alarm.place}),
            "false_form": false_form or FalseAlarmForm(),
            "deliveries": selectors.deliveries_of(alarm) if answers else [],
            "history": selectors.history_of(alarm),
        },
        status=status,
    )


@require_safe
@role_required("incidents.work_case")
def inbox(request: HttpRequest) -> HttpResponse:
    """The officer's alarms: open ones first (new ones appear live), then the last closed ones."""
    open_alarms, recent = selectors.inbox_alarms(request.user)
    return render(
        request,
        "alarms/inbox.html",
        {"open_alarms": open_alarms, "recent": recent, "rosters": access.roster_posts(request.user)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required("incidents.work_case")
def roster(request: HttpRequest, code: str) -> HttpResponse:
    """The post's duty roster, kept by its senior officer: who of the post is on duty now."""
    post = access.roster_post(request.user, code)
    if request.method == "POST":
        officer = selectors.post_officer(post, request.POST.get("officer"))
        if officer is None:
            messages.error(request, _("This officer does not belong to the post."))
        else:
            services.duty_set(
                post=post, officer=officer, on_duty=request.POST.get("on_duty") == "1", actor=request.user
            )
            messages.success(request, _("The duty roster is saved."))
        return redirect("alarms:roster", code=post.code)
    return render(request, "alarms/roster.html", {"post": post, "officers": selectors.roster_of(post)})
