"""The alarm's history: the one writer of `AlarmEvent` rows.

One function per kind of event, called by alarms/services.py inside its transaction. A payload holds ids, channel
names, statuses and milliseconds: never a recipient's address or a name, since the history is shown to every
officer of the post (templates/alarms/detail.html shows a delivery's channel and milliseconds and an escalation's step
from them). Once the alarm's report exists, the case's own history gets the alarm through
incidents/events.py (`alarm_linked`).
"""

from dataclasses import dataclass
from typing import Any

from accounts.models import User
from alarms.models import Alarm, AlarmDelivery, AlarmEvent

Kind = AlarmEvent.Kind


@dataclass(frozen=True)
class KeyActor:
    """An API key that acted (a panic button's, a badge's): its name and its public prefix, never its secret."""

    name: str
    prefix: str


def _event(
    alarm: Alarm, kind: str, *, actor: User | None = None, key: KeyActor | None = None, **data: Any
) -> AlarmEvent:
    return AlarmEvent(
        alarm=alarm,
        kind=kind,
        actor=actor,
        actor_key_name=key.name[:50] if key else "",
        actor_key_prefix=key.prefix[:8] if key else "",
        data=data,
    )


def _record(
    alarm: Alarm, kind: str, *, actor: User | None = None, key: KeyActor | None = None, **data: Any
) -> AlarmEvent:
    event = _event(alarm, kind, actor=actor, key=key, **data)
    event.save(force_insert=True)
    return event


def alarm_raised(*, alarm: Alarm, actor: User | None, key: KeyActor | None = None, deliveries: int) -> list[AlarmEvent]:
    """Raised by a user (SOS), a device's key (with who pressed it, when known), or neither (a drill command); and
    its first step taken with `deliveries` (the alarm is raised with it): two rows, written in one statement."""
    raised = _event(
        alarm,
        Kind.RAISED,
        actor=actor,
        key=key,
        source=alarm.source,
        drill=alarm.drill,
        post=alarm.post_id,
        device=alarm.device_id,
    )
    return AlarmEvent.objects.bulk_create([raised, _escalation(alarm, step=alarm.step, deliveries=deliveries)])


def _escalation(alarm: Alarm, *, step: int, deliveries: int) -> AlarmEvent:
    return _event(alarm, Kind.ESCALATED, step=step, deliveries=deliveries)


def alarm_escalated(*, alarm: Alarm, step: int, deliveries: int) -> AlarmEvent:
    event = _escalation(alarm, step=step, deliveries=deliveries)
    event.save(force_insert=True)
    return event


def delivery_recorded(*, delivery: AlarmDelivery) -> AlarmEvent:
    """A delivery's outcome: sent or failed, through which channel, at which step, how many ms after the alarm."""
    sent = delivery.status == AlarmDelivery.Status.SENT
    return _record(
        delivery.alarm,
        Kind.DELIVERED if sent else Kind.DELIVERY_FAILED,
        delivery=delivery.pk,
        channel=delivery.channel,
        step=delivery.step,
        status=delivery.status,
        latency_ms=delivery.latency_ms,
        attempts=delivery.attempts,
    )


def alarm_acknowledged(*, alarm: Alarm, actor: User) -> AlarmEvent:
    return _record(alarm, Kind.ACKNOWLEDGED, actor=actor, seconds=alarm.seconds_after_raised(alarm.acknowledged_at))


def alarm_arrived(*, alarm: Alarm, actor: User) -> AlarmEvent:
    return _record(alarm, Kind.ARRIVED, actor=actor, seconds=alarm.seconds_after_raised(alarm.arrived_at))


def alarm_place_added(*, alarm: Alarm, actor: User) -> AlarmEvent:
    return _record(alarm, Kind.PLACE_ADDED, actor=actor)


def alarm_false(*, alarm: Alarm, actor: User) -> AlarmEvent:
    # The reason stays on the alarm (shown to the post and the reporter), not copied here.
    return _record(alarm, Kind.FALSE_ALARM, actor=actor)


def alarm_closed(*, alarm: Alarm, actor: User) -> AlarmEvent:
    return _record(alarm, Kind.CLOSED, actor=actor)


def report_linked(*, alarm: Alarm, incident_id: int) -> AlarmEvent:
    return _record(alarm, Kind.REPORT_LINKED, incident=incident_id)
