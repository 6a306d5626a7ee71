"""Alarms: raising one, the notify service that reaches people through every channel, the ladder, and answering.

Raising an alarm stores it, writes its history and opens the reporter's incident draft in one transaction; after
the commit, the live channel is told at once and one delivery task per (channel, recipient) is queued. When the
broker cannot take them, the same sends are tried from the request with short timeouts; each delivery row is
claimed before its send (`delivery_send`), so the sweep that publishes them later never sends one twice.

The ladder: step 1 the post's officers on duty; after QORGAU_ALARM_STEP2_SECONDS nobody having acknowledged, all
officers of the post and the facility lead; after QORGAU_ALARM_STEP3_SECONDS, the district police department's duty
unit. `Alarm.next_step_at` says when the next step is due; a scheduled task and the sweep both take it through
`alarm_escalate`, which claims the step by an UPDATE so that running twice does nothing. Acknowledging clears it.
"""

import datetime as dt
import hashlib
import logging
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import FacilityMembership, PoliceDepartmentAssignment, PostAssignment, User
from alarms import events, live, selectors
from alarms.channels import base as channels
from alarms.models import Alarm, AlarmDelivery, Device, DutyEntry
from facilities.models import Department, Facility, PoliceDepartment, PolicePost
from incidents import events as case_events
from incidents.models import PLACE_DEPARTMENT_KIND, ReportDraft

logger = logging.getLogger(__name__)

Step = Alarm.Step
LIVE = "live"  # the channel name of the live (browser) deliveries, beside the outside channels' names


class AlarmRefused(Exception):
    """An alarm action that cannot be done; `message` is translated and shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Raising -----------------------------------------------------------------------------------------------------

PLACE_MAX = 255  # Alarm.place's max_length


def place_normalise(text: str) -> str:
    """'Where exactly' as it is stored: one line, single spaces (a NUL byte would fail on PostgreSQL)."""
    return " ".join(text.replace("\x00", "").split())


# A device's or a client's key that is not a UUID is mapped to one by this namespace, so any stable key works.
KEY_NAMESPACE = uuid.UUID("6f1d1a1e-9a55-4c1b-8f8e-3c0a5b7d0a16")


def alarm_key(value: str | uuid.UUID) -> uuid.UUID:
    """The alarm's key: `value` itself when it is a UUID, else a UUID derived from it (empty: a new one)."""
    if isinstance(value, uuid.UUID):
        return value
    text = str(value).strip()
    if not text:
        return uuid.uuid4()
    try:
        return uuid.UUID(text)
    except ValueError:
        return uuid.uuid5(KEY_NAMESPACE, text)


def alarm_replayed(idempotency_key: str | uuid.UUID) -> Alarm | None:
    """The alarm this key already raised, if any (a device or a page sending the same press again)."""
    return Alarm.objects.filter(idempotency_key=alarm_key(idempotency_key)).first()


def alarm_raise(
    *,
    facility: Facility,
    post: PolicePost | None = None,
    place: str = "",
    device_id: str = "",
    raised_by: User | None = None,
    source: str,
    idempotency_key: str | uuid.UUID,
    drill: bool = False,
    raised_by_key: events.KeyActor | None = None,
    replay_checked: bool = False,
) -> Alarm:
    """Store an alarm and start reaching people; the same key again returns the first alarm and sends nothing.
    `raised_by_key` is the device's API key that raised it, named in the alarm's history. `replay_checked`: the
    caller has just asked `alarm_replayed` and found none (a race between two presses is still caught below)."""
    key = alarm_key(idempotency_key)
    if not replay_checked:
        existing = alarm_replayed(key)
        if existing is not None:
            return existing
    if source not in Alarm.Source.values:
        raise AlarmRefused(_("Unknown alarm source."))
    device = None
    if device_id:
        device = Device.objects.select_related("department").filter(device_id=device_id, is_active=True).first()
        if device is None:
            raise AlarmRefused(_("This device is not registered."))
        facility = device.facility
        post = post or device.post
    department = _department(device=device, user=raised_by, facility=facility)
    post = post or facility.active_post()
    place = place_normalise(place or (device.room if device else ""))[:PLACE_MAX]
    alarm = Alarm(
        idempotency_key=key,
        facility=facility,
        post=post,
        department=department,
        place=place,
        device=device,
        raised_by=raised_by,
        source=source,
        drill=drill or source == Alarm.Source.DRILL,
        raised_at=timezone.now(),
        # The first step is taken with the alarm (its deliveries below), so the row is written with it.
        step=Step.ON_DUTY,
    )
    alarm.next_step_at = _next_step_at(alarm=alarm, step=Step.ON_DUTY)
    try:
        with transaction.atomic():
            if raised_by is not None and not alarm.drill:
                alarm.draft = _open_draft(alarm=alarm, reporter=raised_by)
            alarm.save(force_insert=True)
            deliveries = _deliveries_create(alarm=alarm, step=Step.ON_DUTY, known=set())
            events.alarm_raised(alarm=alarm, actor=raised_by, key=raised_by_key, deliveries=len(deliveries))
            transaction.on_commit(lambda: alarm_dispatch(alarm=alarm, deliveries=deliveries), robust=True)
    except IntegrityError:
        # The same key raised at the same moment by another request: that one is the alarm.
        return Alarm.objects.get(idempotency_key=key)
    return alarm


def _department(*, device: Device | None, user: User | None, facility: Facility) -> Department | None:
    if device is not None and device.department_id:
        return device.department
    if user is None:
        return None
    membership = FacilityMembership.objects.filter(user=user, facility=facility).select_related("department").first()
    return membership.department if membership else None


def _open_draft(*, alarm: Alarm, reporter: User) -> ReportDraft:
    """The reporter's incident draft with the time and the place of the alarm filled in, to complete later."""
    data: dict[str, list[str]] = {
        "occurred_at": [timezone.localtime(alarm.raised_at).strftime("%Y-%m-%dT%H:%M")],
        "facility": [str(alarm.facility_id)],
    }
    if alarm.department is not None:
        data["department"] = [str(alarm.department_id)]
        places = [place for place, kind in PLACE_DEPARTMENT_KIND.items() if kind == alarm.department.kind]
        if len(places) == 1:
            data["place"] = [str(places[0])]
    return ReportDraft.objects.create(owner=reporter, data=data)


# --- Who is reached at each step ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipients:
    users: list[User]
    # Addresses that belong to no user (a duty unit's phone or mailbox), by channel name.
    addresses: dict[str, list[str]]
    # Live groups: the post's pages or single users' pages.
    groups: list[str]


def _post_officers(post: PolicePost) -> list[User]:
    return list(
        User.objects.filter(is_active=True, post_assignments__post=post).order_by("last_name", "first_name", "pk")
    )


def _first_step_officers(post: PolicePost, *, drill: bool) -> list[User]:
    """The post's officers on duty, read with the rest of the post's officers in one query: nobody marked on duty
    means the whole post, rather than nobody for the first minute, and a drill tests every officer's channels."""
    on_duty = DutyEntry.objects.filter(post=post, officer=OuterRef("pk"), on_duty=True)
    officers: list[User] = list(
        User.objects.filter(is_active=True, post_assignments__post=post)
        .annotate(on_duty=Exists(on_duty))
        .order_by("last_name", "first_name", "pk")
    )
    if drill:
        return officers
    return [officer for officer in officers if officer.on_duty] or officers  # type: ignore[attr-defined]


def step_recipients(*, alarm: Alarm, step: int) -> Recipients:
    """Who the ladder's `step` reaches for this alarm (the steps below it were reached before)."""
    post = alarm.post
    if step == Step.ON_DUTY:
        if post is None:
            return Recipients(users=[], addresses={}, groups=[])
        users = _first_step_officers(post, drill=alarm.drill)
        # The post's Telegram group chat (facilities.PolicePost.telegram_chat_id): every officer in it sees it.
        addresses = {"telegram": [post.telegram_chat_id]} if post.telegram_chat_id else {}
        return Recipients(users=users, addresses=addresses, groups=[live.post_group(post.pk)])
    if step == Step.POST_AND_LEAD:
        users = _post_officers(post) if post is not None else []
        leads = list(
            User.objects.filter(
                is_active=True, facility_memberships__facility=alarm.facility, facility_memberships__is_lead=True
            ).order_by("pk")
        )
        groups = ([live.post_group(post.pk)] if post is not None else []) + [live.user_group(u.pk) for u in leads]
        return Recipients(users=_unique(users + leads), addresses={}, groups=groups)
    department: PoliceDepartment | None
    if post is not None:
        department = post.police_department
    else:
        department = PoliceDepartment.objects.filter(district_id=alarm.facility.district_id).first()
    if department is None:
        return Recipients(users=[], addresses={}, groups=[])
    officers = list(
        User.objects.filter(
            is_active=True,
            pk__in=PoliceDepartmentAssignment.objects.filter(police_department=department).values("user"),
        ).order_by("pk")
    )
    addresses = {
        "sms": [department.phone] if department.phone else [],
        "email": [department.email] if department.email else [],
    }
    return Recipients(users=officers, addresses=addresses, groups=[live.user_group(u.pk) for u in officers])


def _unique(users: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        seen.setdefault(user.pk, user)
    return list(seen.values())


def delivery_key(*, alarm: Alarm, channel: str, recipient: str) -> str:
    return hashlib.sha256(f"{alarm.idempotency_key}:{channel}:{recipient}".encode()).hexdigest()


def _deliveries_create(*, alarm: Alarm, step: int, known: set[tuple[str, str]]) -> list[AlarmDelivery]:
    """The deliveries of `step`: one per channel and recipient not in `known` (those an earlier step has), in one
    INSERT. The live ones are claimed for this process, which sends them right after the commit (alarm_dispatch);
    if it dies first, the claim lapses and the sweep sends them."""
    recipients = step_recipients(alarm=alarm, step=step)
    wanted: list[tuple[str, str, User | None]] = []
    for group in recipients.groups:
        wanted.append((LIVE, group, None))
    for channel in channels.configured_channels():
        for user in recipients.users:
            wanted.extend((channel.name, recipient, user) for recipient in channel.recipients_for_user(user))
        wanted.extend((channel.name, address, None) for address in recipients.addresses.get(channel.name, []))
    live_claim = timezone.now() + dt.timedelta(
        seconds=settings.QORGAU_ALARM_LIVE_TIMEOUT_SECONDS + settings.QORGAU_ALARM_CLAIM_SLACK_SECONDS
    )
    rows: list[AlarmDelivery] = []
    for channel_name, address, member in wanted:
        recipient = address[:512]
        if (channel_name, recipient) in known:
            continue
        known.add((channel_name, recipient))
        delivery = AlarmDelivery(
            alarm=alarm,
            channel=channel_name,
            recipient=recipient,
            user=member,
            step=step,
            idempotency_key=delivery_key(alarm=alarm, channel=channel_name, recipient=recipient),
        )
        if channel_name == LIVE:
            delivery.status, delivery.attempts, delivery.claimed_until = AlarmDelivery.Status.SENDING, 1, live_claim
        rows.append(delivery)
    return AlarmDelivery.objects.bulk_create(rows)


def _step_take(*, alarm: Alarm, step: int) -> list[AlarmDelivery]:
    """Record that `step` is reached: its deliveries (one per new channel and recipient) and when the next is due."""
    known = set(alarm.deliveries.values_list("channel", "recipient"))
    created = _deliveries_create(alarm=alarm, step=step, known=known)
    alarm.step = step
    alarm.next_step_at = _next_step_at(alarm=alarm, step=step)
    alarm.save(update_fields=["step", "next_step_at"])
    events.alarm_escalated(alarm=alarm, step=step, deliveries=len(created))
    return created


def _next_step_at(*, alarm: Alarm, step: int) -> dt.datetime | None:
    if step >= Step.DISTRICT or alarm.drill:  # a drill never climbs to the district's duty unit
        return None
    delay = settings.QORGAU_ALARM_STEP2_SECONDS if step == Step.ON_DUTY else settings.QORGAU_ALARM_STEP3_SECONDS
    return alarm.raised_at + dt.timedelta(seconds=delay)


def alarm_escalate(*, alarm_id: int, step: int, now: dt.datetime | None = None) -> list[int]:
    """Take the ladder's `step` if it is due and nobody has acknowledged; the ids of the deliveries it queued.

    Safe to run twice (a scheduled task and the sweep, or a redelivered task): the step is claimed by an UPDATE
    from the step below it, so only one run creates its deliveries.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Alarm.objects.filter(
            pk=alarm_id, status=Alarm.Status.RAISED, step=step - 1, next_step_at__lte=now
        ).update(step=step)
        if not claimed:
            return []
        alarm = Alarm.objects.select_related("post__police_department", "facility__district", *LIVE_RELATED).get(
            pk=alarm_id
        )
        deliveries = _step_take(alarm=alarm, step=step)
        transaction.on_commit(lambda: alarm_dispatch(alarm=alarm, deliveries=deliveries), robust=True)
    return [delivery.pk for delivery in deliveries]


# --- Sending -----------------------------------------------------------------------------------------------------


def alarm_message(alarm: Alarm) -> channels.OutgoingMessage:
    """What the outside channels carry: facility, place, time and a link; never a name."""
    with translation.override(settings.LANGUAGE_CODE):
        parts = [str(alarm.facility.name)]
        if alarm.where:
            parts.append(alarm.where)
        parts.append(timezone.localtime(alarm.raised_at).strftime("%H:%M"))
        prefix = _("DRILL, no action needed") + ". " if alarm.drill else ""
        text = prefix + _("Alarm: an attack on medical staff") + ". " + ", ".join(parts)
    return channels.OutgoingMessage(
        text=text,
        link=settings.SITE_URL + reverse("alarms:detail", args=[alarm.pk]),
        drill=alarm.drill,
        idempotency_key=str(alarm.idempotency_key),
    )


def _channel(name: str) -> channels.Channel | None:
    return next((channel for channel in channels.configured_channels() if channel.name == name), None)


def delivery_send(*, delivery_id: int, timeout: float) -> AlarmDelivery | None:
    """Send one delivery if it is still to be sent, and record the result; None when another run holds or did it.

    The row is claimed by an UPDATE (pending, failed with tries left, or a send whose holder died) before the
    send, so a task redelivered by the broker, the sweep and a send from the request never send twice.
    """
    now = timezone.now()
    claimable = Q(status=AlarmDelivery.Status.PENDING) | Q(
        status__in=[AlarmDelivery.Status.SENDING, AlarmDelivery.Status.FAILED],
        claimed_until__lt=now,
        attempts__lt=settings.QORGAU_ALARM_DELIVERY_ATTEMPTS,
    )
    claimed = AlarmDelivery.objects.filter(claimable, pk=delivery_id).update(
        status=AlarmDelivery.Status.SENDING,
        attempts=F("attempts") + 1,
        claimed_until=now + dt.timedelta(seconds=timeout + settings.QORGAU_ALARM_CLAIM_SLACK_SECONDS),
    )
    if not claimed:
        return None
    delivery = AlarmDelivery.objects.select_related(*(f"alarm__{name}" for name in LIVE_RELATED)).get(pk=delivery_id)
    _deliver(delivery, timeout=timeout)
    return delivery


def _deliver(delivery: AlarmDelivery, *, timeout: float) -> None:
    """Send a delivery claimed by this process (its `alarm` read with LIVE_RELATED) and record the result."""
    status, provider_id, error = _send(delivery, timeout=timeout)
    with transaction.atomic():
        delivery.status = status
        delivery.provider_id = provider_id[:255]
        delivery.error = error
        if status == AlarmDelivery.Status.SENT:
            delivery.sent_at = timezone.now()
            delivery.latency_ms = int((delivery.sent_at - delivery.alarm.raised_at).total_seconds() * 1000)
        else:
            # Tried again by a retry or the sweep after this (the backoff), while tries are left.
            delivery.claimed_until = timezone.now() + dt.timedelta(
                seconds=settings.QORGAU_ALARM_RETRY_BACKOFF_SECONDS * delivery.attempts
            )
        delivery.save(update_fields=["status", "provider_id", "error", "sent_at", "latency_ms", "claimed_until"])
        events.delivery_recorded(delivery=delivery)


def _send(delivery: AlarmDelivery, *, timeout: float) -> tuple[str, str, str]:
    alarm = delivery.alarm
    if delivery.channel == LIVE:
        sent = _broadcast_changed(alarm, groups=[delivery.recipient], timeout=timeout)
        if sent:
            return AlarmDelivery.Status.SENT, "", ""
        return (
            AlarmDelivery.Status.FAILED,
            "",
            "live channel unavailable (Redis down, or no REDIS_URL across processes)",
        )
    channel = _channel(delivery.channel)
    if channel is None:
        return AlarmDelivery.Status.FAILED, "", f"channel {delivery.channel} is not configured"
    message = alarm_message(alarm)
    message = channels.OutgoingMessage(
        text=message.text, link=message.link, drill=message.drill, idempotency_key=delivery.idempotency_key
    )
    try:
        result = channel.send(recipient=delivery.recipient, message=message, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - one channel's failure is recorded; it never stops the others
        return AlarmDelivery.Status.FAILED, "", f"{type(exc).__name__}: {exc}"[:2000]
    if result.status == "sent":
        return AlarmDelivery.Status.SENT, result.provider_id, ""
    return AlarmDelivery.Status.FAILED, result.provider_id, (result.detail or "failed")[:2000]


def alarm_dispatch(*, alarm: Alarm, deliveries: list[AlarmDelivery]) -> None:
    """After the commit: the live pages first, then a task per outside delivery, else a direct send now.

    `alarm` and `deliveries` are the rows just written (the alarm with LIVE_RELATED), not read again. Live
    deliveries, claimed when written, are sent here at once (the page is the fastest way to an officer). A delivery
    whose task the broker cannot take is sent from this process, in parallel, with
    QORGAU_ALARM_DIRECT_TIMEOUT_SECONDS each.
    """
    import alarms.tasks as tasks  # noqa: PLC0415, PLR0402 - services ↔ tasks, the one accepted pair

    for delivery in deliveries:
        if delivery.channel == LIVE:
            _deliver(delivery, timeout=settings.QORGAU_ALARM_LIVE_TIMEOUT_SECONDS)
    if alarm.step > Step.ON_DUTY:
        # The nurse's own page: the alarm was sent further. Not when it is raised: a page of the alarm is opened
        # only after the request that raised it has answered, and shows by itself what this would say.
        live.broadcast(
            groups=[live.alarm_group(alarm.pk)],
            message={"type": "alarm.changed", "alarm": alarm.pk},
            timeout=settings.QORGAU_ALARM_LIVE_TIMEOUT_SECONDS,
        )
    outside = [delivery.pk for delivery in deliveries if delivery.channel != LIVE]
    if current_app.conf.task_always_eager:
        direct = outside  # no broker at all (`make run` without Redis): the same sends, in parallel, from here
    else:
        direct = [pk for pk in outside if not tasks.publish(tasks.alarm_deliver_task, pk)]
    if direct:
        _send_directly(direct)
    _schedule_next_step(alarm)


def _send_directly(delivery_ids: list[int]) -> None:
    timeout = settings.QORGAU_ALARM_DIRECT_TIMEOUT_SECONDS
    threads = min(settings.QORGAU_ALARM_DIRECT_THREADS, len(delivery_ids))
    started = time.monotonic()
    if threads > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(lambda pk: _send_in_thread(pk, timeout), delivery_ids))
    else:  # one at a time in this thread (the unit tests, whose rows other connections cannot see)
        for pk in delivery_ids:
            delivery_send(delivery_id=pk, timeout=timeout)
    logger.info(
        "alarm: %d deliveries sent from the request in %.0f ms",
        len(delivery_ids),
        (time.monotonic() - started) * 1000,
    )


def _send_in_thread(delivery_id: int, timeout: float) -> None:
    from django.db import connection  # noqa: PLC0415 - each thread has its own connection, closed here

    try:
        delivery_send(delivery_id=delivery_id, timeout=timeout)
    except Exception:  # noqa: BLE001 - a failed direct send stays for the sweep
        logger.exception("alarm: direct send of delivery %s failed", delivery_id)
    finally:
        connection.close()


def _schedule_next_step(alarm: Alarm) -> None:
    """The task that takes the next step when it is due (`alarm` as the step just taken left it: an alarm answered
    since makes that task do nothing, as it claims the step from a raised alarm only)."""
    import alarms.tasks as tasks  # noqa: PLC0415, PLR0402 - services ↔ tasks, the one accepted pair

    if alarm.next_step_at is None:
        return
    delay = max(0.0, (alarm.next_step_at - timezone.now()).total_seconds())
    # Not published (no broker, or eager tasks that would run it now): the sweep takes the step when it is due.
    tasks.publish(tasks.alarm_escalate_task, alarm.pk, alarm.step + 1, countdown=delay)


def alarm_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The backstop: take each overdue step and publish every delivery left pending (broker outage, dead worker)."""
    import alarms.tasks as tasks  # noqa: PLC0415, PLR0402 - services ↔ tasks, the one accepted pair

    now = now or timezone.now()
    escalated = 0
    for alarm_id, step in Alarm.objects.filter(
        status=Alarm.Status.RAISED, next_step_at__lte=now, step__lt=Step.DISTRICT
    ).values_list("pk", "step"):
        if alarm_escalate(alarm_id=alarm_id, step=step + 1, now=now):
            escalated += 1
    stale = now - dt.timedelta(seconds=settings.QORGAU_ALARM_SWEEP_AFTER_SECONDS)
    waiting = AlarmDelivery.objects.filter(
        Q(status=AlarmDelivery.Status.PENDING, created_at__lte=stale)
        | Q(
            status__in=[AlarmDelivery.Status.SENDING, AlarmDelivery.Status.FAILED],
            claimed_until__lt=now,
            attempts__lt=settings.QORGAU_ALARM_DELIVERY_ATTEMPTS,
        )
    ).values_list("pk", flat=True)[: settings.QORGAU_ALARM_SWEEP_BATCH]
    published = sum(1 for pk in waiting if tasks.publish(tasks.alarm_deliver_task, pk))
    return {"escalated": escalated, "published": published, "linked": alarm_reports_link()}


# --- The report the alarm's draft became -----------------------------------------------------------------------


def alarm_reports_link() -> int:
    """Link each alarm whose draft has been filed as a report to that report, in both histories; how many.

    The report form (incidents) knows nothing of alarms: the sweep finds the filed drafts here, so imports point
    down (alarms → incidents) and the case gets the alarm within one sweep period of the filing.
    """
    linked = 0
    for alarm_id in Alarm.objects.filter(incident__isnull=True, draft__submitted_incident__isnull=False).values_list(
        "pk", flat=True
    )[: settings.QORGAU_ALARM_SWEEP_BATCH]:
        with transaction.atomic():
            alarm = (
                Alarm.objects.select_for_update(of=("self",))
                .select_related("draft__submitted_incident")
                .filter(pk=alarm_id, incident__isnull=True)
                .first()
            )
            if alarm is None or alarm.draft is None or alarm.draft.submitted_incident is None:
                continue
            incident = alarm.draft.submitted_incident
            alarm.incident = incident
            alarm.save(update_fields=["incident"])
            events.report_linked(alarm=alarm, incident_id=incident.pk)
            counts = dict(
                alarm.deliveries.exclude(channel=LIVE)
                .values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            )
            case_events.alarm_linked(
                incident=incident,
                alarm_id=alarm.pk,
                raised_at=alarm.raised_at,
                acknowledged_after=alarm.seconds_after_raised(alarm.acknowledged_at),
                arrived_after=alarm.seconds_after_raised(alarm.arrived_at),
                sent=counts.get(AlarmDelivery.Status.SENT, 0),
                failed=counts.get(AlarmDelivery.Status.FAILED, 0),
            )
            linked += 1
    return linked


def _case_record(alarm: Alarm, actor: User | None) -> None:
    """An alarm already linked to its report: the case's history says what happened to the alarm."""
    if alarm.incident is not None:
        case_events.alarm_updated(incident=alarm.incident, actor=actor, alarm_id=alarm.pk, status=alarm.status)


# --- Answering ---------------------------------------------------------------------------------------------------


def _changed(alarm: Alarm) -> None:
    """Tell the post's pages, the lead's and the nurse's that the alarm changed (after the commit)."""
    groups = [live.alarm_group(alarm.pk)]
    if alarm.post_id:
        groups.append(live.post_group(alarm.post_id))
    # The leads and district officers whose pages were told of the alarm.
    groups.extend(
        alarm.deliveries.filter(channel=LIVE, recipient__startswith="alarms-user-").values_list("recipient", flat=True)
    )
    alarm_id = alarm.pk
    transaction.on_commit(
        lambda: _broadcast_changed(
            Alarm.objects.select_related(*LIVE_RELATED).get(pk=alarm_id),
            groups=groups,
            timeout=settings.QORGAU_ALARM_LIVE_TIMEOUT_SECONDS,
        ),
        robust=True,
    )


LIVE_RELATED = ("facility", "post", "department", "acknowledged_by")


def _broadcast_changed(alarm: Alarm, *, groups: list[str], timeout: float) -> bool:
    """Tell the pages in `groups` that the alarm changed: a post's group gets the officers' message rendered."""
    notice: dict[str, Any] = {"type": "alarm.changed", "alarm": alarm.pk}
    post_groups = [group for group in groups if group.startswith(live.POST_GROUP_PREFIX)]
    others = [group for group in groups if group not in post_groups]
    sent = True
    if post_groups:
        message = {**notice, "officers": selectors.officer_payloads(alarm), "raised_by": alarm.raised_by_id}
        sent = live.broadcast(groups=post_groups, message=message, timeout=timeout)
    if others:
        sent = live.broadcast(groups=others, message=notice, timeout=timeout) and sent
    return sent


def alarm_acknowledge(*, alarm: Alarm, officer: User) -> Alarm:
    """The officer is on the way: the ladder stops and the nurse sees the name and the time."""
    with transaction.atomic():
        alarm = Alarm.objects.select_for_update().get(pk=alarm.pk)
        if alarm.status != Alarm.Status.RAISED:
            return alarm  # a second press, or another officer already on the way
        alarm.status = Alarm.Status.ACKNOWLEDGED
        alarm.acknowledged_at = timezone.now()
        alarm.acknowledged_by = officer
        alarm.next_step_at = None
        alarm.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "next_step_at"])
        events.alarm_acknowledged(alarm=alarm, actor=officer)
        _case_record(alarm, officer)
        _changed(alarm)
    return alarm


def alarm_arrive(*, alarm: Alarm, officer: User) -> Alarm:
    """The officer is at the place (an alarm nobody acknowledged is acknowledged by the arrival)."""
    with transaction.atomic():
        alarm = Alarm.objects.select_for_update().get(pk=alarm.pk)
        if alarm.status not in (Alarm.Status.RAISED, Alarm.Status.ACKNOWLEDGED):
            return alarm
        now = timezone.now()
        if alarm.status == Alarm.Status.RAISED:
            alarm.acknowledged_at, alarm.acknowledged_by = now, officer
            events.alarm_acknowledged(alarm=alarm, actor=officer)
        alarm.status = Alarm.Status.ARRIVED
        alarm.arrived_at = now
        alarm.next_step_at = None
        alarm.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "arrived_at", "next_step_at"])
        events.alarm_arrived(alarm=alarm, actor=officer)
        _case_record(alarm, officer)
        _changed(alarm)
    return alarm


FALSE_ALARM_REASON_MAX = 1000
FALSE_ALARM_REASON_REQUIRED = gettext_lazy("Say why it was a false alarm.")


def reason_normalise(text: str) -> str:
    """A false alarm's reason as it is stored: trimmed, no NUL byte."""
    return text.replace("\x00", "").strip()


def alarm_close_false(*, alarm: Alarm, actor: User, reason: str) -> Alarm:
    """Close an open alarm as false, with the reason; the ladder stops."""
    reason = reason_normalise(reason)
    if not reason:
        raise AlarmRefused(str(FALSE_ALARM_REASON_REQUIRED))
    if len(reason) > FALSE_ALARM_REASON_MAX:
        raise AlarmRefused(_("The reason is too long (at most %(max)d characters).") % {"max": FALSE_ALARM_REASON_MAX})
    with transaction.atomic():
        alarm = Alarm.objects.select_for_update().get(pk=alarm.pk)
        if not alarm.is_open:
            raise AlarmRefused(_("This alarm is already closed."))
        alarm.false_alarm_reason = reason
        _close(alarm, status=Alarm.Status.FALSE_ALARM, actor=actor, also_save=["false_alarm_reason"])
        events.alarm_false(alarm=alarm, actor=actor)
        _case_record(alarm, actor)
        _changed(alarm)
    return alarm


def alarm_close(*, alarm: Alarm, actor: User) -> Alarm:
    """Close an alarm that was dealt with."""
    with transaction.atomic():
        alarm = Alarm.objects.select_for_update().get(pk=alarm.pk)
        if not alarm.is_open:
            return alarm
        _close(alarm, status=Alarm.Status.CLOSED, actor=actor)
        events.alarm_closed(alarm=alarm, actor=actor)
        _case_record(alarm, actor)
        _changed(alarm)
    return alarm


def _close(alarm: Alarm, *, status: str, actor: User, also_save: Iterable[str] = ()) -> None:
    """Save the alarm as closed (dealt with, or false): who and when, and the ladder stops."""
    alarm.status = status
    alarm.closed_at = timezone.now()
    alarm.closed_by = actor
    alarm.next_step_at = None
    alarm.save(update_fields=["status", *also_save, "closed_at", "closed_by", "next_step_at"])


def alarm_place_add(*, alarm: Alarm, actor: User, place: str) -> Alarm:
    """'Where exactly', added after the alarm was raised."""
    place = place_normalise(place)
    if not place:
        raise AlarmRefused(_("Say where you are."))
    if len(place) > PLACE_MAX:
        raise AlarmRefused(_("This is too long (at most %(max)d characters).") % {"max": PLACE_MAX})
    with transaction.atomic():
        alarm = Alarm.objects.select_for_update().get(pk=alarm.pk)
        alarm.place = place
        alarm.save(update_fields=["place"])
        events.alarm_place_added(alarm=alarm, actor=actor)
        _changed(alarm)
    return alarm


# --- The duty roster ----------------------------------------------------------------------------------------------


def duty_set(*, post: PolicePost, officer: User, on_duty: bool, actor: User) -> DutyEntry:
    """Put an officer of the post on duty or off it."""
    if not PostAssignment.objects.filter(post=post, user=officer).exists():
        raise AlarmRefused(_("This officer does not belong to the post."))
    with transaction.atomic():
        entry, _created = DutyEntry.objects.select_for_update().get_or_create(post=post, officer=officer)
        entry.on_duty = on_duty
        entry.changed_by = actor
        entry.save(update_fields=["on_duty", "changed_by", "changed_at"])
    return entry
