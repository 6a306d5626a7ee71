"""The submit service: reference numbers, routing, people, evidence, legal tag, notice, idempotency."""

import datetime as dt
import threading
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from accounts.models import Profession
from facilities.models import PolicePost
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
    Place,
    ReportDraft,
    YesNoUnknown,
)
from incidents.services import drafts, reporting, routing
from incidents.services.evidence import upload_check
from incidents.services.reporting import AttackerInput, ReportInput, VictimInput, incident_submit
from tests import factories
from tests.incidents.reporting_support import ensure_roles, photo

pytestmark = pytest.mark.django_db

VALID_IIN = "900101300017"  # born 1990-01-01, check digit valid


def report_for(facility, **overrides) -> ReportInput:
    values = {
        "act": Act.THREAT,
        "occurred_at": timezone.now() - dt.timedelta(minutes=30),
        "facility": facility,
        "place": Place.ADMISSION,
        "account": "Угрожал избить.",
    }
    values.update(overrides)
    return ReportInput(**values)


def me(user) -> VictimInput:
    return VictimInput(role=user.profession, is_reporter=True, full_name=user.get_full_name())


def submit(reporter, facility, *, key=None, victims=None, **kwargs) -> Incident:
    return incident_submit(
        reporter=reporter,
        report=kwargs.pop("report", None) or report_for(facility),
        victims=victims or [me(reporter)],
        idempotency_key=key or uuid.uuid4(),
        **kwargs,
    )


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


def test_reference_numbers_follow_each_other_and_restart_each_year(reporter, facility_a):
    first = submit(reporter, facility_a)
    second = submit(reporter, facility_a)
    year = timezone.localdate().year
    assert (first.reference, second.reference) == (f"ALA-{year}-000001", f"ALA-{year}-000002")
    assert routing.reference_next(year=year + 1) == f"ALA-{year + 1}-000001"


def test_reference_counter_starts_after_numbers_already_issued(reporter, facility_a):
    year = timezone.localdate().year
    factories.IncidentFactory(facility=facility_a, reference=f"ALA-{year}-000041")
    assert submit(reporter, facility_a).reference == f"ALA-{year}-000042"


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


# --- Routing ----------------------------------------------------------------------------------------------


def test_report_from_a_facility_goes_to_its_active_post(reporter, facility_a, post_a):
    PolicePost.objects.create(
        code="POST-A-PLANNED",
        facility=facility_a,
        police_department=post_a.police_department,
        status=PolicePost.Status.PLANNED,
    )
    assert submit(reporter, facility_a).police_post == post_a


def test_facility_without_an_active_post_falls_back_to_its_district_police(db):
    post = factories.PolicePostFactory(status=PolicePost.Status.PLANNED)
    nurse = factories.make_reporter(post.facility)
    incident = submit(nurse, post.facility)
    assert incident.police_post is None
    assert incident.police_department == post.facility.district.police_department


def test_ambulance_crew_at_a_patients_home_goes_to_that_districts_police(db):
    station = factories.PolicePostFactory(facility=factories.FacilityFactory(kind="ambulance")).facility
    elsewhere = factories.PoliceDepartmentFactory()
    paramedic = factories.make_reporter(station, profession=Profession.PARAMEDIC)
    for place in (Place.PATIENT_HOME, Place.STREET):
        incident = submit(
            paramedic,
            station,
            report=report_for(station, place=place, district=elsewhere.district, address="мкр. Орбита-1, 5"),
        )
        assert incident.police_post is None
        assert incident.police_department == elsewhere
        assert incident.district == elsewhere.district


def test_away_from_the_facility_without_a_district_uses_the_facilitys_district(reporter, facility_a):
    incident = submit(reporter, facility_a, report=report_for(facility_a, place=Place.STREET))
    assert incident.police_post is None
    assert incident.police_department.district == facility_a.district


def test_no_police_for_the_district_is_a_clear_error(reporter, facility_a):
    nowhere = factories.DistrictFactory()
    with pytest.raises(routing.RoutingError):
        routing.incident_route(facility=facility_a, place=Place.STREET, district=nowhere)


# --- Evidence and drafts ----------------------------------------------------------------------------------


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


def test_a_submitted_draft_submits_once_and_is_not_overwritten(reporter, facility_a):
    draft = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={"account": ["first"]})
    incident = submit(reporter, facility_a, key=draft.key, draft=draft)
    assert submit(reporter, facility_a, key=uuid.uuid4(), draft=draft).pk == incident.pk
    drafts.draft_save(owner=reporter, key=draft.key, data={"account": ["later"]})
    draft.refresh_from_db()
    assert draft.data == {"account": ["first"]}


def test_draft_of_another_user_cannot_be_saved_over(reporter, other_reporter):
    draft = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={"account": ["mine"]})
    with pytest.raises(PermissionDenied):
        drafts.draft_save(owner=other_reporter, key=draft.key, data={"account": ["theirs"]})


def test_kept_report_is_merged_into_the_draft_it_continued(reporter):
    draft = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={"account": ["old"]})
    kept = drafts.report_keep(
        data={"account": ["typed while logged out"]}, uploads=[upload_check(photo())], resume_key=draft.key
    )
    claimed = drafts.kept_report_claim(kept=kept, user=reporter)
    assert claimed.pk == draft.pk
    assert claimed.data == {"account": ["typed while logged out"]}
    assert claimed.uploads.count() == 1
    assert not ReportDraft.objects.filter(pk=kept.pk).exists()


def test_kept_report_of_someone_elses_draft_is_refused(reporter, other_reporter):
    draft = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={})
    kept = drafts.report_keep(data={}, uploads=[], resume_key=draft.key)
    with pytest.raises(PermissionDenied):
        drafts.kept_report_claim(kept=kept, user=other_reporter)


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


def _in_threads(count: int, work) -> list:
    results, errors = [None] * count, []
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_get_distinct_consecutive_references(postgres_db):
    ensure_roles()
    facility = factories.PolicePostFactory().facility
    nurse = factories.make_reporter(facility)
    references = _in_threads(8, lambda i: submit(nurse, facility).reference)
    year = timezone.localdate().year
    assert sorted(references) == [f"ALA-{year}-{n:06d}" for n in range(1, 9)]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_files_one_report(postgres_db):
    ensure_roles()
    facility = factories.PolicePostFactory().facility
    nurse = factories.make_reporter(facility)
    key = uuid.uuid4()
    pks = _in_threads(4, lambda i: submit(nurse, facility, key=key).pk)
    assert len(set(pks)) == 1
    assert Incident.objects.count() == 1


def test_old_unsubmitted_drafts_and_kept_reports_are_purged(reporter, facility_a, django_capture_on_commit_callbacks):
    import io
    import os

    from django.core.management import call_command

    old = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={})
    kept = drafts.report_keep(data={}, uploads=[upload_check(photo())], resume_key=None)
    stored = kept.uploads.get().file.path
    fresh = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={})
    sent = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={})
    submit(reporter, facility_a, key=sent.key, draft=sent)
    month_ago = timezone.now() - dt.timedelta(days=31)
    ReportDraft.objects.filter(pk__in=[old.pk, kept.pk, sent.pk]).update(updated_at=month_ago)

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_drafts", "--days", "30", stdout=out)
    assert out.getvalue().startswith("2 ")
    assert set(ReportDraft.objects.values_list("pk", flat=True)) == {fresh.pk, sent.pk}
    assert not os.path.exists(stored)


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
