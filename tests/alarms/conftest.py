import pytest

from tests import factories
from tests.alarms.support import FakeChannel, use_channels


@pytest.fixture
def telegram(monkeypatch):
    channel = FakeChannel("telegram")
    sms = FakeChannel("sms")
    use_channels(monkeypatch, channel, sms)
    channel.sms = sms
    return channel


@pytest.fixture
def on_duty_officer(post_a):
    from alarms.models import DutyEntry

    officer = factories.make_officer(post_a, username="duty", first_name="Ерлан", last_name="Сапаров")
    DutyEntry.objects.create(post=post_a, officer=officer, on_duty=True)
    return officer


@pytest.fixture(autouse=True)
def _pages_served_here(monkeypatch):
    # The tests hold the pages (consumers) in this process, as the ASGI server does.
    monkeypatch.setattr("alarms.live._process.serves_pages", True)
