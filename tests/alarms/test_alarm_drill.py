"""`manage.py alarm_drill --post CODE`: one JSON line per delivery, a drill everywhere, no ladder."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext

from alarms.models import Alarm
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)  # the command commits: its sends run after the commit


def test_drill_reaches_every_officer_through_every_channel_and_prints_a_line_each(post_a, officer, telegram):
    second = factories.make_officer(post_a, username="second")
    out = StringIO()
    call_command("alarm_drill", "--post", post_a.code, "--wait", "5", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    by_channel = sorted((line["channel"], line["recipient"], line["status"]) for line in lines)
    assert by_channel == [
        ("live", f"alarms-post-{post_a.pk}", "sent"),
        ("sms", f"sms:{officer.username}", "sent"),
        ("sms", f"sms:{second.username}", "sent"),
        ("telegram", f"telegram:{officer.username}", "sent"),
        ("telegram", f"telegram:{second.username}", "sent"),
    ]
    assert all(isinstance(line["ms"], int) and line["ms"] >= 0 for line in lines), lines
    alarm = Alarm.objects.get()
    assert alarm.drill and alarm.source == Alarm.Source.DRILL and alarm.next_step_at is None and alarm.draft is None
    with translation.override(settings.LANGUAGE_CODE):  # messages go out in the site's language (Russian)
        marked = gettext("DRILL, no action needed")
    assert all(message.drill and message.text.startswith(marked) for _r, message in telegram.sent)


def test_drill_of_an_unknown_post_is_an_error(db):
    with pytest.raises(CommandError):
        call_command("alarm_drill", "--post", "NOPE")


def test_a_failing_channel_is_printed_as_failed(post_a, officer, monkeypatch):
    from tests.alarms.support import FakeChannel, use_channels

    use_channels(monkeypatch, FakeChannel("telegram", raises=TimeoutError), FakeChannel("sms"))
    out = StringIO()
    call_command("alarm_drill", "--post", post_a.code, "--wait", "5", stdout=out)
    lines = {line["channel"]: line for line in map(json.loads, out.getvalue().splitlines())}
    assert lines["telegram"]["status"] == "failed" and "TimeoutError" in lines["telegram"]["error"]
    assert lines["sms"]["status"] == "sent"
