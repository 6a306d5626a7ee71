"""The case history: the one writer of `IncidentEvent` rows and the one reader of their payloads.

Everything that touches a case is recorded here, one function per kind of event (as Saleor's
`order/events.py`). Services call these inside their transaction; views never write history. The payload
keys are private to this module: other code reads them through the readers at the end (`outcome_of`,
`erdr_number_of`…), so a payload can change shape in one place.

What a payload never holds: an IIN, a name or free text the audience of the history may not see. The
history is shown to more people than the case's personal data is (a suspect's IIN is for the police only).
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from accounts.models import User
from incidents.models import Evidence, Incident, IncidentEvent, Notice, Outcome

Kind = IncidentEvent.Kind

# Events that carry the outcome the police recorded.
OUTCOME_EVENTS = (Kind.CLOSED, Kind.OUTCOME_RECORDED)
# Events whose message is shown in the reporter's timeline itself: listing both would say it twice.
SHOWN_AS_MESSAGES = (Kind.INFO_ADDED, Kind.QUESTION_ASKED, Kind.QUESTION_ANSWERED)


def _record(
    incident_id: int, kind: str, *, actor: User | None = None, visible_to_reporter: bool = False, **data: Any
) -> IncidentEvent:
    return IncidentEvent.objects.create(
        incident_id=incident_id, kind=kind, actor=actor, data=data, visible_to_reporter=visible_to_reporter
    )


# --- The report ------------------------------------------------------------------------------------------


def report_submitted(
    *, incident: Incident, actor: User, police_post_id: int | None, police_department_id: int, evidence_count: int
) -> IncidentEvent:
    return _record(
        incident.pk,
        Kind.SUBMITTED,
        actor=actor,
        visible_to_reporter=True,
        reference=incident.reference,
        police_post=police_post_id,
        police_department=police_department_id,
        evidence=evidence_count,
    )


def info_added(*, incident: Incident, actor: User, message_id: int) -> IncidentEvent:
    return _record(incident.pk, Kind.INFO_ADDED, actor=actor, visible_to_reporter=True, message=message_id)


def evidence_added(*, incident: Incident, actor: User, evidence: Sequence[Evidence]) -> IncidentEvent:
    return _record(
        incident.pk, Kind.EVIDENCE_ADDED, actor=actor, visible_to_reporter=True, evidence=[e.pk for e in evidence]
    )


def question_answered(*, incident: Incident, actor: User, message_id: int, question_id: int) -> IncidentEvent:
    return _record(
        incident.pk,
        Kind.QUESTION_ANSWERED,
        actor=actor,
        visible_to_reporter=True,
        question=question_id,
        message=message_id,
    )


# --- The legal tag ---------------------------------------------------------------------------------------


def legal_tagged(
    *,
    incident: Incident,
    actor: User | None,
    assessment_id: int,
    sequence: int,
    trigger: str,
    applicable: bool,
    part: int | None,
    previous_part: int | None,
    provisional: bool,
    changed: list[str],
    effective_part: int | None,
) -> IncidentEvent:
    return _record(
        incident.pk,
        Kind.TAGGED,
        actor=actor,
        assessment=assessment_id,
        sequence=sequence,
        trigger=trigger,
        applicable=applicable,
        part=part,
        previous_part=previous_part,
        provisional=provisional,
        changed=changed,
        effective_part=effective_part,
    )


def repeat_found(*, incident: Incident, actor: User | None, assessment_id: int, references: list[str]) -> IncidentEvent:
    # References only: the IIN that matched is never written into the history.
    return _record(incident.pk, Kind.REPEAT_FOUND, actor=actor, assessment=assessment_id, references=references)


def part_overridden(
    *,
    incident: Incident,
    actor: User,
    override_id: int,
    part: int | None,
    previous_part: int | None,
    computed_part: int | None,
    reason: str,
    replaced_id: int | None,
) -> IncidentEvent:
    return _record(
        incident.pk,
        Kind.PART_OVERRIDDEN,
        actor=actor,
        override=override_id,
        part=part,
        previous_part=previous_part,
        computed_part=computed_part,
        reason=reason,
        replaced=replaced_id,
    )


# --- Police case work ------------------------------------------------------------------------------------


def case_viewed(*, incident: Incident, actor: User) -> IncidentEvent | None:
    """The first time an officer opens the case: who has seen it is part of the history, each visit is not."""
    if incident.events.filter(kind=Kind.VIEWED, actor=actor).exists():
        return None
    return _record(incident.pk, Kind.VIEWED, actor=actor)


def report_viewed_by_lead(*, incident: Incident, actor: User) -> IncidentEvent:
    """A facility lead opened the report: every opening, as each is a read of the case's personal data."""
    return _record(incident.pk, Kind.LEAD_VIEWED, actor=actor)


def case_viewed_in_admin(*, incident: Incident, actor: User, model: str, object_id: int, masked: bool) -> IncidentEvent:
    """A page of the case (`model` row `object_id`) opened in Django admin: every opening, with whether its
    personal data was shown (`masked` False: the user also works the case's post) or hidden."""
    return _record(incident.pk, Kind.ADMIN_VIEWED, actor=actor, model=model, object=object_id, masked=masked)


def case_acknowledged(*, incident: Incident, actor: User) -> IncidentEvent:
    return _record(incident.pk, Kind.ACKNOWLEDGED, actor=actor, visible_to_reporter=True)


def question_asked(*, incident: Incident, actor: User, message_id: int) -> IncidentEvent:
    return _record(incident.pk, Kind.QUESTION_ASKED, actor=actor, visible_to_reporter=True, message=message_id)


def erdr_registered(*, incident: Incident, actor: User, erdr_number: str, registered_on: dt.date) -> IncidentEvent:
    return _record(
        incident.pk,
        Kind.ERDR_REGISTERED,
        actor=actor,
        visible_to_reporter=True,
        erdr_number=erdr_number,
        registered_on=registered_on.isoformat(),
    )


def forensic_recorded(*, incident: Incident, actor: User, harm: str, previous: str) -> IncidentEvent:
    return _record(incident.pk, Kind.FORENSIC_RECORDED, actor=actor, harm=harm, previous=previous)


def suspect_identified(*, incident: Incident, actor: User, attacker_id: int, created: bool) -> IncidentEvent:
    # The attacker's id, never the IIN. `created`: a person the police added, whom the reporting side must
    # not see (`police_added_attacker_ids`).
    return _record(incident.pk, Kind.SUSPECT_IDENTIFIED, actor=actor, attacker=attacker_id, created=created)


def handed_over(
    *, incident: Incident, actor: User, from_post_id: int | None, to_post_id: int, reason: str
) -> IncidentEvent:
    return _record(
        incident.pk,
        Kind.HANDED_OVER,
        actor=actor,
        visible_to_reporter=True,
        from_post=from_post_id,
        to_post=to_post_id,
        reason=reason,
    )


def outcome_recorded(*, incident: Incident, actor: User, outcome: str) -> IncidentEvent:
    """An investigation that goes on is an outcome recorded, not a closure: the kind says which."""
    kind = Kind.OUTCOME_RECORDED if outcome == Outcome.UNDER_INVESTIGATION else Kind.CLOSED
    return _record(incident.pk, kind, actor=actor, visible_to_reporter=True, outcome=outcome)


def case_overdue(*, incident: Incident, key: str, status: str, due: dt.datetime) -> IncidentEvent:
    return _record(incident.pk, Kind.OVERDUE, key=key, status=status, due=due.isoformat())


def overdue_already_recorded(*, incident: Incident, key: str) -> bool:
    """Whether this overdue state (`key`) was flagged already: each one is flagged once."""
    return incident.events.filter(kind=Kind.OVERDUE, data__key=key).exists()


# --- Notices and downloads -------------------------------------------------------------------------------


def notice_queued(*, notice: Notice, actor: User | None, rerun: bool = False) -> IncidentEvent:
    extra = {"rerun": True} if rerun else {}
    return _record(
        notice.incident_id,
        Kind.NOTICE_QUEUED,
        actor=actor,
        notice=notice.pk,
        version=notice.version,
        language=notice.language,
        **extra,
    )


def notice_ready(*, notice: Notice) -> IncidentEvent:
    return _record(
        notice.incident_id,
        Kind.NOTICE_READY,
        notice=notice.pk,
        version=notice.version,
        language=notice.language,
        sha256=notice.sha256,
    )


def notice_failed(*, notice: Notice, error: str) -> IncidentEvent:
    return _record(notice.incident_id, Kind.NOTICE_FAILED, notice=notice.pk, version=notice.version, error=error[:500])


def notice_sent(*, notice: Notice, recipients: list[str]) -> IncidentEvent:
    return _record(notice.incident_id, Kind.NOTICE_SENT, notice=notice.pk, version=notice.version, to=recipients)


def evidence_downloaded(*, evidence: Evidence, actor: User) -> IncidentEvent:
    # Who took a copy of personal data, and when, belongs in the case history.
    return _record(
        evidence.incident_id, Kind.EVIDENCE_DOWNLOADED, actor=actor, evidence_id=evidence.pk, sha256=evidence.sha256
    )


def notice_downloaded(*, notice: Notice, actor: User) -> IncidentEvent:
    return _record(notice.incident_id, Kind.NOTICE_DOWNLOADED, actor=actor, notice_id=notice.pk, sha256=notice.sha256)


# --- Reading payloads back -------------------------------------------------------------------------------


def _data(event: IncidentEvent) -> dict[str, Any]:
    return event.data or {}


def outcome_of(event: IncidentEvent) -> str | None:
    """The outcome an outcome event recorded (an `Outcome` value), else None."""
    outcome = _data(event).get("outcome") if event.kind in OUTCOME_EVENTS else None
    return outcome if outcome in Outcome.values else None


def outcome_label_of(event: IncidentEvent) -> str:
    outcome = outcome_of(event)
    return str(Outcome(outcome).label) if outcome else ""


def erdr_number_of(event: IncidentEvent) -> str:
    return str(_data(event).get("erdr_number") or "") if event.kind == Kind.ERDR_REGISTERED else ""


def overdue_status_of(event: IncidentEvent) -> str:
    """The status (a `Status` value) that ran past its time limit, as an overdue event flagged it."""
    return str(_data(event).get("status") or "") if event.kind == Kind.OVERDUE else ""


def reason_of(event: IncidentEvent) -> str:
    """The reason an officer gave (a hand-over, an override), for the police's own timeline."""
    return str(_data(event).get("reason") or "")


def admin_view_of(event: IncidentEvent) -> dict[str, Any]:
    """What an admin opening recorded: the page's model label, the row's id and whether it was masked."""
    if event.kind != Kind.ADMIN_VIEWED:
        return {}
    data = _data(event)
    return {"model": str(data.get("model", "")), "object": data.get("object"), "masked": bool(data.get("masked", True))}


def police_added_attacker_ids(events: Iterable[IncidentEvent]) -> set[int]:
    """Attackers the police added (not the reporter): police data, left out of the reporting side."""
    return {
        _data(event)["attacker"]
        for event in events
        if event.kind == Kind.SUSPECT_IDENTIFIED and _data(event).get("created") and "attacker" in _data(event)
    }
