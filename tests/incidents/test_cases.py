"""The police side: case actions as services (state rules, optimistic locking, audit) and their views."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from common.emails import email_sweep
from common.models import OutgoingEmail
from incidents.models import Attacker, CaseMessage, Incident, IncidentEvent, Outcome, Status
from incidents.services import cases, reporting
from incidents.tasks import case_overdue_email_task, case_question_email_task
from tests import factories
from tests.celery_support import celery_broker, take_published
from tests.incidents.case_support import acknowledged, registered

VALID_IIN = "900101300017"  # born 1 Jan 1990, check digit valid


def kinds(incident):
    return list(incident.events.values_list("kind", flat=True))


# --- services -----------------------------------------------------------------------------------------


def test_acknowledge_sets_who_and_when_bumps_version_and_writes_event(incident, officer):
    before = incident.version
    incident = acknowledged(incident, officer)
    assert incident.status == Status.ACKNOWLEDGED
    assert incident.acknowledged_by == officer
    assert incident.acknowledged_at is not None and incident.status_changed_at is not None
    assert incident.version == before + 1
    event = incident.events.get(kind=IncidentEvent.Kind.ACKNOWLEDGED)
    assert event.actor == officer and event.visible_to_reporter


def test_second_officer_with_stale_version_is_told_and_nothing_is_overwritten(incident, officer, post_a):
    colleague = factories.make_officer(post_a, username="colleague")
    stale = Incident.objects.get(pk=incident.pk)
    acknowledged(incident, officer)
    with translation.override("en"), pytest.raises(cases.CaseConflict) as refused:
        cases.case_acknowledge(incident=stale, actor=colleague, expected_version=stale.version)
    assert "Another officer changed this case" in refused.value.message
    # The loser's object now shows the new state, and the winner's acknowledgement stands.
    assert stale.status == Status.ACKNOWLEDGED and stale.acknowledged_by == officer
    assert incident.events.filter(kind=IncidentEvent.Kind.ACKNOWLEDGED).count() == 1


def test_concurrent_registrations_one_wins(incident, officer, post_a):
    colleague = factories.make_officer(post_a, username="colleague")
    incident = acknowledged(incident, officer)
    copy = Incident.objects.get(pk=incident.pk)
    cases.case_erdr_register(
        incident=incident,
        actor=officer,
        expected_version=incident.version,
        erdr_number="111111111",
        registered_on=timezone.localdate(),
    )
    with pytest.raises(cases.CaseConflict):
        cases.case_erdr_register(
            incident=copy,
            actor=colleague,
            expected_version=copy.version,
            erdr_number="222222222",
            registered_on=timezone.localdate(),
        )
    assert Incident.objects.get(pk=incident.pk).erdr_number == "111111111"


@pytest.mark.parametrize("status", [Status.ACKNOWLEDGED, Status.REGISTERED, Status.CLOSED, Status.CANCELLED])
def test_acknowledge_refused_unless_submitted(incident, officer, status):
    Incident.objects.filter(pk=incident.pk).update(status=status)
    incident.refresh_from_db()
    with translation.override("en"), pytest.raises(cases.CaseActionRefused) as refused:
        acknowledged(incident, officer)
    assert "Not possible while the case is" in refused.value.message
    assert not incident.events.filter(kind=IncidentEvent.Kind.ACKNOWLEDGED).exists()


def test_erdr_registration_refused_before_acknowledgement(incident, officer):
    with pytest.raises(cases.CaseActionRefused):
        cases.case_erdr_register(
            incident=incident,
            actor=officer,
            expected_version=incident.version,
            erdr_number="123456789",
            registered_on=timezone.localdate(),
        )


@pytest.mark.parametrize("number", ["12ab5678", "123", "1" * 40, ""])
def test_erdr_number_must_be_digits(incident, officer, number):
    incident = acknowledged(incident, officer)
    with pytest.raises(ValidationError):
        cases.case_erdr_register(
            incident=incident,
            actor=officer,
            expected_version=incident.version,
            erdr_number=number,
            registered_on=timezone.localdate(),
        )


def test_erdr_number_loose_format_is_normalised(incident, officer):
    incident = acknowledged(incident, officer)
    incident = cases.case_erdr_register(
        incident=incident,
        actor=officer,
        expected_version=incident.version,
        erdr_number=" 2617-5003 1000 124 ",
        registered_on=timezone.localdate(),
    )
    assert incident.erdr_number == "261750031000124"


def test_erdr_date_in_future_refused(incident, officer):
    incident = acknowledged(incident, officer)
    with pytest.raises(ValidationError):
        cases.case_erdr_register(
            incident=incident,
            actor=officer,
            expected_version=incident.version,
            erdr_number="123456789",
            registered_on=timezone.localdate() + dt.timedelta(days=1),
        )


def test_deadline_counts_from_registration_by_procedure(incident, officer):
    from incidents.selectors.cases import case_deadline

    occurred = timezone.make_aware(dt.datetime(2026, 3, 20, 10, 0))
    incident = factories.incident_update(incident, legal_part=1, legal_applicable=True, occurred_at=occurred)
    incident = registered(incident, officer, on=dt.date(2026, 3, 31))
    assert incident.events.filter(kind=IncidentEvent.Kind.ERDR_REGISTERED).exists()
    # No assessment row yet: the part decides (1-3 inquiry, 1 month; 4-6 investigation, 2 months).
    deadline = case_deadline(incident, today=dt.date(2026, 4, 20))
    assert (deadline.procedure, deadline.due, deadline.days_left) == ("inquiry", dt.date(2026, 4, 30), 10)
    incident = factories.incident_update(incident, legal_part=4)
    deadline = case_deadline(incident, today=dt.date(2026, 6, 1))
    assert (deadline.procedure, deadline.due, deadline.overdue) == (
        "preliminary_investigation",
        dt.date(2026, 5, 31),
        True,
    )


def test_question_goes_to_reporter_who_answers_once(
    incident, officer, reporter, other_reporter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = cases.case_question_ask(incident=incident, actor=officer, body="  Who saw it?  ")
    assert question.kind == CaseMessage.Kind.QUESTION and question.body == "Who saw it?"
    assert IncidentEvent.Kind.QUESTION_ASKED in kinds(incident)
    assert [m.to for m in mail.outbox] == [[reporter.email]]
    with pytest.raises(PermissionDenied):
        reporting.question_answer(question=question, author=other_reporter, body="me")
    with pytest.raises(ValidationError) as blank:
        reporting.question_answer(question=question, author=reporter, body="   ")
    assert blank.value.code == "blank"
    answer = reporting.question_answer(question=question, author=reporter, body="The guard.")
    assert answer.in_reply_to == question
    with pytest.raises(ValidationError) as again:
        reporting.question_answer(question=question, author=reporter, body="again")
    assert again.value.code == "answered"
    assert question.replies.count() == 1


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


def test_question_email_task_run_twice_sends_once_with_the_subject_from_its_template(
    incident, officer, reporter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = cases.case_question_ask(incident=incident, actor=officer, body="Who saw it?")
    assert case_question_email_task.apply(args=[question.pk]).get() is False
    assert len(mail.outbox) == 1
    # In the site's language (Russian), as before.
    assert mail.outbox[0].subject == f"Полиция задала вопрос по вашему сообщению {incident.reference}"
    assert "/incidents/mine/" in mail.outbox[0].body


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


def test_question_refused_on_closed_case(incident, officer):
    incident = acknowledged(incident, officer)
    incident = cases.case_close(
        incident=incident, actor=officer, expected_version=incident.version, outcome=Outcome.NO_OFFENCE
    )
    with pytest.raises(cases.CaseActionRefused):
        cases.case_question_ask(incident=incident, actor=officer, body="?")


def test_close_refused_needs_reason(incident, officer):
    incident = acknowledged(incident, officer)
    with pytest.raises(ValidationError):
        cases.case_close(
            incident=incident, actor=officer, expected_version=incident.version, outcome=Outcome.REFUSED, reason="  "
        )
    incident = cases.case_close(
        incident=incident,
        actor=officer,
        expected_version=incident.version,
        outcome=Outcome.REFUSED,
        reason="The victim withdrew the complaint.",
    )
    assert incident.status == Status.CLOSED and incident.outcome == Outcome.REFUSED
    assert incident.closed_at is not None
    assert incident.events.get(kind=IncidentEvent.Kind.CLOSED).visible_to_reporter


def test_court_outcome_needs_erdr_registration(incident, officer):
    incident = acknowledged(incident, officer)
    with translation.override("en"), pytest.raises(cases.CaseActionRefused) as refused:
        cases.case_close(
            incident=incident, actor=officer, expected_version=incident.version, outcome=Outcome.SENT_TO_COURT
        )
    assert "ERDR" in refused.value.message
    incident = cases.case_erdr_register(
        incident=incident,
        actor=officer,
        expected_version=incident.version,
        erdr_number="123456789",
        registered_on=timezone.localdate(),
    )
    incident = cases.case_close(
        incident=incident, actor=officer, expected_version=incident.version, outcome=Outcome.SENT_TO_COURT
    )
    assert incident.status == Status.SENT_TO_COURT


def test_closed_case_refuses_every_action(incident, officer, post_b):
    incident = acknowledged(incident, officer)
    incident = cases.case_close(
        incident=incident, actor=officer, expected_version=incident.version, outcome=Outcome.NO_OFFENCE
    )
    version = incident.version
    attempts = [
        lambda: cases.case_acknowledge(incident=incident, actor=officer, expected_version=version),
        lambda: cases.case_erdr_register(
            incident=incident,
            actor=officer,
            expected_version=version,
            erdr_number="123456789",
            registered_on=timezone.localdate(),
        ),
        lambda: cases.case_forensic_record(incident=incident, actor=officer, expected_version=version, harm="light"),
        lambda: cases.case_suspect_identify(
            incident=incident, actor=officer, expected_version=version, full_name="A B", iin=VALID_IIN
        ),
        lambda: cases.case_part_override(
            incident=incident, actor=officer, expected_version=version, part=3, reason="x"
        ),
        lambda: cases.case_hand_over(incident=incident, actor=officer, expected_version=version, post=post_b),
        lambda: cases.case_close(
            incident=incident, actor=officer, expected_version=version, outcome=Outcome.NO_OFFENCE
        ),
    ]
    for attempt in attempts:
        with pytest.raises(cases.CaseActionRefused):
            attempt()
    assert Incident.objects.get(pk=incident.pk).version == version


def test_reporter_and_other_post_cannot_act_as_police(incident, reporter, other_officer, facility_lead):
    for actor in (reporter, other_officer, facility_lead):
        with pytest.raises(PermissionDenied):
            cases.case_acknowledge(incident=incident, actor=actor, expected_version=incident.version)
        with pytest.raises(PermissionDenied):
            cases.case_question_ask(incident=incident, actor=actor, body="?")
    assert Incident.objects.get(pk=incident.pk).status == Status.SUBMITTED


def test_hand_over_moves_case_to_new_post_as_new(incident, officer, other_officer, post_b):
    incident = acknowledged(incident, officer)
    incident = cases.case_hand_over(
        incident=incident,
        actor=officer,
        expected_version=incident.version,
        post=post_b,
        reason="Happened in their district",
    )
    assert incident.police_post == post_b and incident.status == Status.SUBMITTED
    assert incident.acknowledged_by is None
    event = incident.events.get(kind=IncidentEvent.Kind.HANDED_OVER)
    assert event.data["to_post"] == post_b.pk
    # A new notice for the new version, and the case now belongs to the other post.
    assert incident.notices.filter(version=incident.version).exists()
    with pytest.raises(PermissionDenied):
        cases.case_acknowledge(incident=incident, actor=officer, expected_version=incident.version)
    cases.case_acknowledge(incident=incident, actor=other_officer, expected_version=incident.version)


def test_hand_over_to_same_post_refused(incident, officer, post_a):
    with pytest.raises(cases.CaseActionRefused):
        cases.case_hand_over(incident=incident, actor=officer, expected_version=incident.version, post=post_a)


def test_suspect_identified_validates_iin_and_stores_digest(incident, officer):
    from legal.iin import iin_digest

    incident = acknowledged(incident, officer)
    with pytest.raises(ValidationError):
        cases.case_suspect_identify(
            incident=incident,
            actor=officer,
            expected_version=incident.version,
            full_name="Иванов Иван",
            iin="900101300018",
        )
    attacker = cases.case_suspect_identify(
        incident=incident, actor=officer, expected_version=incident.version, full_name=" Иванов  Иван ", iin=VALID_IIN
    )
    attacker.refresh_from_db()
    assert attacker.full_name == "Иванов Иван" and attacker.identified_by_police
    assert attacker.iin_digest == iin_digest(VALID_IIN)
    event = incident.events.get(kind=IncidentEvent.Kind.SUSPECT_IDENTIFIED)
    assert VALID_IIN not in str(event.data)


def test_forensic_result_recorded_and_notice_requested(incident, officer):
    incident = acknowledged(incident, officer)
    incident = cases.case_forensic_record(
        incident=incident, actor=officer, expected_version=incident.version, harm="light"
    )
    assert incident.forensic_harm == "light" and incident.forensic_recorded_at
    assert IncidentEvent.Kind.FORENSIC_RECORDED in kinds(incident)
    assert incident.notices.filter(version=incident.version).exists()


# --- overdue ------------------------------------------------------------------------------------------


def test_overdue_flagged_once_per_state_and_post_and_lead_told(
    incident, officer, facility_lead, settings, django_capture_on_commit_callbacks
):
    factories.incident_update(incident, submitted_at=timezone.now() - dt.timedelta(minutes=61))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert cases.case_overdue_notify() == 1
    assert cases.case_overdue_notify() == 0  # idempotent
    assert incident.events.filter(kind=IncidentEvent.Kind.OVERDUE).count() == 1
    recipients = {address for message in mail.outbox for address in message.to}
    assert incident.police_post.email in recipients and facility_lead.email in recipients
    # Acknowledged: a new state with its own limit; not overdue yet.
    incident.refresh_from_db()
    incident = acknowledged(incident, officer)
    assert cases.case_overdue_notify() == 0
    later = timezone.now() + dt.timedelta(hours=settings.QORGAU_REGISTER_DEADLINE_HOURS + 1)
    assert cases.case_overdue_notify(now=later) == 1
    assert cases.case_overdue_notify(now=later) == 0


def test_overdue_email_task_run_twice_sends_once_and_names_the_status_that_ran_late(
    incident, officer, facility_lead, django_capture_on_commit_callbacks
):
    factories.incident_update(incident, submitted_at=timezone.now() - dt.timedelta(minutes=61))
    with django_capture_on_commit_callbacks(execute=False):  # queued; the worker is busy
        assert cases.case_overdue_notify() == 1
    event = incident.events.get(kind=IncidentEvent.Kind.OVERDUE)
    incident.refresh_from_db()
    acknowledged(incident, officer)  # meanwhile the case moves on
    assert case_overdue_email_task.apply(args=[event.pk]).get() is True
    assert case_overdue_email_task.apply(args=[event.pk]).get() is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [incident.police_post.email, facility_lead.email]
    assert message.subject == f"Просроченное дело {incident.reference}"  # its template, in the site's language
    with translation.override("ru"):
        assert f"«{Status.SUBMITTED.label}»" in message.body


def test_broker_down_when_a_case_runs_late_the_sweep_sends_the_warning_later(
    incident, facility_lead, django_capture_on_commit_callbacks
):
    factories.incident_update(incident, submitted_at=timezone.now() - dt.timedelta(minutes=61))
    with celery_broker("redis://127.0.0.1:9/0"):
        with django_capture_on_commit_callbacks(execute=True):
            assert cases.case_overdue_notify() == 1
    assert mail.outbox == []
    assert email_sweep(older_than_seconds=0) == 1
    assert {address for message in mail.outbox for address in message.to} == {
        incident.police_post.email,
        facility_lead.email,
    }


def test_case_within_limit_not_overdue(incident):
    assert cases.case_overdue_notify() == 0


# --- views --------------------------------------------------------------------------------------------


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


def test_part_changed_by_hand_sets_the_procedure_and_deadline(incident, officer):
    from incidents.selectors.cases import case_deadline
    from incidents.services.tagging import incident_assess

    # Violence with light harm: part 5, preliminary investigation (2 months).
    occurred = timezone.make_aware(dt.datetime(2026, 11, 1, 10, 0))
    Incident.objects.filter(pk=incident.pk).update(act="violence", forensic_harm="light", occurred_at=occurred)
    incident.refresh_from_db()
    incident_assess(incident=incident, trigger="submitted")
    incident = registered(incident, officer, on=dt.date(2026, 11, 2))
    assert case_deadline(incident).procedure == "preliminary_investigation"
    # The officer changes the part to 3: with the suspect unknown it stays a preliminary investigation
    # (CPC 189 p.3)…
    incident = cases.case_part_override(
        incident=incident, actor=officer, expected_version=incident.version, part=3, reason="Проверено по видео"
    )
    assert incident.legal_part == 3
    assert case_deadline(incident).procedure == "preliminary_investigation"
    # …and once the suspect is known, part 3 is an inquiry: one month from registration.
    cases.case_suspect_identify(
        incident=incident, actor=officer, expected_version=incident.version, full_name="Иванов Пётр", iin=VALID_IIN
    )
    incident.refresh_from_db()
    assert incident.legal_part == 3
    deadline = case_deadline(incident, today=dt.date(2026, 11, 22))
    assert (deadline.procedure, deadline.due) == ("inquiry", dt.date(2026, 12, 2))


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
