"""The submit service (`incidents/services/reporting.py`): people, evidence, legal tag, notice, idempotency; later
information and answers; the report form's POST as one service. Routing and reference numbers are in test_routing.py,
drafts in test_drafts.py."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Profession
from incidents.models import (
    Act,
    AttackerRelation,
    CaseMessage,
    DutyLink,
    Evidence,
    Incident,
    IncidentEvent,
    Injury,
    Notice,
    YesNoUnknown,
)
from incidents.services import drafts, reporting
from incidents.services.evidence import upload_check
from incidents.services.reporting import AttackerInput, VictimInput, incident_submit
from tests import factories
from tests.incidents.reporting_support import ensure_roles, in_threads, me, photo, report_for, submit

pytestmark = pytest.mark.django_db

VALID_IIN = "900101300017"  # born 1990-01-01, check digit valid


def test_minimal_report_is_filed_tagged_routed_and_noticed(reporter, facility_a, post_a):
    incident = submit(reporter, facility_a)

    year = timezone.localdate().year
    assert incident.reference == f"ALA-{year}-000001"
    assert incident.police_post == post_a and incident.police_department == post_a.police_department
    victim = incident.victims.get()
    assert victim.is_reporter and victim.user == reporter and victim.role == Profession.NURSE
    assert incident.legal_applicable is True and incident.legal_part == 1
    assert incident.assessments.count() == 1
    submitted = incident.events.get(kind=IncidentEvent.Kind.SUBMITTED)
    assert submitted.visible_to_reporter and submitted.actor == reporter
    assert incident.events.filter(kind=IncidentEvent.Kind.TAGGED).exists()
    assert Notice.objects.get(incident=incident).status == Notice.Status.PENDING


def test_full_report_with_two_victims_and_two_attackers(reporter, facility_a):
    report = report_for(
        facility_a,
        act=Act.VIOLENCE,
        injury=Injury.VISIBLE,
        sick_leave_days=3,
        weapon_used=True,
        attackers_count=1,
        attackers_agreed=YesNoUnknown.YES,
        circumstances=["mass_riots", "mass_riots"],
        witnesses="Санитарка Айгерим",
        wants_prosecution=YesNoUnknown.YES,
        footage_available=True,
        confidential=True,
    )
    victims = [
        me(reporter),
        VictimInput(role=Profession.DOCTOR, full_name="Асель Нурланова", duty_link=DutyLink.IN_CONNECTION),
    ]
    attackers = [
        AttackerInput(relation=AttackerRelation.PATIENT, full_name="Иван Петров", iin=VALID_IIN, intoxicated=True),
        AttackerInput(relation=AttackerRelation.RELATIVE, description="мужчина лет 40", minor=YesNoUnknown.NO),
    ]
    incident = submit(reporter, facility_a, report=report, victims=victims, attackers=attackers)

    assert incident.reporter_confidential
    assert incident.attackers_count == 2  # never fewer than described
    assert incident.circumstances == ["mass_riots"]
    assert [v.role for v in incident.victims.all()] == [Profession.NURSE, Profession.DOCTOR]
    first, second = incident.attackers.all()
    assert first.iin == VALID_IIN and len(first.iin_digest) == 64
    assert second.iin == "" and second.iin_digest == ""
    # Violence against two medical workers: an aggravated part (the legal app's rules).
    assert incident.legal_applicable is True and incident.legal_part in (2, 4, 6)


def test_double_submit_with_one_key_files_one_report(reporter, facility_a):
    key = uuid.uuid4()
    first = submit(reporter, facility_a, key=key)
    again = submit(reporter, facility_a, key=key)
    assert again.pk == first.pk
    assert Incident.objects.count() == 1


def test_a_key_of_another_users_report_is_refused(reporter, other_reporter, facility_a, facility_b):
    key = uuid.uuid4()
    submit(reporter, facility_a, key=key)
    with pytest.raises(reporting.IdempotencyConflict):
        submit(other_reporter, facility_b, key=key)


def test_reporter_cannot_file_for_a_facility_they_do_not_belong_to(reporter, facility_b):
    with pytest.raises(PermissionDenied):
        submit(reporter, facility_b)
    assert not Incident.objects.exists()


def test_a_report_needs_someone_it_happened_to(reporter, facility_a):
    with pytest.raises(ValidationError):
        incident_submit(reporter=reporter, report=report_for(facility_a), victims=[], idempotency_key=uuid.uuid4())


# --- Evidence -----------------------------------------------------------------------------------------------


def test_evidence_is_stored_with_hash_and_uploader_and_draft_files_are_moved(reporter, facility_a):
    draft = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={"account": ["x"]})
    drafts.draft_files_keep(draft=draft, uploads=[upload_check(photo("kept.jpg"))])
    incident = submit(reporter, facility_a, key=draft.key, draft=draft, uploads=[upload_check(photo("new.jpg"))])

    names = sorted(e.original_name for e in incident.evidence.all())
    assert names == ["kept.jpg", "new.jpg"]
    for item in Evidence.objects.filter(incident=incident):
        assert item.uploaded_by == reporter and item.kind == Evidence.Kind.PHOTO
        with item.file.open("rb") as stored:
            import hashlib

            assert hashlib.sha256(stored.read()).hexdigest() == item.sha256
    draft.refresh_from_db()
    assert draft.submitted_incident == incident
    assert not draft.uploads.exists()


# --- Later: information and answers -----------------------------------------------------------------------


def test_reporter_adds_information_and_answers_a_question(reporter, officer, facility_a):
    incident = submit(reporter, facility_a)
    info = reporting.report_info_add(
        incident=incident, author=reporter, body=" Он вернулся. ", uploads=[upload_check(photo())]
    )
    assert info.kind == CaseMessage.Kind.INFO and info.body == "Он вернулся."
    assert incident.events.filter(kind=IncidentEvent.Kind.INFO_ADDED, visible_to_reporter=True).exists()
    assert incident.events.filter(kind=IncidentEvent.Kind.EVIDENCE_ADDED).exists()
    assert incident.evidence.count() == 1

    question = CaseMessage.objects.create(
        incident=incident, kind=CaseMessage.Kind.QUESTION, author=officer, body="Есть ли свидетели?"
    )
    answer = reporting.question_answer(question=question, author=reporter, body="Да, санитарка.")
    assert answer.in_reply_to == question and answer.kind == CaseMessage.Kind.ANSWER
    assert incident.events.filter(kind=IncidentEvent.Kind.QUESTION_ANSWERED).count() == 1


def test_only_the_reporter_writes_on_their_report(reporter, facility_lead, facility_a):
    incident = submit(reporter, facility_a)
    with pytest.raises(PermissionDenied):
        reporting.report_info_add(incident=incident, author=facility_lead, body="x")


# --- Concurrency (PostgreSQL) -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_files_one_report(postgres_db):
    ensure_roles()
    facility = factories.PolicePostFactory().facility
    nurse = factories.make_reporter(facility)
    key = uuid.uuid4()
    pks = in_threads(4, lambda i: submit(nurse, facility, key=key).pk)
    assert len(set(pks)) == 1
    assert Incident.objects.count() == 1


# --- The report form's POST, as one service ------------------------------------------------------------------


def _post(reporter, facility, key, *, action="submit", files=(), remove_upload=None, **overrides):
    from django.http import QueryDict

    from incidents.forms.report_page import ReportForms
    from incidents.services import drafts
    from tests.incidents.reporting_support import minimal_post

    data = QueryDict(mutable=True)
    for name, value in minimal_post(facility, **overrides).items():
        data.setlist(name, value if isinstance(value, list) else [value])
    form = ReportForms(user=reporter, data=data, files={})
    return reporting.report_post(
        reporter=reporter,
        key=key,
        data=drafts.draft_data_from_post(data),
        files=list(files),
        action=action,
        remove_upload=remove_upload,
        form=form,
    )


def test_report_post_saves_a_draft_without_sending(reporter, facility_a):
    key = uuid.uuid4()
    result = _post(reporter, facility_a, key, action="save", files=[photo()])
    assert result.outcome == reporting.ReportPostOutcome.SAVED
    assert result.draft.key == key and result.draft.uploads.count() == 1
    assert not Incident.objects.exists()


def test_report_post_with_errors_keeps_the_draft_and_files(reporter, facility_a):
    key = uuid.uuid4()
    result = _post(reporter, facility_a, key, files=[photo()], account="")
    assert result.outcome == reporting.ReportPostOutcome.INVALID
    assert result.draft.uploads.count() == 1 and not Incident.objects.exists()


def test_report_post_submits_once_per_key(reporter, facility_a):
    key = uuid.uuid4()
    first = _post(reporter, facility_a, key)
    again = _post(reporter, facility_a, key)
    assert first.outcome == again.outcome == reporting.ReportPostOutcome.SUBMITTED
    assert first.incident.pk == again.incident.pk and Incident.objects.count() == 1


def test_submit_stores_the_name_keys_the_search_matches_and_another_victims_phone(reporter, facility_a):
    incident = submit(
        reporter,
        facility_a,
        victims=[me(reporter), VictimInput(role="doctor", full_name="Семёнова Жанар", phone="+77027654321")],
        attackers=[AttackerInput(relation=AttackerRelation.PATIENT, full_name="Қасымов Ерлан")],
    )
    mine, other = incident.victims.all()
    assert (other.name_key, other.phone) == ("semenova zhanar", "+77027654321")
    assert mine.phone == ""  # the reporter's own phone is read from their profile, never copied
    assert incident.attackers.get().name_key == "kasimov erlan"
