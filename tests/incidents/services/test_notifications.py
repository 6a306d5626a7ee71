"""Case notifications (incidents/services/notifications.py) from the places the events happen, through the loopback
Telegram, push service (payload decrypted) and the mail outbox: who gets what, once, and no name in any of it."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import NotificationPreferences, PushSubscription
from incidents.models import Outcome
from incidents.services import cases
from incidents.services.reporting import AttackerInput, VictimInput
from notifications.models import Delivery
from tests.incidents import case_support
from tests.incidents.reporting_support import me, submit

VICTIM = "Жанар Сапаровна Оспанова"
SUSPECT = "Ерлан Болатович Кенжебаев"
SUSPECT_IIN = "900101300017"
ACCOUNT = "Кенжебаев угрожал медсестре Оспановой ножом"


def subscribe(user, push_service):
    browser = push_service.subscribe()
    keys = browser.subscription["keys"]
    PushSubscription.objects.create(user=user, endpoint=browser.endpoint, p256dh=keys["p256dh"], auth=keys["auth"])
    return browser


@pytest.fixture
def everyone_reachable(reporter, officer, fake_telegram, fake_push):
    for user, chat in ((reporter, "1001"), (officer, "2002")):
        user.telegram_chat_id = chat
        user.email = f"{user.username}@qorgau.test"
        user.save(update_fields=["telegram_chat_id", "email"])
    return {"reporter": subscribe(reporter, fake_push), "officer": subscribe(officer, fake_push)}


def file_report(reporter, facility, capture):
    with capture(execute=True):
        return submit(
            reporter,
            facility,
            victims=[me(reporter), VictimInput(role="nurse", full_name=VICTIM)],
            attackers=[AttackerInput(relation="patient", full_name=SUSPECT, iin=SUSPECT_IIN)],
            report=None,
        )


def test_a_new_report_notifies_the_posts_officers_by_push_telegram_and_email(
    reporter,
    officer,
    other_officer,
    facility_a,
    everyone_reachable,
    fake_telegram,
    fake_push,
    django_capture_on_commit_callbacks,
):
    mail.outbox.clear()
    incident = file_report(reporter, facility_a, django_capture_on_commit_callbacks)

    [push] = fake_push.pushes
    assert push.browser is everyone_reachable["officer"]
    # In the site's language (Russian), whoever's request caused it.
    assert push.payload["body"] == f"Qorgau: новое дело {incident.reference} на вашем посту."
    assert push.payload["url"].endswith(f"/incidents/cases/{incident.pk}/")
    assert [m["chat_id"] for m in fake_telegram.messages] == ["2002"]
    assert [m.to for m in mail.outbox if "новое дело" in m.subject] == [["officer@qorgau.test"]]
    assert set(Delivery.objects.values_list("user__username", flat=True)) == {"officer"}


def test_a_question_and_an_outcome_notify_the_reporter_with_a_link_only(
    reporter,
    officer,
    facility_a,
    everyone_reachable,
    fake_telegram,
    fake_push,
    django_capture_on_commit_callbacks,
):
    incident = file_report(reporter, facility_a, django_capture_on_commit_callbacks)
    fake_push.pushes.clear()
    fake_telegram.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cases.case_question_ask(incident=incident, actor=officer, body=f"Где был {SUSPECT}?")
    incident = case_support.registered(incident, officer)
    with django_capture_on_commit_callbacks(execute=True):
        cases.case_close(
            incident=incident, actor=officer, expected_version=incident.version, outcome=Outcome.SENT_TO_COURT
        )

    to_reporter = [p.payload for p in fake_push.pushes if p.browser is everyone_reachable["reporter"]]
    assert [p["body"] for p in to_reporter] == [
        f"Qorgau: полиция задала вам вопрос по сообщению {incident.reference}.",
        f"Qorgau: по вашему сообщению {incident.reference} принято решение.",
    ]
    assert {p["url"] for p in to_reporter} == {f"http://127.0.0.1:8000/incidents/reports/{incident.pk}/"}
    assert [m["chat_id"] for m in fake_telegram.messages] == ["1001", "1001"]
    # The question's e-mail is the existing one (not a second); the outcome's goes through the e-mail channel.
    assert Delivery.objects.filter(kind="question", channel="email").count() == 0
    assert Delivery.objects.filter(kind="outcome", channel="email").count() == 1


def test_no_name_iin_or_account_reaches_any_provider(
    reporter,
    officer,
    facility_a,
    everyone_reachable,
    fake_telegram,
    fake_push,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.QORGAU_ACK_DEADLINE_MINUTES = 1
    incident = file_report(reporter, facility_a, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        cases.case_question_ask(incident=incident, actor=officer, body=f"Где был {SUSPECT}?")
    with django_capture_on_commit_callbacks(execute=True):
        cases.case_overdue_notify(now=timezone.now() + dt.timedelta(hours=2))
    assert {"new_case", "question", "overdue"} <= set(Delivery.objects.values_list("kind", flat=True))

    sent = [r.body.decode() for r in fake_telegram.requests]
    sent += [json.dumps(p.payload, ensure_ascii=False) for p in fake_push.pushes]
    sent += [r.body.decode("latin-1") for r in fake_push.requests]  # the encrypted bodies, as they travel
    sent += [f"{m.subject}\n{m.body}" for m in mail.outbox if m.to != [reporter.email]]
    assert len(fake_telegram.requests) >= 3 and len(fake_push.pushes) >= 3
    people = [VICTIM, SUSPECT, SUSPECT_IIN, ACCOUNT, reporter.get_full_name(), officer.get_full_name()]
    for text in sent:
        for word in (*people, *" ".join(people).split()):
            if len(word) > 3:
                assert word not in text, (word, text)


def test_quiet_hours_hold_the_reporters_push(
    reporter,
    officer,
    facility_a,
    everyone_reachable,
    fake_push,
    django_capture_on_commit_callbacks,
):
    incident = file_report(reporter, facility_a, django_capture_on_commit_callbacks)
    now = timezone.localtime()
    NotificationPreferences.objects.create(
        user=reporter,
        quiet_from=(now - dt.timedelta(hours=1)).time(),
        quiet_until=(now + dt.timedelta(hours=1)).time(),
    )
    fake_push.pushes.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cases.case_question_ask(incident=incident, actor=officer, body="?")
    assert fake_push.pushes == []
    assert Delivery.objects.filter(kind="question", status=Delivery.Status.PENDING).count() == 2


def test_a_reporter_who_turned_the_question_email_off_gets_none(
    reporter, officer, facility_a, django_capture_on_commit_callbacks
):
    incident = file_report(reporter, facility_a, django_capture_on_commit_callbacks)
    NotificationPreferences.objects.create(user=reporter, by_email=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cases.case_question_ask(incident=incident, actor=officer, body="?")
    assert [m for m in mail.outbox if reporter.email in m.to] == []
