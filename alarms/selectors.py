"""What a page or a live message shows of an alarm: its state for the reporter, its card for an officer."""

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import PostAssignment, User
from alarms import access
from alarms.models import Alarm, AlarmDelivery, AlarmEvent, DutyEntry
from common.numbers import parse_id
from facilities.models import PolicePost


def _officer_name(alarm: Alarm) -> str:
    officer = alarm.acknowledged_by
    return (officer.get_full_name() or officer.username) if officer is not None else ""


def _hh_mm(moment) -> str:  # noqa: ANN001 - an aware datetime
    return formats.time_format(timezone.localtime(moment), "H:i") if moment else ""


def status_text(alarm: Alarm) -> str:
    """The one line the nurse reads: sent, officer on the way (name, time), arrived, or closed."""
    if alarm.status == Alarm.Status.RAISED:
        return _("Alarm sent. The police post is being called.")
    if alarm.status == Alarm.Status.ACKNOWLEDGED:
        return _("Officer on the way: %(name)s, acknowledged at %(time)s.") % {
            "name": _officer_name(alarm),
            "time": _hh_mm(alarm.acknowledged_at),
        }
    if alarm.status == Alarm.Status.ARRIVED:
        return _("Officer %(name)s arrived at %(time)s.") % {
            "name": _officer_name(alarm),
            "time": _hh_mm(alarm.arrived_at),
        }
    if alarm.status == Alarm.Status.FALSE_ALARM:
        return _("Closed as a false alarm.")
    return _("The alarm is closed.")


def alarm_state(alarm: Alarm) -> dict[str, Any]:
    """The alarm's state as the status page and its live updates show it."""
    return {
        "id": alarm.pk,
        "status": alarm.status,
        "status_text": status_text(alarm),
        "acknowledged_by": _officer_name(alarm),
        "acknowledged_at": timezone.localtime(alarm.acknowledged_at).isoformat() if alarm.acknowledged_at else None,
        "arrived_at": timezone.localtime(alarm.arrived_at).isoformat() if alarm.arrived_at else None,
        "place": alarm.place,
        "open": alarm.is_open,
        "status_url": reverse("alarms:detail", args=[alarm.pk]),
    }


def live_payload(user: User, alarm_id: int) -> dict[str, Any] | None:
    """The message a user's open page gets about an alarm; None when the user may not see it."""
    alarm = (
        access.alarms_for(user)
        .select_related("facility", "post", "department", "acknowledged_by")
        .filter(pk=alarm_id)
        .first()
    )
    if alarm is None:
        return None
    payload = alarm_state(alarm)
    answers = access.can_answer(user, alarm)
    payload["card"] = render_to_string("alarms/_card.html", {"alarm": alarm, "answers": answers})
    # The sound is for someone who is to answer an alarm still waiting for an answer, not for its reporter.
    payload["ring"] = alarm.status == Alarm.Status.RAISED and alarm.raised_by_id != user.pk
    return payload


def officer_payloads(alarm: Alarm) -> dict[str, dict[str, Any]]:
    """The message every officer of the alarm's post gets, rendered once per language.

    Sent with the notice to the post's group, so that a post's open pages (hundreds, at a big hospital) get the
    alarm without a query each: a page joins its post's group only as an officer of that post (consumers.py).
    """
    payloads = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            payload = alarm_state(alarm)
            payload["card"] = render_to_string("alarms/_card.html", {"alarm": alarm, "answers": True})
            payload["ring"] = alarm.status == Alarm.Status.RAISED
            payloads[language] = payload
    return payloads


def open_alarms_for_officer(user: User) -> QuerySet[Alarm]:
    return (
        access.alarms_for(user)
        .exclude(raised_by=user)
        .filter(status__in=Alarm.OPEN_STATUSES)
        .select_related("facility", "post", "department", "acknowledged_by")
        .order_by("-raised_at")
    )


def waiting_alarms(user: User) -> QuerySet[Alarm]:
    """Alarms the user may see that nobody has acknowledged yet (not their own)."""
    return access.alarms_for(user).exclude(raised_by=user).filter(status=Alarm.Status.RAISED).order_by("-raised_at")


def inbox_alarms(user: User) -> tuple[QuerySet[Alarm], QuerySet[Alarm]]:
    """The officer's alarm inbox: the open alarms (newest first), then the last 20 closed ones."""
    alarms = access.alarms_for(user).select_related("facility", "post", "department", "acknowledged_by")
    return (
        alarms.filter(status__in=Alarm.OPEN_STATUSES).order_by("-raised_at"),
        alarms.exclude(status__in=Alarm.OPEN_STATUSES).order_by("-raised_at")[:20],
    )


def roster_of(post: PolicePost) -> list[tuple[User, bool]]:
    """The post's active officers by name, each with whether they are on duty now."""
    assignments = PostAssignment.objects.filter(post=post, user__is_active=True).select_related("user")
    on_duty = set(DutyEntry.objects.filter(post=post, on_duty=True).values_list("officer_id", flat=True))
    return [(a.user, a.user_id in on_duty) for a in assignments.order_by("user__last_name", "user__first_name")]


def post_officer(post: PolicePost, officer_id: str | None) -> User | None:
    """The active officer of the post named by a submitted id (the roster lists no one else); None for an id that is
    no number, not of the post, or of a deactivated account."""
    pk = parse_id(officer_id)
    if pk is None:
        return None
    return User.objects.filter(pk=pk, post_assignments__post=post, is_active=True).first()


def deliveries_of(alarm: Alarm) -> QuerySet[AlarmDelivery]:
    return alarm.deliveries.order_by("step", "channel", "pk")


def history_of(alarm: Alarm) -> QuerySet[AlarmEvent]:
    return alarm.events.select_related("actor").order_by("created_at", "pk")


@dataclass(frozen=True)
class ResponseRow:
    """One post's alarms of one month: how many, and the median seconds to acknowledge and to arrive."""

    post: str
    month: dt.date
    alarms: int
    shown: bool  # False below the statistics threshold: the count reads "<T" and the times are not shown
    acknowledge_median_s: float | None
    arrival_median_s: float | None


def response_times(*, months: int = 12, now: dt.datetime | None = None) -> list[ResponseRow]:
    """Time to acknowledge and to arrival per post and month (real alarms: no drills, no false alarms)."""
    now = now or timezone.now()
    since = (timezone.localtime(now).date().replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    rows = (
        Alarm.objects.filter(drill=False, post__isnull=False, raised_at__date__gte=since)
        .exclude(status=Alarm.Status.FALSE_ALARM)
        .values_list("post__code", "raised_at", "acknowledged_at", "arrived_at")
    )
    groups: dict[tuple[str, dt.date], list[tuple[dt.datetime, dt.datetime | None, dt.datetime | None]]] = {}
    for code, raised, acknowledged, arrived in rows:
        month = timezone.localtime(raised).date().replace(day=1)
        groups.setdefault((code, month), []).append((raised, acknowledged, arrived))
    threshold = settings.QORGAU_STATS_MIN_CELL

    def median(values: list[float]) -> float | None:
        return round(statistics.median(values), 1) if values else None

    result = []
    for (code, month), alarms in sorted(groups.items(), key=lambda item: (item[0][1], item[0][0]), reverse=True):
        shown = len(alarms) >= threshold
        acknowledged = [(ack - raised).total_seconds() for raised, ack, _arr in alarms if ack]
        arrived = [(arr - raised).total_seconds() for raised, _ack, arr in alarms if arr]
        result.append(
            ResponseRow(
                post=code,
                month=month,
                alarms=len(alarms),
                shown=shown,
                acknowledge_median_s=median(acknowledged) if shown else None,
                arrival_median_s=median(arrived) if shown else None,
            )
        )
    return result
