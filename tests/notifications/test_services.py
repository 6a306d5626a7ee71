"""Case notifications' delivery rows: queued on commit by the channels a user chose, sent once, tried again after
a failure, held through quiet hours, swept when their task was lost. Against the loopback fakes."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import NotificationKind, NotificationPreferences, PushSubscription
from notifications.models import Delivery
from notifications.services import delivery_send, delivery_sweep, notification_queue
from notifications.tasks import delivery_send_task

LINK = "https://qorgau.test/incidents/cases/7/"


@pytest.fixture
def channels_on(fake_telegram, fake_push, settings):
    settings.QORGAU_EMAIL_CHANNEL = False
    return fake_telegram, fake_push


@pytest.fixture
def officer_everywhere(officer, fake_push):
    officer.telegram_chat_id = "555"
    officer.save(update_fields=["telegram_chat_id"])
    browser = fake_push.subscribe()
    keys = browser.subscription["keys"]
    PushSubscription.objects.create(user=officer, endpoint=browser.endpoint, p256dh=keys["p256dh"], auth=keys["auth"])
    return officer


def queue(officer, object_id=7):
    """Queue a new-case notification in a transaction that commits (its tasks run eagerly on commit)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return notification_queue(
            kind=NotificationKind.NEW_CASE, object_id=object_id, users=[officer], text="New case", link=LINK
        )


def test_it_sends_by_every_channel_on_commit_once(channels_on, officer_everywhere, django_capture_on_commit_callbacks):
    telegram, push = channels_on
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        deliveries = notification_queue(
            kind=NotificationKind.NEW_CASE, object_id=7, users=[officer_everywhere], text="New case", link=LINK
        )
        again = notification_queue(
            kind=NotificationKind.NEW_CASE, object_id=7, users=[officer_everywhere], text="New case", link=LINK
        )
    assert telegram.requests == [] and push.requests == []  # nothing before the commit

    for callback in callbacks:
        callback()

    assert again == []
    assert sorted(d.channel for d in deliveries) == ["telegram", "webpush"]
    assert Delivery.objects.count() == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert len(telegram.messages) == 1 and len(push.pushes) == 1
    assert push.pushes[0].payload["url"] == LINK


def test_a_task_run_twice_sends_once(channels_on, officer_everywhere):
    telegram, _push = channels_on
    [delivery] = [d for d in queue(officer_everywhere) if d.channel == "telegram"]  # sent on commit
    assert delivery_send_task.apply(args=[delivery.pk]).get() == "skipped"
    assert len(telegram.requests) == 1


def test_a_failed_send_waits_and_is_tried_again_by_the_sweep(channels_on, officer_everywhere, settings):
    telegram, _push = channels_on
    telegram.fail_with = 503
    [delivery] = [d for d in queue(officer_everywhere) if d.channel == "telegram"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.detail) == (Delivery.Status.PENDING, 1, "HTTP 503 down")
    assert delivery.due_at > timezone.now() + dt.timedelta(
        seconds=settings.QORGAU_NOTIFICATION_RETRY_BACKOFF_SECONDS - 5
    )

    telegram.fail_with = None
    assert delivery_sweep() == 0  # not due yet
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now())
    assert delivery_sweep() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 2
    assert len(telegram.messages) == 1


def test_after_the_last_attempt_it_is_failed(channels_on, officer_everywhere, settings, caplog):
    telegram, _push = channels_on
    settings.QORGAU_NOTIFICATION_MAX_ATTEMPTS = 2
    telegram.fail_with = 500
    [delivery] = [d for d in queue(officer_everywhere) if d.channel == "telegram"]
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now())
    with caplog.at_level("WARNING", logger="notifications"):
        assert delivery_send(delivery_id=delivery.pk) == Delivery.Status.FAILED
    assert len(telegram.requests) == 2
    # The provider's answer stays on the row; the log names the delivery only (an SMTP or SMS gateway error can
    # echo the recipient's address or number).
    delivery.refresh_from_db()
    assert delivery.detail and "failed" in caplog.text
    assert delivery.detail not in caplog.text


def test_quiet_hours_hold_it_until_they_end(channels_on, officer_everywhere):
    telegram, push = channels_on
    now = timezone.localtime()
    start = (now - dt.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (now + dt.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    NotificationPreferences.objects.create(user=officer_everywhere, quiet_from=start, quiet_until=end)

    deliveries = queue(officer_everywhere)

    assert telegram.requests == [] and push.requests == []
    assert {d.status for d in Delivery.objects.all()} == {Delivery.Status.PENDING}
    due = deliveries[0].due_at
    assert timezone.localtime(due).time() == end and due > timezone.now()
    assert delivery_sweep() == 0
    Delivery.objects.update(due_at=timezone.now())
    assert delivery_sweep() == 2
    assert len(telegram.messages) == 1 and len(push.pushes) == 1


def test_only_the_kinds_and_channels_the_user_chose(channels_on, officer_everywhere):
    NotificationPreferences.objects.create(user=officer_everywhere, by_telegram=False)
    assert [d.channel for d in queue(officer_everywhere)] == ["webpush"]
    NotificationPreferences.objects.filter(user=officer_everywhere).update(new_case=False)
    officer_everywhere.refresh_from_db()
    assert queue(officer_everywhere, object_id=8) == []


def test_a_channel_without_settings_is_not_used(officer_everywhere, settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    settings.VAPID_PRIVATE_KEY = ""
    settings.QORGAU_EMAIL_CHANNEL = False
    assert queue(officer_everywhere) == []


def test_a_delivery_left_sending_by_a_dead_worker_goes_out_again(channels_on, officer_everywhere):
    telegram, _push = channels_on
    [delivery] = [d for d in queue(officer_everywhere) if d.channel == "telegram"]
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING, claimed_at=timezone.now() - dt.timedelta(minutes=10)
    )
    assert delivery_sweep() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert len(telegram.messages) == 2  # it may arrive twice: never is worse


def test_quiet_hours_across_midnight():
    preferences = NotificationPreferences(quiet_from=dt.time(22, 0), quiet_until=dt.time(7, 0))
    tz = timezone.get_current_timezone()
    late = dt.datetime(2026, 11, 28, 23, 30, tzinfo=tz)
    early = dt.datetime(2026, 11, 29, 6, 0, tzinfo=tz)
    day = dt.datetime(2026, 11, 29, 12, 0, tzinfo=tz)
    assert preferences.quiet_end(late) == dt.datetime(2026, 11, 29, 7, 0, tzinfo=tz)
    assert preferences.quiet_end(early) == dt.datetime(2026, 11, 29, 7, 0, tzinfo=tz)
    assert preferences.quiet_end(day) is None


def test_the_queries_do_not_grow_with_the_officers(channels_on, post_a, fake_push):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories

    def officers(count, prefix):
        made = []
        for i in range(count):
            user = factories.make_officer(
                post_a, username=f"{prefix}{i}", telegram_chat_id=f"{prefix}{i}".replace(prefix, "7")
            )
            browser = fake_push.subscribe()
            keys = browser.subscription["keys"]
            PushSubscription.objects.create(
                user=user, endpoint=browser.endpoint, p256dh=keys["p256dh"], auth=keys["auth"]
            )
            made.append(user)
        return made

    counts = []
    for object_id, group in ((1, officers(1, "a")), (2, officers(6, "b"))):
        with CaptureQueriesContext(connection) as queries:
            queued = notification_queue(kind="new_case", object_id=object_id, users=group, text="New case", link=LINK)
        assert len(queued) == 2 * len(group)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6
