"""The live channel: an officer's open page gets the alarm at once with its card, sound and Acknowledge button;
the nurse's status page gets the acknowledgement; nobody else gets anything."""

import uuid

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from alarms import services
from alarms.consumers import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED, AlarmConsumer
from alarms.models import Alarm
from tests.alarms.support import PageSocket

pytestmark = pytest.mark.django_db(transaction=True)


def _page(user, path="/ws/alarms/?lang=en"):
    return PageSocket(AlarmConsumer.as_asgi(), path, user=user)


def _sos(reporter, facility):
    return services.alarm_raise(
        facility=facility, raised_by=reporter, source=Alarm.Source.SOS, idempotency_key=str(uuid.uuid4())
    )


def test_officer_page_gets_the_alarm_with_sound_and_acknowledge_and_other_post_gets_nothing(
    reporter, facility_a, officer, other_officer, telegram
):
    @async_to_sync
    async def scenario():
        page, elsewhere = _page(officer), _page(other_officer)
        assert (await page.connect())[0] and (await elsewhere.connect())[0]
        alarm = await sync_to_async(_sos)(reporter, facility_a)
        message = await page.receive_json(timeout=2)
        assert message["type"] == "alarm" and message["id"] == alarm.pk and message["ring"] is True
        assert "Acknowledge" in message["card"] and facility_a.name_en in message["card"]
        assert await elsewhere.receive_nothing(timeout=0.3)
        await page.disconnect()
        await elsewhere.disconnect()

    scenario()


def test_nurse_status_page_sees_the_acknowledgement_with_the_name(reporter, facility_a, officer, telegram):
    alarm = _sos(reporter, facility_a)

    @async_to_sync
    async def scenario():
        page = _page(reporter, f"/ws/alarms/?alarm={alarm.pk}&lang=en")
        assert (await page.connect())[0]
        await sync_to_async(services.alarm_acknowledge)(alarm=alarm, officer=officer)
        message = await page.receive_json(timeout=2)
        assert message["status"] == "acknowledged" and message["ring"] is False
        assert officer.get_full_name() in message["status_text"]
        await page.disconnect()

    scenario()


def test_a_page_not_logged_in_or_asking_for_an_alarm_it_may_not_see_is_closed(
    reporter, other_reporter, facility_a, telegram
):
    from django.contrib.auth.models import AnonymousUser

    alarm = _sos(reporter, facility_a)

    @async_to_sync
    async def scenario():
        anonymous = _page(AnonymousUser())
        connected, code = await anonymous.connect()
        assert not connected and code == CLOSE_UNAUTHENTICATED
        stranger = _page(other_reporter, f"/ws/alarms/?alarm={alarm.pk}")
        connected, code = await stranger.connect()
        assert not connected and code == CLOSE_NOT_FOUND
        bad = _page(other_reporter, "/ws/alarms/?alarm=1%00")
        connected, code = await bad.connect()
        assert not connected and code == CLOSE_NOT_FOUND

    scenario()


def test_the_lead_page_is_reached_at_the_second_step(reporter, facility_a, officer, facility_lead, telegram):
    import datetime as dt

    from django.utils import timezone

    alarm = _sos(reporter, facility_a)

    @async_to_sync
    async def scenario():
        page = _page(facility_lead)
        assert (await page.connect())[0]
        await sync_to_async(Alarm.objects.filter(pk=alarm.pk).update)(
            next_step_at=timezone.now() - dt.timedelta(seconds=1)
        )
        await sync_to_async(services.alarm_sweep)()
        message = await page.receive_json(timeout=2)
        assert message["id"] == alarm.pk and "Acknowledge" not in message["card"]  # the lead sees; officers answer
        await page.disconnect()

    scenario()


def test_sends_to_redis_keep_one_loop_and_a_forked_process_starts_its_own(redis_url, settings, monkeypatch):
    """A send from a request or a task thread goes through this process's one send loop (which keeps the layer's
    Redis connections), not a new loop and connection each time; a forked worker does not reuse its parent's."""
    from channels.layers import get_channel_layer

    from alarms import live

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": f"qorgau-test-{uuid.uuid4().hex[:8]}"},
        }
    }
    layer = get_channel_layer()
    page = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("alarms-post-test", page)
    loop = live._send_loop.get()
    for alarm_id in (1, 2):
        assert live.broadcast(
            groups=["alarms-post-test"], message={"type": "alarm.changed", "alarm": alarm_id}, timeout=2
        )

    @async_to_sync
    async def received() -> list[int]:
        return [(await layer.receive(page))["alarm"] for _ in range(2)]

    assert received() == [1, 2]
    assert live._send_loop.get() is loop and loop in layer._layers  # its connections kept for the next send
    parent = live.os.getpid()
    monkeypatch.setattr(live.os, "getpid", lambda: parent + 1)
    assert live._send_loop.get() is not loop
