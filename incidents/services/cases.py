"""What a police officer does with a case. Each action is one service: checked, locked, audited.

Every state change is an optimistic-locked UPDATE on `Incident.version`: the officer's form carries
the version they saw, and when another officer changed the case meanwhile the UPDATE matches no row,
the action is refused with `CaseConflict` and the officer sees the new state. Nothing is overwritten.
"""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import NotificationKind, User
from common.emails import email_queue, email_send
from common.names import name_key
from facilities.models import PolicePost
from incidents import access, events
from incidents.models import (
    EARLIEST_RECORD_DATE,
    Attacker,
    CaseMessage,
    ForensicHarm,
    Incident,
    IncidentEvent,
    Outcome,
    Status,
)
from incidents.selectors.cases import is_overdue, overdue_candidates
from incidents.selectors.notices import case_url
from incidents.selectors.summaries import scope_changed
from incidents.services.deadlines import incident_deadline_refresh
from incidents.services.notices import notice_recipients, notice_request
from incidents.services.notifications import case_notify, reporter_wants_email
from incidents.services.tagging import (
    attacker_set_iin,
    episode_link_clear,
    episode_link_set,
    incident_assess,
    part_override_set,
)
from incidents.workflow import LEAD_WATCHED_STATUSES, allowed_from
from legal.iin import validate_iin

logger = logging.getLogger(__name__)


class CaseActionRefused(Exception):
    """The action is not allowed in the case's current state; `message` says why, translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CaseConflict(CaseActionRefused):
    """Someone else changed the case since the officer loaded it."""


def clean_erdr_number(value: str) -> str:
    """Digits only (spaces and dashes dropped), 6 to 32 of them: the ERDR number format is not published."""
    digits = "".join(ch for ch in str(value) if ch not in " -\u00a0")
    # ASCII digits only: str.isdigit() also takes Arabic-Indic and other scripts' digits.
    if not (digits.isascii() and digits.isdigit()) or not 6 <= len(digits) <= 32:
        raise ValidationError(_("An ERDR number is 6 to 32 digits."), code="erdr_number")
    return digits


def clean_erdr_registered_on(value: dt.date, *, incident: Incident) -> dt.date:
    """Not before Qorgau's records start, not in the future, not before the incident."""
    if value < EARLIEST_RECORD_DATE:
        raise ValidationError(
            _("Check the date: it is before %(year)s.") % {"year": EARLIEST_RECORD_DATE.year}, code="too_early"
        )
    if value > timezone.localdate():
        raise ValidationError(_("The registration date cannot be in the future."), code="future")
    if value < timezone.localdate(incident.occurred_at):
        raise ValidationError(_("The registration date cannot be before the incident."), code="before_incident")
    return value


def _check_officer(*, actor: User, incident: Incident) -> None:
    if not access.incidents_for_officer(actor).filter(pk=incident.pk).exists():
        raise PermissionDenied(_("Only an officer of the case's police post can do this."))


def _refuse_state(incident: Incident) -> CaseActionRefused:
    return CaseActionRefused(
        _("Not possible while the case is “%(status)s”.") % {"status": incident.get_status_display()}
    )


def _transition(
    *, incident: Incident, actor: User, expected_version: int, allowed: frozenset[str], **changes: Any
) -> Incident:
    """Apply `changes` if the case is still at `expected_version` and in an allowed status; bump the version."""
    _check_officer(actor=actor, incident=incident)
    if incident.version != expected_version:
        incident.refresh_from_db()
        raise CaseConflict(
            _("Another officer changed this case a moment ago. Here is its new state; check it and try again.")
        )
    if incident.status not in allowed:
        raise _refuse_state(incident)
    now = timezone.now()
    if "status" in changes or "police_post" in changes:
        changes.setdefault("status_changed_at", now)
    if "police_post" in changes:  # the post it leaves counts one case fewer (the new one: deadline refresh below)
        scope_changed(post_ids=[incident.police_post_id], department_ids=[incident.police_department_id])
    updated = Incident.objects.filter(pk=incident.pk, version=expected_version, status__in=allowed).update(
        version=F("version") + 1,
        updated_at=now,
        **changes,
    )
    incident.refresh_from_db()
    if not updated:
        if incident.version != expected_version:
            raise CaseConflict(
                _("Another officer changed this case a moment ago. Here is its new state; check it and try again.")
            )
        raise _refuse_state(incident)
    incident_deadline_refresh(incident=incident)
    return incident


def case_view(*, incident: Incident, actor: User) -> None:
    """An officer opened the case: the first visit of each officer goes into the history."""
    events.case_viewed(incident=incident, actor=actor)


@transaction.atomic
def case_acknowledge(*, incident: Incident, actor: User, expected_version: int) -> Incident:
    """The post has seen the case and takes it on."""
    incident = _transition(
        incident=incident,
        actor=actor,
        expected_version=expected_version,
        allowed=allowed_from("acknowledge"),
        status=Status.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
        acknowledged_by=actor,
    )
    events.case_acknowledged(incident=incident, actor=actor)
    return incident


@transaction.atomic
def case_question_ask(*, incident: Incident, actor: User, body: str) -> CaseMessage:
    """A question to the reporter, who answers it in "My reports"."""
    _check_officer(actor=actor, incident=incident)
    incident.refresh_from_db(fields=["status"])
    if incident.status not in allowed_from("question"):
        raise _refuse_state(incident)
    body = body.strip()
    if not body:
        raise CaseActionRefused(_("Write the question."))
    message = CaseMessage.objects.create(incident=incident, kind=CaseMessage.Kind.QUESTION, author=actor, body=body)
    case_notify(event=events.question_asked(incident=incident, actor=actor, message_id=message.pk))
    _question_email_queue(message_id=message.pk)
    return message


@transaction.atomic
def case_erdr_register(
    *, incident: Incident, actor: User, expected_version: int, erdr_number: str, registered_on: dt.date
) -> Incident:
    """Record the registration in the ERDR; the inquiry or investigation deadline starts counting."""
    number = clean_erdr_number(erdr_number)
    clean_erdr_registered_on(registered_on, incident=incident)
    incident = _transition(
        incident=incident,
        actor=actor,
        expected_version=expected_version,
        allowed=allowed_from("erdr"),
        status=Status.REGISTERED,
        erdr_number=number,
        erdr_registered_on=registered_on,
    )
    events.erdr_registered(incident=incident, actor=actor, erdr_number=number, registered_on=registered_on)
    return incident


@transaction.atomic
def case_forensic_record(*, incident: Incident, actor: User, expected_version: int, harm: str) -> Incident:
    """Record the forensic medical degree of harm; the case is re-tagged and a new notice made."""
    if harm not in ForensicHarm.values:
        raise ValidationError(_("Choose a degree of harm."), code="harm")
    previous = incident.forensic_harm
    incident = _transition(
        incident=incident,
        actor=actor,
        expected_version=expected_version,
        allowed=allowed_from("forensic"),
        forensic_harm=harm,
        forensic_recorded_at=timezone.now(),
    )
    events.forensic_recorded(incident=incident, actor=actor, harm=harm, previous=previous)
    incident_assess(incident=incident, trigger="forensic_result", actor=actor)
    incident.refresh_from_db()
    notice_request(incident=incident, actor=actor)
    return incident


@transaction.atomic
def case_suspect_identify(
    *,
    incident: Incident,
    actor: User,
    expected_version: int,
    full_name: str,
    iin: str,
    attacker: Attacker | None = None,
) -> Attacker:
    """Record an identified suspect (name, IIN): re-tags the case and may find a repeat."""
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ValidationError(_("Enter the suspect's full name."), code="full_name")
    iin = validate_iin(iin)
    if attacker is not None and attacker.incident_id != incident.pk:
        raise PermissionDenied
    incident = _transition(
        incident=incident, actor=actor, expected_version=expected_version, allowed=allowed_from("suspect")
    )
    created = attacker is None
    if attacker is None:
        attacker = Attacker(incident=incident)
    attacker.full_name = full_name
    attacker.name_key = name_key(full_name)
    attacker.identified_by_police = True
    attacker.save()
    attacker_set_iin(attacker=attacker, iin=iin)
    events.suspect_identified(incident=incident, actor=actor, attacker_id=attacker.pk, created=created)
    incident_assess(incident=incident, trigger="suspect_identified", actor=actor)
    incident.refresh_from_db()
    notice_request(incident=incident, actor=actor)
    return attacker


@transaction.atomic
def case_part_override(
    *, incident: Incident, actor: User, expected_version: int, part: int | None, reason: str
) -> Incident:
    """Set the Article 380-3 part by hand, with a reason (kept beside the computed tag)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the change."), code="reason")
    incident = _transition(
        incident=incident, actor=actor, expected_version=expected_version, allowed=allowed_from("override")
    )
    part_override_set(incident=incident, part=part, reason=reason, actor=actor)
    incident.refresh_from_db()
    notice_request(incident=incident, actor=actor)
    return incident


@transaction.atomic
def case_episode_link(
    *, incident: Incident, actor: User, expected_version: int, earlier_reference: str, linked: bool
) -> Incident:
    """Link (or unlink) an earlier report of the same suspect as one continuing episode (CC 12 p.3)."""
    incident = _transition(
        incident=incident, actor=actor, expected_version=expected_version, allowed=allowed_from("episode")
    )
    if linked:
        episode_link_set(incident=incident, earlier_reference=earlier_reference, actor=actor)
    else:
        episode_link_clear(incident=incident, earlier_reference=earlier_reference, actor=actor)
    incident.refresh_from_db()
    notice_request(incident=incident, actor=actor)
    return incident


@transaction.atomic
def case_hand_over(
    *, incident: Incident, actor: User, expected_version: int, post: PolicePost, reason: str = ""
) -> Incident:
    """Give the case to another police post; it starts there as a new case to acknowledge."""
    if post.pk == incident.police_post_id:
        raise CaseActionRefused(_("The case is already at this post."))
    if post.status != PolicePost.Status.ACTIVE:
        raise CaseActionRefused(_("That police post is not active."))
    previous_post = incident.police_post_id
    # A registered case keeps its registration; otherwise the new post acknowledges it afresh.
    status = Status.REGISTERED if incident.status == Status.REGISTERED else Status.SUBMITTED
    incident = _transition(
        incident=incident,
        actor=actor,
        expected_version=expected_version,
        allowed=allowed_from("handover"),
        police_post=post,
        police_department=post.police_department,
        status=status,
        **({} if status == Status.REGISTERED else {"acknowledged_at": None, "acknowledged_by": None}),
    )
    handed = events.handed_over(
        incident=incident, actor=actor, from_post_id=previous_post, to_post_id=post.pk, reason=reason.strip()
    )
    case_notify(event=handed)
    notice_request(incident=incident, actor=actor)
    return incident


def outcome_reason_clean(*, outcome: str, reason: str) -> str:
    """The outcome's reason, stripped; a refusal to start proceedings needs one (the form shows it by the field)."""
    reason = (reason or "").strip()
    if outcome == Outcome.REFUSED and not reason:
        raise ValidationError(_("A refusal needs a reason."), code="reason")
    return reason


@transaction.atomic
def case_close(*, incident: Incident, actor: User, expected_version: int, outcome: str, reason: str = "") -> Incident:
    """Record the case's outcome; the reporter sees it in "My reports".

    The status says where the case is, the outcome what the police decided, and they must not contradict
    each other for the nurse, the lead or the statistics funnel (reported → acknowledged → ERDR → court →
    closed):

    - "registered and under investigation" is not an end: the case is in the ERDR and the investigation
      goes on, so the status stays REGISTERED (the ERDR deadline keeps counting, `closed_at` stays empty)
      and the officer can later record the final outcome. It needs the ERDR registration first.
    - "sent to court" sets SENT_TO_COURT (also needs the ERDR registration); "refused" (with a reason)
      and "no offence" set CLOSED. These three are final: the case then refuses every action.
    """
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose an outcome."), code="outcome")
    reason = outcome_reason_clean(outcome=outcome, reason=reason)
    needs_erdr = outcome in (Outcome.UNDER_INVESTIGATION, Outcome.SENT_TO_COURT)
    allowed = frozenset({Status.REGISTERED}) if needs_erdr else allowed_from("close")
    if needs_erdr and incident.status == Status.ACKNOWLEDGED:
        raise CaseActionRefused(_("Register the case in the ERDR first."))
    if outcome == Outcome.UNDER_INVESTIGATION:
        if incident.outcome == Outcome.UNDER_INVESTIGATION:
            raise CaseActionRefused(_("This outcome is already recorded."))
        incident = _transition(
            incident=incident,
            actor=actor,
            expected_version=expected_version,
            allowed=allowed,
            outcome=outcome,
            outcome_reason=reason,
        )
    else:
        status = Status.SENT_TO_COURT if outcome == Outcome.SENT_TO_COURT else Status.CLOSED
        incident = _transition(
            incident=incident,
            actor=actor,
            expected_version=expected_version,
            allowed=allowed,
            status=status,
            outcome=outcome,
            outcome_reason=reason,
            closed_at=timezone.now(),
        )
    case_notify(event=events.outcome_recorded(incident=incident, actor=actor, outcome=outcome))
    return incident


# --- Time limits ----------------------------------------------------------------------------------------


def overdue_key(incident: Incident) -> str:
    """Identifies one overdue state: the status and when it began (a hand-over starts a new one)."""
    started = incident.status_changed_at or incident.submitted_at
    return f"{incident.status}:{incident.police_post_id}:{started.isoformat()}"


def case_overdue_notify(*, now: dt.datetime | None = None) -> int:
    """Flag each case that ran past its status's time limit once, and tell its post and facility lead."""
    now = now or timezone.now()
    flagged = 0
    for candidate in overdue_candidates(now=now):
        if not is_overdue(candidate, now=now):
            continue
        with transaction.atomic():
            incident = Incident.objects.select_for_update().get(pk=candidate.pk)
            if not is_overdue(incident, now=now):
                continue
            key = overdue_key(incident)
            if events.overdue_already_recorded(incident=incident, key=key):
                continue
            if incident.due_at is None:  # is_overdue read it: never None here
                continue
            event = events.case_overdue(incident=incident, key=key, status=incident.status, due=incident.due_at)
            _overdue_email_queue(event_id=event.pk)
            case_notify(event=event)
            flagged += 1
    return flagged


def overdue_recipients(incident: Incident, *, status: str) -> list[str]:
    """The post's address (as for notices) and, for the post's own limits, the facility's leads'."""
    recipients = notice_recipients(incident=incident)
    if status not in LEAD_WATCHED_STATUSES:
        return recipients
    leads = User.objects.filter(
        facility_memberships__facility=incident.facility_id, facility_memberships__is_lead=True, is_active=True
    ).exclude(email="")
    recipients += sorted({lead.email for lead in leads})
    return recipients


# --- E-mails: tasks queued on commit (common/emails.py), each sent once --------------------------------------


def _question_email_queue(*, message_id: int) -> None:
    from incidents.tasks import case_question_email_task  # tasks import this module: the Celery pair

    email_queue(kind="case-question", object_id=message_id, task=case_question_email_task)


def _overdue_email_queue(*, event_id: int) -> None:
    from incidents.tasks import case_overdue_email_task  # tasks import this module: the Celery pair

    email_queue(kind="case-overdue", object_id=event_id, task=case_overdue_email_task)


def case_question_email(*, message_id: int) -> bool:
    """Tell the reporter that the police asked a question (`case_question_email_task`); sent once."""
    message = CaseMessage.objects.select_related("incident__reporter").get(
        pk=message_id, kind=CaseMessage.Kind.QUESTION
    )
    context = {"incident": message.incident, "site_url": settings.SITE_URL}
    incident = message.incident
    # The reporter may have turned this e-mail off (notification settings): then it has nobody to go to.
    wanted = reporter_wants_email(incident=incident, kind=NotificationKind.QUESTION)
    to = [incident.reporter.email] if wanted else []
    return email_send(kind="case-question", object_id=message.pk, to=to, context=context)


def case_overdue_email(*, event_id: int) -> bool:
    """Tell the post and the facility's leads that a case is overdue (`case_overdue_email_task`); sent once."""
    event = IncidentEvent.objects.select_related(
        "incident__facility", "incident__police_post__police_department", "incident__police_department"
    ).get(pk=event_id, kind=IncidentEvent.Kind.OVERDUE)
    incident = event.incident
    # The status that ran past its limit, as flagged: the case may have moved on before the e-mail goes out.
    flagged = events.overdue_status_of(event)
    return email_send(
        kind="case-overdue",
        object_id=event.pk,
        to=overdue_recipients(incident, status=flagged),
        context={"incident": incident, "case_url": case_url(incident), "status": Status(flagged).label},
    )
