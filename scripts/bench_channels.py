"""Send latency of each outside channel's adapter against its loopback fake provider, with the floor beside it.

    .venv/bin/python scripts/bench_channels.py            # 200 sends per channel
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_bench .venv/bin/python scripts/bench_channels.py

Each adapter's `send()` (notifications/channels/) is timed end to end as a caller sees it: building the request,
the HTTP round trip to the fake on 127.0.0.1 (which checks the request and, for Web Push, verifies the VAPID
signature and decrypts the payload), reading the answer. The floor, measured in the same run, is a bare
`requests` POST of a body of the same size to the same fake with one kept connection: what any adapter pays on
this machine. E-mail goes through the e-mail pipeline to Django's in-memory backend (no mail server); its floor is
a plain `EmailMessage.send()` to the same backend. Ratios are adapter p50 over floor p50.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from benchsupport import throwaway_database  # noqa: E402 - beside this script


def percentiles(ms: list[float]) -> tuple[float, float]:
    ms = sorted(ms)
    return statistics.median(ms), ms[max(int(len(ms) * 0.95) - 1, 0)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="sends per channel (default 200)")
    args = parser.parse_args()

    import django

    django.setup()
    import requests
    from django.conf import settings
    from django.core.mail import EmailMessage

    from accounts.models import PushSubscription, User
    from notifications.channels import email, sms, telegram, webpush
    from notifications.channels.messages import OutgoingMessage
    from notifications.management.commands.vapid_keys import vapid_key_pair
    from tests.notifications.fakes import FakePushService, FakeSmsGateway, FakeTelegram

    token, sms_token = "123:bench", "bench"
    public, private = vapid_key_pair()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    text = "Тревога: нападение на медработника. Городская клиническая больница №7, приёмное отделение, 14:05"
    rows = []
    with (
        throwaway_database(),
        FakeTelegram(token) as tg,
        FakeSmsGateway(sms_token) as gw,
        FakePushService(public) as ps,
    ):
        settings.TELEGRAM_API_URL, settings.TELEGRAM_BOT_TOKEN = tg.url, token
        settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN = f"{gw.url}/v1/messages", sms_token
        settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = public, private
        settings.QORGAU_WEBPUSH_ALLOWED_HOSTS = ["127.0.0.1"]
        user = User.objects.create(username="bench")
        browser = ps.subscribe()
        keys = browser.subscription["keys"]
        subscription = PushSubscription.objects.create(
            user=user, endpoint=browser.endpoint, p256dh=keys["p256dh"], auth=keys["auth"]
        )
        floor_session = requests.Session()
        floor_session.trust_env = False

        def message(i: int) -> OutgoingMessage:
            return OutgoingMessage(
                text=text, link=f"https://qorgau.test/alarms/{i}/", drill=False, idempotency_key=f"k{i}"
            )

        cases = [
            (
                "telegram",
                lambda i: telegram.channel.send(recipient="-100123", message=message(i), timeout=3),
                tg,
                f"{tg.url}/bot{token}/sendMessage",
                {"Content-Type": "application/json"},
            ),
            (
                "sms",
                lambda i: sms.channel.send(recipient="+77011234567", message=message(i), timeout=3),
                gw,
                f"{gw.url}/v1/messages",
                {"Content-Type": "application/json"},
            ),
            (
                "webpush",
                lambda i: webpush.channel.send(recipient=str(subscription.pk), message=message(i), timeout=3),
                ps,
                browser.endpoint,
                {},
            ),
        ]
        for name, send, fake, floor_url, floor_headers in cases:
            for i in range(10):  # warm-up: connections, the VAPID key, imports
                send(10_000 + i)
            adapter_ms, floor_ms, failed = [], [], 0
            body_size = max(len(r.body) for r in fake.requests[-10:])
            for i in range(args.n):
                started = time.perf_counter()
                result = send(i)
                adapter_ms.append((time.perf_counter() - started) * 1000)
                failed += result.status != "sent"
            fake.handle = lambda request: (200, {}, b'{"ok": true, "id": "x"}')  # the floor: no checks
            for _ in range(args.n):
                started = time.perf_counter()
                floor_session.post(floor_url, data=b"x" * body_size, headers=floor_headers, timeout=3)
                floor_ms.append((time.perf_counter() - started) * 1000)
            rows.append((name, adapter_ms, floor_ms, failed, fake.problems))

        from django.core import mail

        adapter_ms, floor_ms = [], []
        for i in range(args.n):
            started = time.perf_counter()
            result = email.channel.send(recipient="post@police.test", message=message(i), timeout=3)
            adapter_ms.append((time.perf_counter() - started) * 1000)
        for _ in range(args.n):
            started = time.perf_counter()
            EmailMessage(subject="Qorgau", body=text, to=["post@police.test"]).send()
            floor_ms.append((time.perf_counter() - started) * 1000)
        rows.append(("email (in-memory backend)", adapter_ms, floor_ms, 0, []))
        mail.outbox.clear()

    print(f"{'channel':28} {'p50 ms':>8} {'p95 ms':>8} {'floor p50':>10} {'floor p95':>10} {'p50/floor':>10}  failed")
    for name, adapter_ms, floor_ms, failed, problems in rows:
        p50, p95 = percentiles(adapter_ms)
        f50, f95 = percentiles(floor_ms)
        refused = f" refused: {problems[:1]}" if problems else ""
        print(f"{name:28} {p50:8.2f} {p95:8.2f} {f50:10.2f} {f95:10.2f} {p50 / f50:10.1f}  {failed}{refused}")


if __name__ == "__main__":
    main()
