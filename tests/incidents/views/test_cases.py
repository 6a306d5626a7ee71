"""The police side's pages (`incidents/views/cases.py`): the inbox, the case page and its actions."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from common.emails import email_sweep
from common.models import OutgoingEmail
from incidents.models import Attacker, CaseMessage, Incident, IncidentEvent, Outcome, Status
from incidents.tasks import case_question_email_task
from tests import factories
from tests.celery_support import celery_broker, take_published
from tests.incidents.case_support import acknowledged

VALID_IIN = "900101300017"  # born 1 Jan 1990, check digit valid


def ask_in_the_view(client, officer, incident, body="Who saw it?"):
    client.force_login(officer)
    return client.post(
        reverse("incidents:case_action", args=[incident.pk, "question"]),
        {"question-version": incident.version, "question-body": body},
    )


def test_question_email_is_a_task_queued_on_commit_not_sent_in_the_request(
    client, incident, officer, reporter, django_capture_on_commit_callbacks
):
    with celery_broker("memory://") as app:  # a real broker queue, no worker: tasks wait in it
        take_published(app)
        with django_capture_on_commit_callbacks(execute=True):
            response = ask_in_the_view(client, officer, incident)
        published = take_published(app)
    assert response.status_code == 302
    question = incident.messages.get(kind=CaseMessage.Kind.QUESTION)
    assert mail.outbox == []  # a slow mail server cannot hang the officer's request
    assert published == [("incidents.case_question_email_task", [question.pk])]
    assert OutgoingEmail.objects.get(kind="case-question", object_id=question.pk).status == OutgoingEmail.Status.PENDING
    # The worker runs it.
    assert case_question_email_task.apply(args=[question.pk]).get() is True
    assert [m.to for m in mail.outbox] == [[reporter.email]]


def test_broker_down_when_a_question_is_asked_the_sweep_sends_it_later(
    client, incident, officer, reporter, django_capture_on_commit_callbacks
):
    with celery_broker("redis://127.0.0.1:9/0"):  # nothing listens on the discard port
        with django_capture_on_commit_callbacks(execute=True):
            response = ask_in_the_view(client, officer, incident)
    assert response.status_code == 302  # the question is asked all the same
    question = incident.messages.get(kind=CaseMessage.Kind.QUESTION)
    email = OutgoingEmail.objects.get(kind="case-question", object_id=question.pk)
    assert (email.status, email.attempts) == (OutgoingEmail.Status.PENDING, 0)
    assert mail.outbox == []
    # The broker is back: the sweep queues it, once.
    assert email_sweep(older_than_seconds=0) == 1
    assert email_sweep(older_than_seconds=0) == 0
    assert [m.to for m in mail.outbox] == [[reporter.email]]


def test_inbox_shows_only_own_posts_cases_newest_first(client, officer, incident, facility_a, facility_b):
    older = factories.IncidentFactory(facility=facility_a, submitted_at=timezone.now() - dt.timedelta(days=1))
    foreign = factories.IncidentFactory(facility=facility_b)
    client.force_login(officer)
    response = client.get(reverse("incidents:case_inbox"))
    assert response.status_code == 200
    page = [case.pk for case in response.context["page"]]
    assert page == [incident.pk, older.pk]
    assert foreign.reference not in response.content.decode()
    assert response.context["counts"][Status.SUBMITTED] == 2


def test_inbox_filters_and_search(client, officer, incident, facility_a):
    other = factories.IncidentFactory(facility=facility_a)
    Incident.objects.filter(pk=other.pk).update(legal_part=3, status=Status.ACKNOWLEDGED)
    client.force_login(officer)
    pks = lambda **q: [c.pk for c in client.get(reverse("incidents:case_inbox"), q).context["page"]]  # noqa: E731
    assert pks(q=incident.reference[-6:]) == [incident.pk]
    assert pks(status=Status.ACKNOWLEDGED) == [other.pk]
    assert pks(part="3") == [other.pk]
    assert pks(part="0") == [incident.pk]
    assert pks(period_from=(timezone.localdate() + dt.timedelta(days=1)).isoformat()) == []
    assert pks(overdue="on") == []
    factories.incident_update(incident, submitted_at=timezone.now() - dt.timedelta(hours=2))
    assert pks(overdue="on") == [incident.pk]


def test_inbox_paginates(client, officer, facility_a):
    for _ in range(27):
        factories.IncidentFactory(facility=facility_a)
    client.force_login(officer)
    first = client.get(reverse("incidents:case_inbox"))
    second = client.get(reverse("incidents:case_inbox"), {"page": 2})
    assert len(first.context["page"]) == 25 and len(second.context["page"]) == 2


def test_inbox_poll_reports_newest_case(client, officer, incident, facility_a):
    client.force_login(officer)
    data = client.get(reverse("incidents:case_inbox_poll")).json()
    assert data["latest_id"] == incident.pk and data["new"] == 1
    newer = factories.IncidentFactory(facility=facility_a)
    data = client.get(reverse("incidents:case_inbox_poll")).json()
    assert data["latest_id"] == newer.pk and data["counts"]["submitted"] == 2
    partial = client.get(reverse("incidents:case_inbox"), {"partial": "list"})
    assert newer.reference in partial.content.decode() and "<html" not in partial.content.decode()


@pytest.mark.parametrize("name", ["case_inbox", "case_inbox_poll"])
def test_inbox_is_forbidden_to_reporters(client, officer, reporter, name):
    # A kind of page, not a case: 403 to a role without case work (accounts/permissions.py).
    client.force_login(officer)
    assert client.get(reverse(f"incidents:{name}")).status_code == 200
    client.force_login(reporter)
    assert client.get(reverse(f"incidents:{name}")).status_code == 403


def test_case_page_shows_facts_iin_and_timeline(client, officer, incident):
    Attacker.objects.create(incident=incident, full_name="Петров Пётр", iin=VALID_IIN)
    client.force_login(officer)
    response = client.get(reverse("incidents:case_detail", args=[incident.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert incident.reference in body and VALID_IIN in body and "Петров Пётр" in body
    assert incident.events.filter(kind=IncidentEvent.Kind.VIEWED, actor=officer).count() == 1


def test_account_html_is_escaped_on_case_page(client, officer, incident):
    Incident.objects.filter(pk=incident.pk).update(account="<script>alert(1)</script><img src=x>")
    client.force_login(officer)
    body = client.get(reverse("incidents:case_detail", args=[incident.pk])).content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body


def test_other_post_officer_gets_404_on_case_evidence_and_notice(client, other_officer, incident):
    from django.core.files.base import ContentFile

    from incidents.models import Evidence, Notice

    evidence = Evidence(
        incident=incident,
        kind="photo",
        original_name="a.jpg",
        content_type="image/jpeg",
        size=3,
        sha256="0" * 64,
        uploaded_by=incident.reporter,
    )
    evidence.file.save("a", ContentFile(b"abc"))
    notice = Notice.objects.create(incident=incident, version=incident.version, status=Notice.Status.READY)
    notice.file.save("n.pdf", ContentFile(b"%PDF-1.7"))
    client.force_login(other_officer)
    urls = [
        reverse("incidents:case_detail", args=[incident.pk]),
        reverse("incidents:case_evidence_download", args=[incident.pk, evidence.pk]),
        reverse("incidents:case_notice_download", args=[incident.pk, notice.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("incidents:case_action", args=[incident.pk, "acknowledge"]),
            {"acknowledge-version": incident.version},
        ).status_code
        == 404
    )


def test_reporter_cannot_post_police_actions(client, reporter, incident):
    client.force_login(reporter)
    response = client.post(
        reverse("incidents:case_action", args=[incident.pk, "acknowledge"]), {"acknowledge-version": incident.version}
    )
    assert response.status_code == 404
    assert Incident.objects.get(pk=incident.pk).status == Status.SUBMITTED


def test_acknowledge_through_view_then_stale_form_gets_409_with_new_state(client, officer, incident):
    client.force_login(officer)
    url = reverse("incidents:case_action", args=[incident.pk, "acknowledge"])
    response = client.post(url, {"acknowledge-version": incident.version})
    assert response.status_code == 302
    stale = client.post(url, {"acknowledge-version": incident.version}, headers={"Accept-Language": "en"})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Another officer changed this case" in body
    assert 'data-status="acknowledged"' in body


def test_erdr_form_errors_are_shown(client, officer, incident):
    incident = acknowledged(incident, officer)
    client.force_login(officer)
    response = client.post(
        reverse("incidents:case_action", args=[incident.pk, "erdr"]),
        {
            "erdr-version": incident.version,
            "erdr-erdr_number": "abc",
            "erdr-registered_on": timezone.localdate().isoformat(),
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "6 to 32 digits" in response.content.decode()


def test_close_form_requires_reason_for_refusal(client, officer, incident):
    incident = acknowledged(incident, officer)
    client.force_login(officer)
    response = client.post(
        reverse("incidents:case_action", args=[incident.pk, "close"]),
        {"close-version": incident.version, "close-outcome": Outcome.REFUSED},
    )
    assert response.status_code == 400
    assert Incident.objects.get(pk=incident.pk).status == Status.ACKNOWLEDGED


def test_part_filter_labels_follow_the_request_language(client, officer):
    client.force_login(officer)
    response = client.get(reverse("incidents:case_inbox"), HTTP_ACCEPT_LANGUAGE="kk")
    html = response.content.decode()
    assert "1-бөлік" in html
    assert "часть 1" not in html


def test_stale_form_keeps_what_the_officer_typed_on_the_new_version(client, officer, incident):
    client.force_login(officer)
    stale_version = incident.version
    acknowledged(incident, officer)  # a colleague acts first
    reason = "Видеозапись показывает удар без последствий для здоровья"
    response = client.post(
        reverse("incidents:case_action", args=[incident.pk, "override"]),
        {"override-version": stale_version, "override-part": "3", "override-reason": reason},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert reason in body  # not lost: they check the new state and send it again
    current = Incident.objects.get(pk=incident.pk)
    assert f'name="override-version" value="{current.version}"' in body
    assert current.legal_part is None and not current.part_overrides.exists()
