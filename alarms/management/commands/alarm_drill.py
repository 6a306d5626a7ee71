"""`manage.py alarm_drill --post CODE`: a test alarm through every configured channel, marked as a drill everywhere.

It reaches every officer of the post at once (a drill does not climb the ladder) and prints one JSON line per
delivery: channel, recipient, status, milliseconds from the alarm, attempts and the error if any. Posts can run it
monthly (README, "Alarms").
"""

import json
import time
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from alarms import services
from alarms.models import Alarm, AlarmDelivery
from facilities.models import PolicePost

WAITING = (AlarmDelivery.Status.PENDING, AlarmDelivery.Status.SENDING)


class Command(BaseCommand):
    help = "Raise a drill alarm for a police post through every configured channel; one JSON line per delivery."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--post", required=True, help="the police post's code")
        parser.add_argument(
            "--wait", type=float, default=30.0, help="seconds to wait for the alarms worker's sends (default 30)"
        )

    def handle(self, *args: Any, post: str, wait: float, **options: Any) -> None:
        found = PolicePost.objects.select_related("facility").filter(code=post).first()
        if found is None:
            raise CommandError(f"No police post with the code {post!r}.")
        alarm = services.alarm_raise(
            facility=found.facility,
            post=found,
            source=Alarm.Source.DRILL,
            drill=True,
            idempotency_key=uuid.uuid4(),
        )
        deadline = time.monotonic() + wait
        while alarm.deliveries.filter(status__in=WAITING).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        for delivery in alarm.deliveries.order_by("channel", "recipient"):
            line = {
                "alarm": alarm.pk,
                "channel": delivery.channel,
                "recipient": delivery.recipient,
                "status": delivery.status,
                "ms": delivery.latency_ms,
                "attempts": delivery.attempts,
            }
            if delivery.error:
                line["error"] = delivery.error
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        if not alarm.deliveries.exists():
            self.stderr.write(f"Nobody to reach: post {found.code} has no officers and no channel is configured.")
