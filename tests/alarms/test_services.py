"""The alarm service: raising (idempotent, draft, place), the ladder, deliveries, answering."""

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alarms import services
from alarms.models import Alarm, AlarmDelivery, AlarmEvent, Device
from incidents.models import ReportDraft
from tests import factories

pytestmark = pytest.mark.django_db


def _raise(reporter, facility, **kwargs):
    kwargs.setdefault("idempotency_key", str(uuid.uuid4()))
    return services.alarm_raise(facility=facility, raised_by=reporter, source=Alarm.Source.SOS, **kwargs)


def test_sos_stores_the_alarm_for_the_facility_post_with_its_history(
    reporter, facility_a, post_a, telegram, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alarm = _raise(reporter, facility_a)
    assert alarm.post == post_a and alarm.status == Alarm.Status.RAISED and alarm.step == Alarm.Step.ON_DUTY
    assert alarm.next_step_at == alarm.raised_at + dt.timedelta(seconds=60)
    kinds = list(alarm.events.values_list("kind", flat=True))
    assert kinds[:2] == [AlarmEvent.Kind.RAISED, AlarmEvent.Kind.ESCALATED]


def test_the_same_key_twice_is_one_alarm_and_one_send(
    reporter, facility_a, officer, telegram, django_capture_on_commit_callbacks
):
    key = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        first = _raise(reporter, facility_a, idempotency_key=key)
    with django_capture_on_commit_callbacks(execute=True):
        second = _raise(reporter, facility_a, idempotency_key=key)
    assert first.pk == second.pk and Alarm.objects.count() == 1
    assert telegram.recipients() == [f"telegram:{officer.username}"]


def test_a_key_that_is_not_a_uuid_is_mapped_to_one_stably(reporter, facility_a, telegram):
    first = _raise(reporter, facility_a, idempotency_key="badge-17:press-3")
    assert first.idempotency_key == uuid.uuid5(services.KEY_NAMESPACE, "badge-17:press-3")
    assert _raise(reporter, facility_a, idempotency_key="badge-17:press-3").pk == first.pk


def test_sos_opens_a_draft_with_time_facility_and_department(reporter, facility_a, telegram):
    department = factories_department(facility_a, "emergency")
    reporter.facility_memberships.update(department=department)
    alarm = _raise(reporter, facility_a)
    draft = ReportDraft.objects.get(pk=alarm.draft_id)
    assert draft.owner == reporter
    assert draft.data["facility"] == [str(facility_a.pk)]
    assert draft.data["department"] == [str(department.pk)]
    assert draft.data["place"] == ["admission"]
    assert draft.data["occurred_at"] == [timezone.localtime(alarm.raised_at).strftime("%Y-%m-%dT%H:%M")]


def factories_department(facility, kind):
    from facilities.models import Department

    return Department.objects.create(facility=facility, kind=kind)


def test_a_device_says_where_without_typing(facility_a, post_a, telegram):
    department = factories_department(facility_a, "icu")
    Device.objects.create(device_id="BTN-7", facility=facility_a, department=department, room="room 12")
    alarm = services.alarm_raise(
        facility=facility_a, device_id="BTN-7", source=Alarm.Source.BUTTON, idempotency_key="BTN-7:1"
    )
    assert alarm.device.device_id == "BTN-7" and alarm.department == department and alarm.place == "room 12"
    assert alarm.post == post_a and alarm.draft is None  # nobody to open a draft for


def test_an_unknown_device_is_refused(facility_a):
    with pytest.raises(services.AlarmRefused):
        services.alarm_raise(facility=facility_a, device_id="NOPE", source=Alarm.Source.BUTTON, idempotency_key="x")
    assert not Alarm.objects.exists()


def test_first_step_reaches_only_officers_on_duty(
    reporter, facility_a, officer, on_duty_officer, telegram, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alarm = _raise(reporter, facility_a)
    assert sorted(telegram.recipients()) == ["telegram:duty"]
    live = alarm.deliveries.get(channel=services.LIVE)
    assert live.recipient == f"alarms-post-{alarm.post_id}" and live.status == AlarmDelivery.Status.SENT


def test_messages_carry_facility_place_time_and_link_but_no_name(
    reporter, facility_a, officer, telegram, django_capture_on_commit_callbacks
):
    reporter.first_name, reporter.last_name = "Айгуль", "Нурланова"
    reporter.save()
    with django_capture_on_commit_callbacks(execute=True):
        alarm = _raise(reporter, facility_a, place="Room 4")
    _recipient, message = telegram.sent[0]
    assert facility_a.name_ru in message.text and "Room 4" in message.text
    assert timezone.localtime(alarm.raised_at).strftime("%H:%M") in message.text
    assert message.link.endswith(f"/alarms/{alarm.pk}/")
    assert "Айгуль" not in message.text and "Нурланова" not in message.text
    assert message.idempotency_key == alarm.deliveries.get(channel="telegram").idempotency_key


def test_the_ladder_climbs_in_order_when_nobody_acknowledges(
    reporter, facility_a, post_a, officer, on_duty_officer, facility_lead, telegram, django_capture_on_commit_callbacks
):
    from accounts.models import PoliceDepartmentAssignment

    district_officer = factories.make_officer(factories.PolicePostFactory(), username="district")
    PoliceDepartmentAssignment.objects.create(user=district_officer, police_department=post_a.police_department)
    post_a.police_department.phone = "+77270001122"
    post_a.police_department.save()
    with django_capture_on_commit_callbacks(execute=True):
        alarm = _raise(reporter, facility_a)
    assert telegram.recipients() == ["telegram:duty"]
    # Not due yet: nothing happens, however often the sweep runs.
    assert services.alarm_sweep()["escalated"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.alarm_sweep(now=alarm.raised_at + dt.timedelta(seconds=61))
    assert sorted(telegram.recipients()[1:]) == sorted(
        [f"telegram:{officer.username}", f"telegram:{facility_lead.username}"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.alarm_sweep(now=alarm.raised_at + dt.timedelta(seconds=181))
    assert telegram.recipients()[3:] == ["telegram:district"]
    assert telegram.sms.recipients()[-1] == "+77270001122"
    alarm.refresh_from_db()
    assert alarm.step == Alarm.Step.DISTRICT and alarm.next_step_at is None
    steps = list(alarm.events.filter(kind=AlarmEvent.Kind.ESCALATED).values_list("data__step", flat=True))
    assert steps == [1, 2, 3]


def test_a_step_run_twice_sends_once(
    reporter, facility_a, officer, on_duty_officer, telegram, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alarm = _raise(reporter, facility_a)
    Alarm.objects.filter(pk=alarm.pk).update(next_step_at=timezone.now() - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.alarm_escalate(alarm_id=alarm.pk, step=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.alarm_escalate(alarm_id=alarm.pk, step=2) == []
    assert telegram.recipients().count(f"telegram:{officer.username}") == 1


def test_acknowledging_stops_the_ladder(reporter, facility_a, officer, telegram, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alarm = _raise(reporter, facility_a)
    alarm = services.alarm_acknowledge(alarm=alarm, officer=officer)
    assert alarm.status == Alarm.Status.ACKNOWLEDGED and alarm.acknowledged_by == officer and alarm.next_step_at is None
    sent = len(telegram.sent)
    services.alarm_sweep(now=alarm.raised_at + dt.timedelta(seconds=600))
    assert services.alarm_escalate(alarm_id=alarm.pk, step=2) == []
    assert len(telegram.sent) == sent
    # A second officer's press changes nothing.
    other = factories.make_officer(alarm.post, username="second")
    assert services.alarm_acknowledge(alarm=alarm, officer=other).acknowledged_by == officer


def test_arrival_and_false_alarm_are_recorded(reporter, facility_a, officer, telegram):
    alarm = _raise(reporter, facility_a)
    alarm = services.alarm_arrive(alarm=alarm, officer=officer)
    assert alarm.status == Alarm.Status.ARRIVED and alarm.acknowledged_by == officer and alarm.arrived_at
    second = _raise(reporter, facility_a)
    with pytest.raises(services.AlarmRefused):
        services.alarm_close_false(alarm=second, actor=reporter, reason="   ")
    second = services.alarm_close_false(alarm=second, actor=reporter, reason="Pressed by mistake")
    assert second.status == Alarm.Status.FALSE_ALARM and second.false_alarm_reason == "Pressed by mistake"
    assert second.next_step_at is None
    assert list(second.events.values_list("kind", flat=True))[-1] == AlarmEvent.Kind.FALSE_ALARM


def test_one_channel_down_does_not_stop_the_others(
    reporter, facility_a, officer, monkeypatch, django_capture_on_commit_callbacks
):
    from tests.alarms.support import FakeChannel, use_channels

    broken = FakeChannel("telegram", raises=TimeoutError)
    sms = FakeChannel("sms")
    use_channels(monkeypatch, broken, sms)
    with django_capture_on_commit_callbacks(execute=True):
        alarm = _raise(reporter, facility_a)
    assert sms.recipients() == [f"sms:{officer.username}"]
    failed = alarm.deliveries.get(channel="telegram")
    assert failed.status == AlarmDelivery.Status.FAILED and "TimeoutError" in failed.error
    assert alarm.events.filter(kind=AlarmEvent.Kind.DELIVERY_FAILED, data__channel="telegram").exists()
    assert alarm.deliveries.get(channel="sms").status == AlarmDelivery.Status.SENT


def test_a_delivery_is_never_sent_twice(reporter, facility_a, officer, telegram, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alarm = _raise(reporter, facility_a)
    delivery = alarm.deliveries.get(channel="telegram")
    assert services.delivery_send(delivery_id=delivery.pk, timeout=1) is None
    services.alarm_sweep(now=timezone.now() + dt.timedelta(hours=1))
    assert telegram.recipients() == [f"telegram:{officer.username}"]


def test_a_failed_delivery_is_tried_again_until_its_tries_run_out(
    reporter, facility_a, officer, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from tests.alarms.support import FakeChannel, use_channels

    flaky = FakeChannel("telegram", fail=True)
    use_channels(monkeypatch, flaky)
    with django_capture_on_commit_callbacks(execute=True):
        alarm = _raise(reporter, facility_a)
    delivery = alarm.deliveries.get(channel="telegram")
    later = timezone.now() + dt.timedelta(hours=1)
    AlarmDelivery.objects.filter(pk=delivery.pk).update(claimed_until=later - dt.timedelta(seconds=1))
    assert services.delivery_send(delivery_id=delivery.pk, timeout=1) is None  # still waiting out its backoff
    AlarmDelivery.objects.filter(pk=delivery.pk).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    flaky.fail = False
    delivery = services.delivery_send(delivery_id=delivery.pk, timeout=1)
    assert delivery.status == AlarmDelivery.Status.SENT and delivery.attempts == 2
    assert len(flaky.sent) == 2


def test_the_report_filed_from_the_alarm_draft_is_linked_in_both_histories(reporter, facility_a, officer, telegram):
    from incidents.models import IncidentEvent
    from tests.incidents.reporting_support import submit

    with_link = _raise(reporter, facility_a)
    services.alarm_acknowledge(alarm=with_link, officer=officer)
    assert services.alarm_reports_link() == 0  # the draft is not filed yet
    incident = submit(reporter, facility_a, key=with_link.draft.key, draft=with_link.draft)
    assert services.alarm_sweep()["linked"] == 1
    with_link.refresh_from_db()
    assert with_link.incident == incident
    assert with_link.events.filter(kind=AlarmEvent.Kind.REPORT_LINKED, data__incident=incident.pk).exists()
    linked = incident.events.get(kind=IncidentEvent.Kind.ALARM_LINKED)
    assert linked.data["alarm"] == with_link.pk and linked.data["acknowledged_after"] is not None
    assert linked.visible_to_reporter
    assert services.alarm_reports_link() == 0  # once
    services.alarm_arrive(alarm=with_link, officer=officer)
    updated = incident.events.get(kind=IncidentEvent.Kind.ALARM_UPDATED)
    assert updated.data == {"alarm": with_link.pk, "status": "arrived"} and updated.actor == officer


def test_a_command_without_redis_does_not_count_the_live_channel_as_sent(
    reporter, facility_a, officer, telegram, monkeypatch, settings, django_capture_on_commit_callbacks
):
    # `make run` without REDIS_URL: the in-memory layer reaches only the web server's own pages.
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    monkeypatch.setattr("alarms.live._process.serves_pages", False)
    with django_capture_on_commit_callbacks(execute=True):
        alarm = _raise(reporter, facility_a)
    live = alarm.deliveries.get(channel=services.LIVE)
    assert live.status == AlarmDelivery.Status.FAILED and "REDIS_URL" in live.error
    assert alarm.deliveries.get(channel="telegram").status == AlarmDelivery.Status.SENT


def test_a_live_delivery_is_claimed_when_written_and_one_its_sender_never_sent_goes_to_the_sweep(
    reporter, facility_a, officer, telegram, monkeypatch
):
    # Raised, committed, and the process gone before its after-commit send (here: the callbacks never run).
    alarm = _raise(reporter, facility_a)
    live = alarm.deliveries.get(channel=services.LIVE)
    assert live.status == AlarmDelivery.Status.SENDING and live.attempts == 1 and live.claimed_until > timezone.now()
    # Held by the process that wrote it: neither a task nor the sweep sends it meanwhile.
    assert services.delivery_send(delivery_id=live.pk, timeout=1) is None
    published = []
    monkeypatch.setattr("alarms.tasks.publish", lambda task, *args, **kwargs: published.append(args) or True)
    services.alarm_sweep()
    assert (live.pk,) not in published
    # Once the claim has lapsed, the sweep publishes it and it is sent, once.
    services.alarm_sweep(now=live.claimed_until + dt.timedelta(seconds=1))
    assert (live.pk,) in published
    AlarmDelivery.objects.filter(pk=live.pk).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    sent = services.delivery_send(delivery_id=live.pk, timeout=1)
    assert sent.status == AlarmDelivery.Status.SENT and sent.attempts == 2
    assert services.delivery_send(delivery_id=live.pk, timeout=1) is None


def test_raising_writes_the_alarm_its_first_step_and_history_once_each(
    facility_a, post_a, officer, on_duty_officer, telegram
):
    # A panic button's alarm (its key named the post): the replay check, then the alarm row with its step (no
    # UPDATE after), the roster in one read, the deliveries in one INSERT, the two history rows (raised, first
    # step) in another. No read of a row just written, no savepoint per delivery.
    with CaptureQueriesContext(connection) as captured:
        alarm = services.alarm_raise(
            facility=facility_a, post=post_a, source=Alarm.Source.BUTTON, idempotency_key=str(uuid.uuid4())
        )
    statements = [query["sql"] for query in captured.captured_queries if "SAVEPOINT" not in query["sql"]]
    assert [(sql.split()[0], re.search(r'"(\w+)"', sql).group(1)) for sql in statements] == [
        ("SELECT", "alarms_alarm"),  # the replay check
        ("INSERT", "alarms_alarm"),
        ("SELECT", "accounts_user"),  # the post's officers, those on duty marked
        ("INSERT", "alarms_alarmdelivery"),
        ("INSERT", "alarms_alarmevent"),
    ], statements
    assert alarm.step == Alarm.Step.ON_DUTY and alarm.next_step_at is not None
    deliveries = alarm.deliveries.count()
    assert list(alarm.events.values_list("kind", "data__deliveries")) == [
        (AlarmEvent.Kind.RAISED, None),
        (AlarmEvent.Kind.ESCALATED, deliveries),
    ]
    reached = set(alarm.deliveries.filter(channel="telegram", user__isnull=False).values_list("user", flat=True))
    assert reached == {on_duty_officer.pk}
    assert alarm.deliveries.filter(channel=services.LIVE, recipient=f"alarms-post-{post_a.pk}").exists()
