"""Alarms through the real adapters (notifications/channels/) to the loopback providers: the post's Telegram group
chat and the on-duty officer's chat, push (decrypted by the fake push service), then, nobody acknowledging, the
escalation reaching the fake Telegram and the fake SMS gateway in order; no name in any request; Telegram down
while the others deliver."""

import datetime as dt
import json
import uuid

import pytest
from django.core import mail

from accounts.models import PoliceDepartmentAssignment, PushSubscription
from alarms import services
from alarms.models import Alarm, AlarmDelivery, DutyEntry
from tests import factories

pytestmark = pytest.mark.django_db

NURSE = ("Айгуль", "Нурланова")


@pytest.fixture
def providers(fake_telegram, fake_sms, fake_push, settings):
    settings.QORGAU_EMAIL_CHANNEL = False
    return fake_telegram, fake_sms, fake_push


@pytest.fixture
def post_reachable(post_a, facility_a, fake_push):
    post_a.telegram_chat_id = "-1009990001"
    post_a.save(update_fields=["telegram_chat_id"])
    duty = factories.make_officer(
        post_a, username="duty", first_name="Ерлан", last_name="Сапаров", telegram_chat_id="501", phone="+77015550001"
    )
    DutyEntry.objects.create(post=post_a, officer=duty, on_duty=True)
    browser = fake_push.subscribe()
    keys = browser.subscription["keys"]
    PushSubscription.objects.create(user=duty, endpoint=browser.endpoint, p256dh=keys["p256dh"], auth=keys["auth"])
    other = factories.make_officer(post_a, username="other", first_name="Бауыржан", last_name="Темиров")
    other.telegram_chat_id = "502"
    other.save(update_fields=["telegram_chat_id"])
    district = factories.make_officer(factories.PolicePostFactory(), username="district", telegram_chat_id="503")
    PoliceDepartmentAssignment.objects.create(user=district, police_department=post_a.police_department)
    post_a.police_department.phone = "+77270001122"
    post_a.police_department.save()
    return duty


def sos(reporter, facility, capture):
    reporter.first_name, reporter.last_name = NURSE
    reporter.save()
    with capture(execute=True):
        return services.alarm_raise(
            facility=facility, raised_by=reporter, source=Alarm.Source.SOS, idempotency_key=str(uuid.uuid4())
        )


def test_the_first_step_reaches_the_posts_chat_and_the_duty_officer_by_telegram_sms_and_push(
    reporter, facility_a, post_reachable, providers, django_capture_on_commit_callbacks
):
    telegram, sms, push = providers
    alarm = sos(reporter, facility_a, django_capture_on_commit_callbacks)

    assert sorted(m["chat_id"] for m in telegram.messages) == ["-1009990001", "501"]
    assert [m["to"] for m in sms.sent] == ["+77015550001"]
    [pushed] = push.pushes
    assert pushed.payload["url"].endswith(f"/alarms/{alarm.pk}/")
    assert facility_a.name_ru in pushed.payload["body"]
    assert telegram.problems == sms.problems == push.problems == []
    sent = AlarmDelivery.objects.filter(alarm=alarm).exclude(channel="live")
    assert set(sent.values_list("status", flat=True)) == {AlarmDelivery.Status.SENT}


def test_nobody_acknowledging_the_escalation_reaches_telegram_and_sms_in_order(
    reporter, facility_a, post_reachable, providers, django_capture_on_commit_callbacks
):
    telegram, sms, _push = providers
    alarm = sos(reporter, facility_a, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.alarm_sweep(now=alarm.raised_at + dt.timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=True):
        services.alarm_sweep(now=alarm.raised_at + dt.timedelta(seconds=181))

    chats = [m["chat_id"] for m in telegram.messages]
    assert sorted(chats[:2]) == ["-1009990001", "501"] and chats[2:] == ["502", "503"]
    assert [m["to"] for m in sms.sent] == ["+77015550001", "+77270001122"]
    times = [r.at for r in telegram.requests]
    assert times == sorted(times)


def test_no_name_reaches_any_provider(
    reporter, facility_a, post_reachable, providers, django_capture_on_commit_callbacks
):
    telegram, sms, push = providers
    sos(reporter, facility_a, django_capture_on_commit_callbacks)
    bodies = [r.body.decode("utf-8", "replace") for provider in (telegram, sms, push) for r in provider.requests]
    bodies += [json.dumps(p.payload, ensure_ascii=False) for p in push.pushes]
    assert len(bodies) >= 5
    for name in (*NURSE, "Ерлан", "Сапаров", "Бауыржан", "Темиров"):
        assert all(name not in body for body in bodies), name


def test_telegram_down_the_others_still_deliver_and_the_failure_is_on_the_alarm(
    reporter, facility_a, post_reachable, providers, django_capture_on_commit_callbacks, settings
):
    telegram, sms, push = providers
    telegram.delay = 2.0
    settings.QORGAU_ALARM_SEND_TIMEOUT_SECONDS = settings.QORGAU_ALARM_DIRECT_TIMEOUT_SECONDS = 0.2
    alarm = sos(reporter, facility_a, django_capture_on_commit_callbacks)

    assert len(sms.sent) == 1 and len(push.pushes) == 1
    by_channel = dict(
        AlarmDelivery.objects.filter(alarm=alarm, recipient="+77015550001").values_list("channel", "status")
    )
    assert by_channel == {"sms": AlarmDelivery.Status.SENT}
    telegram_rows = AlarmDelivery.objects.filter(alarm=alarm, channel="telegram")
    assert telegram_rows.count() == 2
    assert AlarmDelivery.Status.SENT not in set(telegram_rows.values_list("status", flat=True))
    assert mail.outbox == []
