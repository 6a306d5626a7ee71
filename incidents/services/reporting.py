"""Filing a report: drafts as the reporter types, the submit itself, and what the reporter adds later."""

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.names import name_key
from common.numbers import parse_id
from facilities.models import Department, District, Facility, PoliceDepartment, PolicePost
from incidents import events
from incidents.models import (
    Attacker,
    CaseMessage,
    DraftUpload,
    DutyLink,
    Incident,
    Injury,
    Place,
    ReportDraft,
    Status,
    Victim,
    YesNoUnknown,
)
from incidents.selectors.summaries import scope_changed
from incidents.services import drafts
from incidents.services.deadlines import incident_deadline_refresh
from incidents.services.evidence import (
    CheckedUpload,
    draft_upload_remove,
    evidence_add,
    evidence_add_later,
    upload_count_check,
    uploads_check,
)
from incidents.services.notices import notice_request
from incidents.services.notifications import case_notify
from incidents.services.routing import incident_route, reference_next
from incidents.services.tagging import assessment_of_new_incident, assessment_store_first
from incidents.workflow import WITHDRAWABLE
from legal.iin import iin_digest

SUBMIT_TRIGGER = "submitted"


class IdempotencyConflict(Exception):
    """The submission key belongs to another user's report."""


@dataclass(frozen=True)
class VictimInput:
    role: str
    duty_link: str = DutyLink.PERFORMING
    full_name: str = ""
    is_reporter: bool = False
    phone: str = ""  # another victim's, as the reporter gave it (the reporter's own is in their profile)
    medical_qualification: bool = False  # an intern, a student or a volunteer: see Victim
    medical_work: bool = False


@dataclass(frozen=True)
class AttackerInput:
    relation: str
    description: str = ""
    full_name: str = ""
    iin: str = ""
    minor: str = YesNoUnknown.UNKNOWN
    intoxicated: bool = False
    under_16: str = YesNoUnknown.UNKNOWN
    birth_date: dt.date | None = None
    not_of_sound_mind: bool = False


@dataclass(frozen=True)
class ReportInput:
    act: str
    occurred_at: dt.datetime
    facility: Facility
    place: str
    account: str
    department: Department | None = None
    district: District | None = None
    address: str = ""
    injury: str = Injury.NONE
    sick_leave_days: int | None = None
    weapon_used: bool = False
    choked: bool = False
    attackers_count: int = 1
    attackers_agreed: str = YesNoUnknown.UNKNOWN
    circumstances: list[str] = field(default_factory=list)
    witnesses: str = ""
    wants_prosecution: str = YesNoUnknown.UNKNOWN
    footage_available: bool = False
    confidential: bool = False
    # Where it goes, when the caller has asked `incident_route` already (the report form does, to say so before
    # sending): the submit does not ask again.
    route: tuple[PolicePost | None, PoliceDepartment] | None = None


# --- The submit -------------------------------------------------------------------------------------------


def _existing_submission(*, reporter: User, idempotency_key: uuid.UUID) -> Incident | None:
    incident = Incident.objects.filter(idempotency_key=idempotency_key).first()
    if incident is not None and incident.reporter_id != reporter.pk:
        raise IdempotencyConflict(str(idempotency_key))
    return incident


def incident_submit(
    *,
    reporter: User,
    report: ReportInput,
    victims: Sequence[VictimInput],
    attackers: Sequence[AttackerInput] = (),
    idempotency_key: uuid.UUID,
    uploads: Sequence[CheckedUpload] = (),
    draft: ReportDraft | None = None,
) -> Incident:
    """File a report: reference number, routing, people, evidence, legal tag, notice; once per key.

    With a draft, the draft's lock is what makes it once: a second submit of it waits, then finds the first one's
    incident (and a key taken meanwhile by another draft fails the INSERT, answered below). Without one, the key is
    looked up first.
    """
    if draft is None:
        existing = _existing_submission(reporter=reporter, idempotency_key=idempotency_key)
        if existing is not None:
            return existing
    if not victims:
        raise ValidationError(_("Say who was hurt or threatened."), code="no_victim")
    if not reporter.facility_memberships.filter(facility=report.facility).exists():
        raise PermissionDenied("The reporter does not belong to this facility.")
    try:
        with transaction.atomic():
            if draft is not None:
                # Two submits of one draft queue here; the second finds the first's incident.
                draft = ReportDraft.objects.select_for_update().get(pk=draft.pk)
                if draft.submitted_incident is not None:
                    return draft.submitted_incident
            return _create_incident(
                reporter=reporter,
                report=report,
                victims=victims,
                attackers=attackers,
                idempotency_key=idempotency_key,
                uploads=uploads,
                draft=draft,
            )
    except IntegrityError:
        existing = _existing_submission(reporter=reporter, idempotency_key=idempotency_key)
        if existing is None:
            raise
        return existing


def _create_incident(
    *,
    reporter: User,
    report: ReportInput,
    victims: Sequence[VictimInput],
    attackers: Sequence[AttackerInput],
    idempotency_key: uuid.UUID,
    uploads: Sequence[CheckedUpload],
    draft: ReportDraft | None,
) -> Incident:
    post, police_department = report.route or incident_route(
        facility=report.facility, place=report.place, district=report.district
    )
    now = timezone.now()
    away = report.place in Place.away_from_facility()
    incident = Incident(
        reference=reference_next(year=timezone.localtime(now).year),
        idempotency_key=idempotency_key,
        reporter=reporter,
        reporter_confidential=report.confidential,
        act=report.act,
        occurred_at=report.occurred_at,
        facility=report.facility,
        department=report.department,
        place=report.place,
        district=(report.district or report.facility.district) if away else None,
        address=report.address,
        account=report.account,
        injury=report.injury,
        sick_leave_days=report.sick_leave_days,
        weapon_used=report.weapon_used,
        choked=report.choked,
        attackers_count=max(report.attackers_count, len(attackers), 1),
        attackers_agreed=report.attackers_agreed,
        circumstances=sorted(set(report.circumstances)),
        witnesses=report.witnesses,
        wants_prosecution=report.wants_prosecution,
        footage_available=report.footage_available,
        police_post=post,
        police_department=police_department,
        submitted_at=now,
    )
    victim_rows = [
        Victim(
            incident=incident,
            user=reporter if victim.is_reporter else None,
            is_reporter=victim.is_reporter,
            full_name=victim.full_name,
            name_key=name_key(victim.full_name),
            phone="" if victim.is_reporter else victim.phone,
            role=victim.role,
            duty_link=victim.duty_link,
            medical_qualification=victim.medical_qualification,
            medical_work=victim.medical_work,
        )
        for victim in victims
    ]
    attacker_rows = [
        Attacker(
            incident=incident,
            relation=attacker.relation,
            description=attacker.description,
            full_name=attacker.full_name,
            name_key=name_key(attacker.full_name),
            iin=attacker.iin,
            iin_digest=iin_digest(attacker.iin) if attacker.iin else "",
            minor=attacker.minor,
            intoxicated=attacker.intoxicated,
            under_16=attacker.under_16,
            birth_date=attacker.birth_date,
            not_of_sound_mind=attacker.not_of_sound_mind,
        )
        for attacker in attackers
    ]
    # The legal tag and the stored deadline from the objects just built, so the incident is inserted with them.
    assessment, facts = assessment_of_new_incident(
        incident=incident, victims=victim_rows, attackers=attacker_rows, trigger=SUBMIT_TRIGGER, actor=reporter
    )
    incident.save(force_insert=True)
    Victim.objects.bulk_create(victim_rows)
    if attacker_rows:
        Attacker.objects.bulk_create(attacker_rows)
    kept: list[DraftUpload] = list(draft.uploads.all()) if draft is not None else []
    upload_count_check(already=len(kept), adding=len(uploads))
    files: list[CheckedUpload | DraftUpload] = [*kept, *uploads]
    evidence = [evidence_add(incident=incident, upload=item, uploaded_by=reporter) for item in files]
    submitted = events.report_submitted(
        incident=incident,
        actor=reporter,
        police_post_id=post.pk if post else None,
        police_department_id=police_department.pk,
        evidence_count=len(evidence),
    )
    submitted.incident = incident  # the notification reads the case from its event: not read back
    case_notify(event=submitted)
    assessment_store_first(
        incident=incident, assessment=assessment, facts=facts, attackers=attacker_rows, actor=reporter
    )
    scope_changed(post_ids=[incident.police_post_id], department_ids=[incident.police_department_id])
    notice_request(incident=incident, actor=reporter, new_incident=True)
    if draft is not None:
        draft.submitted_incident = incident
        draft.save(update_fields=["submitted_incident", "updated_at"])
    return incident


# --- The report form's POST ------------------------------------------------------------------------------


class ReportPostOutcome(StrEnum):
    SUBMITTED = "submitted"  # filed (or filed before under the same key): show the confirmation
    SAVED = "saved"  # a draft button (save, one more victim or attacker, remove a file): show the draft again
    INVALID = "invalid"  # errors are on the forms: show the form again with everything typed


class ReportForm(Protocol):
    """What the bound report forms give this service: validation, the typed inputs, and a place for errors."""

    def is_valid(self) -> bool: ...
    def report_input(self) -> ReportInput: ...
    def victim_inputs(self) -> list[VictimInput]: ...
    def attacker_inputs(self) -> list[AttackerInput]: ...
    def add_error(self, field: str, error: ValidationError | list[ValidationError]) -> None: ...


@dataclass
class ReportPost:
    outcome: ReportPostOutcome
    draft: ReportDraft | None = None
    incident: Incident | None = None
    # Files refused by content or count, shown as messages when the draft is shown again.
    file_errors: list[ValidationError] = field(default_factory=list)
    removed_upload: bool = False


# Buttons that save the draft and show it again instead of sending (they work without JavaScript).
DRAFT_ACTIONS = ("save", "add_victim", "add_attacker")


def report_post(
    *,
    reporter: User,
    key: uuid.UUID,
    data: dict[str, list[str]],
    files: Sequence[UploadedFile],
    action: str,
    remove_upload: str | None,
    form: ReportForm,
) -> ReportPost:
    """Everything a post of the report form does: keep the draft and its files, then save or send.

    The draft is saved first, so nothing typed or attached is lost whatever happens next; a second press of
    "Send" finds the first one's report. Raises IdempotencyConflict or PermissionDenied when the key is
    someone else's (the view answers 404).
    """
    # The draft's key is the report's: a draft already sent (a second press of "Send") is left as it was, and
    # answers with its report.
    draft = drafts.draft_save(owner=reporter, key=key, data=data)
    if draft.submitted_incident_id is not None:
        return ReportPost(ReportPostOutcome.SUBMITTED, draft=draft, incident=draft.submitted_incident)
    accepted, file_errors = uploads_check(files)
    if accepted:
        try:
            drafts.draft_files_keep(draft=draft, uploads=accepted)
        except ValidationError as exc:
            file_errors.append(exc)
    removed = bool(remove_upload)
    upload_id = parse_id(remove_upload)
    if upload_id is not None:
        draft_upload_remove(draft=draft, upload_id=upload_id)
    if removed or action in DRAFT_ACTIONS:
        return ReportPost(ReportPostOutcome.SAVED, draft=draft, file_errors=file_errors, removed_upload=removed)

    valid = form.is_valid()
    if file_errors:
        form.add_error("evidence", file_errors)
        valid = False
    if not valid:
        return ReportPost(ReportPostOutcome.INVALID, draft=draft)
    try:
        incident = incident_submit(
            reporter=reporter,
            report=form.report_input(),
            victims=form.victim_inputs(),
            attackers=form.attacker_inputs(),
            idempotency_key=key,
            draft=draft,
        )
    except ValidationError as exc:
        form.add_error("evidence" if exc.code == "too_many" else "place", exc)
        return ReportPost(ReportPostOutcome.INVALID, draft=draft)
    return ReportPost(ReportPostOutcome.SUBMITTED, draft=draft, incident=incident)


# --- After the submit: the reporter adds information and answers questions --------------------------------


def _check_reporter(incident: Incident, user: User) -> None:
    if incident.reporter_id != user.pk:
        raise PermissionDenied("Only the reporter writes to the police on this report.")


def report_info_add(
    *, incident: Incident, author: User, body: str, uploads: Sequence[CheckedUpload] = ()
) -> CaseMessage:
    """The reporter adds information (and files) to a filed report; the post sees it in the case."""
    _check_reporter(incident, author)
    with transaction.atomic():
        message = CaseMessage.objects.create(
            incident=incident, kind=CaseMessage.Kind.INFO, author=author, body=body.strip()
        )
        events.info_added(incident=incident, actor=author, message_id=message.pk)
        if uploads:
            evidence_add_later(incident=incident, uploads=list(uploads), uploaded_by=author)
    return message


@transaction.atomic
def incident_withdraw(*, incident: Incident, actor: User, reason: str) -> Incident:
    """The reporter withdraws a report the police have not registered in the ERDR; the post sees it, with why."""
    _check_reporter(incident, actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why you withdraw the report."), code="reason")
    now = timezone.now()
    # One UPDATE that checks the status: an officer registering the case at the same moment wins or loses whole.
    withdrawn = Incident.objects.filter(pk=incident.pk, status__in=WITHDRAWABLE, erdr_number="").update(
        status=Status.CANCELLED, status_changed_at=now, closed_at=now, updated_at=now, version=F("version") + 1
    )
    incident.refresh_from_db()
    if not withdrawn:
        if incident.status == Status.CANCELLED:
            raise ValidationError(_("This report is already withdrawn."), code="withdrawn")
        raise ValidationError(
            _("The police have registered this case in the ERDR: it can be withdrawn only through the police."),
            code="registered",
        )
    incident_deadline_refresh(incident=incident)
    events.report_withdrawn(incident=incident, actor=actor, reason=reason)
    return incident


def question_answer(*, question: CaseMessage, author: User, body: str) -> CaseMessage:
    """The reporter answers an officer's question, once: a second answer to it is refused."""
    if question.kind != CaseMessage.Kind.QUESTION:
        raise ValidationError(_("This message is not a question."), code="not_question")
    incident = question.incident
    _check_reporter(incident, author)
    body = body.strip()
    if not body:
        raise ValidationError(_("Write the answer."), code="blank")
    with transaction.atomic():
        # The lock queues two posts of the same form; the second then finds the first one's answer.
        CaseMessage.objects.select_for_update().filter(pk=question.pk).first()
        if question.replies.filter(kind=CaseMessage.Kind.ANSWER).exists():
            raise ValidationError(_("This question is already answered."), code="answered")
        answer = CaseMessage.objects.create(
            incident=incident, kind=CaseMessage.Kind.ANSWER, author=author, body=body, in_reply_to=question
        )
        events.question_answered(incident=incident, actor=author, message_id=answer.pk, question_id=question.pk)
    return answer
