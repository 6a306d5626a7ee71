"""The case actions as services (`incidents/services/cases.py`): checked, locked, audited."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from common.emails import email_sweep
from incidents.models import CaseMessage, Incident, IncidentEvent, Outcome, Status
from incidents.services import cases, reporting
from incidents.tasks import case_overdue_email_task, case_question_email_task
from tests import factories
from tests.celery_support import celery_broker
from tests.incidents.case_support import acknowledged, registered, under_investigation

VALID_IIN = "900101300017"  # born 1 Jan 1990, check digit valid


def kinds(incident):
    return list(incident.events.values_list("kind", flat=True))


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


def test_under_investigation_keeps_the_case_registered_and_open(incident, officer):
    incident = under_investigation(registered(incident, officer), officer)
    assert incident.status == Status.REGISTERED
    assert incident.outcome == Outcome.UNDER_INVESTIGATION
    assert incident.closed_at is None
    assert not incident.events.filter(kind=IncidentEvent.Kind.CLOSED).exists()
    event = incident.events.get(kind=IncidentEvent.Kind.OUTCOME_RECORDED)
    assert event.data["outcome"] == Outcome.UNDER_INVESTIGATION and event.actor == officer
    assert event.visible_to_reporter  # good news for the nurse: the case is being investigated
    # The investigation goes on: the officer can still ask, and later record the final outcome.
    cases.case_question_ask(incident=incident, actor=officer, body="Есть ли видео?")
    incident = cases.case_close(
        incident=incident, actor=officer, expected_version=incident.version, outcome=Outcome.SENT_TO_COURT
    )
    assert incident.status == Status.SENT_TO_COURT and incident.closed_at is not None


def test_under_investigation_is_recorded_once(incident, officer):
    incident = under_investigation(registered(incident, officer), officer)
    with translation.override("en"), pytest.raises(cases.CaseActionRefused) as refused:
        under_investigation(incident, officer)
    assert "already recorded" in refused.value.message
    assert incident.events.filter(kind=IncidentEvent.Kind.OUTCOME_RECORDED).count() == 1


def test_under_investigation_needs_the_erdr_registration(incident, officer):
    incident = cases.case_acknowledge(incident=incident, actor=officer, expected_version=incident.version)
    with pytest.raises(cases.CaseActionRefused):
        under_investigation(incident, officer)
    assert Incident.objects.get(pk=incident.pk).status == Status.ACKNOWLEDGED
