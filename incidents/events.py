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
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from facilities.models import PolicePost
from incidents.models import (
    CaseFile,
    Evidence,
    ForensicHarm,
    ForwardMeans,
    Incident,
    IncidentEvent,
    Notice,
    Outcome,
    Status,
    VictimCompensation,
)

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


def report_withdrawn(*, incident: Incident, actor: User, reason: str) -> IncidentEvent:
    # The reporter's own words, for the post and for herself: both see this history entry.
    return _record(incident.pk, Kind.WITHDRAWN, actor=actor, visible_to_reporter=True, reason=reason)


def question_answered(*, incident: Incident, actor: User, message_id: int, question_id: int) -> IncidentEvent:
    return _record(
        incident.pk,
        Kind.QUESTION_ANSWERED,
        actor=actor,
        visible_to_reporter=True,
        question=question_id,
        message=message_id,
    )


# --- The alarm the report began as (alarms/services.py links them) ----------------------------------------


def alarm_linked(
    *,
    incident: Incident,
    alarm_id: int,
    raised_at: dt.datetime,
    acknowledged_after: float | None,
    arrived_after: float | None,
    sent: int,
    failed: int,
) -> IncidentEvent:
    """The report was filed from an alarm's draft: the alarm's times and how many messages reached people."""
    return _record(
        incident.pk,
        Kind.ALARM_LINKED,
        visible_to_reporter=True,
        alarm=alarm_id,
        raised_at=raised_at.isoformat(),
        acknowledged_after=acknowledged_after,
        arrived_after=arrived_after,
        sent=sent,
        failed=failed,
    )


def alarm_updated(*, incident: Incident, actor: User | None, alarm_id: int, status: str) -> IncidentEvent:
    """The alarm of this case was acknowledged, reached or closed after the report was filed."""
    return _record(
        incident.pk, Kind.ALARM_UPDATED, actor=actor, visible_to_reporter=True, alarm=alarm_id, status=status
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


def episode_linked(*, incident: Incident, actor: User, earlier_reference: str) -> IncidentEvent:
    # A reference of another case: shown to the police only (the default), as a repeat's are.
    return _record(incident.pk, Kind.EPISODE_LINKED, actor=actor, earlier=earlier_reference)


def episode_unlinked(*, incident: Incident, actor: User, earlier_reference: str) -> IncidentEvent:
    return _record(incident.pk, Kind.EPISODE_UNLINKED, actor=actor, earlier=earlier_reference)


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
    """The first time an officer opens the case: who has seen it is part of the history, each visit is not.

    From the history read with the case, when the case page read it (prefetched), else by a query."""
    prefetched = getattr(incident, "_prefetched_objects_cache", {})
    history = prefetched.get("events")
    if history is not None:
        seen = any(event.kind == Kind.VIEWED and event.actor_id == actor.pk for event in history)
    else:
        seen = incident.events.filter(kind=Kind.VIEWED, actor=actor).exists()
    if seen:
        return None
    event = _record(incident.pk, Kind.VIEWED, actor=actor)
    prefetched.pop("events", None)  # the history is read again, with this visit in it
    return event


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


def evidence_forwarded(*, evidence: Evidence, actor: User, recipient: str, means: str) -> IncidentEvent:
    # A copy left the post for the investigator, an expert or the court: a link of the item's chain of custody.
    return _record(
        evidence.incident_id,
        Kind.EVIDENCE_FORWARDED,
        actor=actor,
        evidence_id=evidence.pk,
        sha256=evidence.sha256,
        recipient=recipient,
        means=means,
    )


def notice_downloaded(*, notice: Notice, actor: User) -> IncidentEvent:
    return _record(notice.incident_id, Kind.NOTICE_DOWNLOADED, actor=actor, notice_id=notice.pk, sha256=notice.sha256)


def handoff_downloaded(*, incident: Incident, actor: User, via: str) -> IncidentEvent:
    # The case as a structured document for the police's own systems (ERDR, KUI): who took it, through what.
    return _record(incident.pk, Kind.HANDOFF_DOWNLOADED, actor=actor, version=incident.version, via=via)


# --- The whole case file ---------------------------------------------------------------------------------


def casefile_requested(*, casefile: CaseFile, actor: User) -> IncidentEvent:
    return _record(
        casefile.incident_id, Kind.CASEFILE_REQUESTED, actor=actor, casefile=casefile.pk, language=casefile.language
    )


def casefile_ready(*, casefile: CaseFile) -> IncidentEvent:
    return _record(casefile.incident_id, Kind.CASEFILE_READY, casefile=casefile.pk, sha256=casefile.sha256)


def casefile_failed(*, casefile: CaseFile, error: str) -> IncidentEvent:
    return _record(casefile.incident_id, Kind.CASEFILE_FAILED, casefile=casefile.pk, error=error[:500])


def casefile_downloaded(*, casefile: CaseFile, actor: User) -> IncidentEvent:
    # A copy of the whole case (personal data, the evidence's hashes) left the system: who and when.
    return _record(
        casefile.incident_id, Kind.CASEFILE_DOWNLOADED, actor=actor, casefile=casefile.pk, sha256=casefile.sha256
    )


# --- Compensation and support of victims ----------------------------------------------------------------


def compensation_recorded(
    *, compensation: VictimCompensation, incident: Incident, actor: User, changed: list[str]
) -> IncidentEvent:
    # The names of the fields that changed and the claim's status: amounts and health data stay in their row.
    return _record(
        incident.pk,
        Kind.COMPENSATION_RECORDED,
        actor=actor,
        victim=compensation.victim_id,
        changed=changed,
        claim_status=compensation.claim_status,
    )


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


def withdrawal_reason_of(event: IncidentEvent) -> str:
    """The reporter's reason for withdrawing her report (her own words: shown to her too)."""
    return str(_data(event).get("reason") or "") if event.kind == Kind.WITHDRAWN else ""


def admin_view_of(event: IncidentEvent) -> dict[str, Any]:
    """What an admin opening recorded: the page's model label, the row's id and whether it was masked."""
    if event.kind != Kind.ADMIN_VIEWED:
        return {}
    data = _data(event)
    return {"model": str(data.get("model", "")), "object": data.get("object"), "masked": bool(data.get("masked", True))}


def downloaded_evidence_id_of(event: IncidentEvent) -> int | None:
    """The evidence item an evidence download took a copy of."""
    value = _data(event).get("evidence_id") if event.kind == Kind.EVIDENCE_DOWNLOADED else None
    return value if isinstance(value, int) else None


@dataclass(frozen=True)
class EvidenceForward:
    evidence_id: int
    recipient: str
    means: str  # a ForwardMeans value

    @property
    def means_label(self) -> str:
        return str(ForwardMeans(self.means).label) if self.means in ForwardMeans.values else self.means


def forwarded_evidence_of(event: IncidentEvent) -> EvidenceForward | None:
    """Which evidence item a hand-over of a copy concerned, to whom and how."""
    if event.kind != Kind.EVIDENCE_FORWARDED:
        return None
    data = _data(event)
    evidence_id = data.get("evidence_id")
    if not isinstance(evidence_id, int):
        return None
    return EvidenceForward(evidence_id, str(data.get("recipient", "")), str(data.get("means", "")))


def handover_posts_of(event: IncidentEvent) -> tuple[int | None, int | None]:
    """(from, to) police post ids of a hand-over: the case, its evidence with it, went from one post to another."""
    if event.kind != Kind.HANDED_OVER:
        return None, None
    data = _data(event)
    return data.get("from_post"), data.get("to_post")


def police_added_attacker_ids(events: Iterable[IncidentEvent]) -> set[int]:
    """Attackers the police added (not the reporter): police data, left out of the reporting side."""
    return {
        _data(event)["attacker"]
        for event in events
        if event.kind == Kind.SUSPECT_IDENTIFIED and _data(event).get("created") and "attacker" in _data(event)
    }


def alarm_of(event: IncidentEvent) -> int | None:
    value = _data(event).get("alarm")
    return int(value) if value is not None else None


def describe(event: IncidentEvent) -> str:
    """The event's details in words, in the active language, for administrators (admin shows this, not the JSON).

    Ids and numbers only, as the payload holds them: no free text (an officer's or a reporter's reason is said to
    exist, not copied), and of a repeat only how many earlier reports matched.
    """
    data = _data(event)
    if event.kind == Kind.SUBMITTED:
        return _("reference %(reference)s; %(files)s file(s)") % {
            "reference": data.get("reference", ""),
            "files": data.get("evidence", 0),
        }
    if event.kind == Kind.TAGGED:
        part = data.get("effective_part") or data.get("part")
        text = _("part %(part)s") % {"part": part} if part else _("Article 380-3 does not apply")
        return text + (" · " + _("provisional") if data.get("provisional") else "")
    if event.kind == Kind.REPEAT_FOUND:
        return _("%(count)s earlier report(s) matched") % {"count": len(data.get("references") or [])}
    if event.kind in (Kind.EPISODE_LINKED, Kind.EPISODE_UNLINKED):
        return _("earlier report %(reference)s") % {"reference": data.get("earlier", "—")}
    if event.kind == Kind.PART_OVERRIDDEN:
        return _("part %(part)s, with a reason") % {"part": data.get("part") or "—"}
    if event.kind == Kind.ERDR_REGISTERED:
        return _("ERDR number %(number)s") % {"number": erdr_number_of(event)}
    if event.kind in OUTCOME_EVENTS:
        return outcome_label_of(event)
    if event.kind == Kind.HANDED_OVER:
        from_post, to_post = int(data.get("from_post") or 0), int(data.get("to_post") or 0)
        posts = dict(PolicePost.objects.filter(pk__in=[from_post, to_post]).values_list("pk", "code"))
        return _("from %(from)s to %(to)s") % {"from": posts.get(from_post, "—"), "to": posts.get(to_post, "—")}
    if event.kind == Kind.WITHDRAWN:
        return _("with a reason")
    if event.kind == Kind.OVERDUE:
        status = overdue_status_of(event)
        return str(Status(status).label) if status in Status.values else ""
    if event.kind in (Kind.NOTICE_QUEUED, Kind.NOTICE_READY, Kind.NOTICE_FAILED, Kind.NOTICE_SENT):
        return _("notice version %(version)s") % {"version": data.get("version", "—")}
    if event.kind == Kind.EVIDENCE_DOWNLOADED:
        return _("file #%(id)s") % {"id": data.get("evidence_id", "—")}
    if event.kind == Kind.EVIDENCE_FORWARDED:
        forward = forwarded_evidence_of(event)
        # The recipient is the officer's free text: said to exist, not copied (as reasons are).
        return _("file #%(id)s, %(means)s") % {
            "id": data.get("evidence_id", "—"),
            "means": forward.means_label if forward else "—",
        }
    if event.kind == Kind.NOTICE_DOWNLOADED:
        return _("notice #%(id)s") % {"id": data.get("notice_id", "—")}
    if event.kind == Kind.HANDOFF_DOWNLOADED:
        return _("case version %(version)s, through %(via)s") % {
            "version": data.get("version", "—"),
            "via": data.get("via", "—"),
        }
    if event.kind == Kind.ALARM_LINKED:
        return _(
            "alarm #%(id)s: acknowledged after %(ack)s s, officer arrived after %(arrived)s s; "
            "%(sent)s message(s) sent, %(failed)s failed"
        ) % {
            "id": data.get("alarm", "—"),
            "ack": data.get("acknowledged_after") if data.get("acknowledged_after") is not None else "—",
            "arrived": data.get("arrived_after") if data.get("arrived_after") is not None else "—",
            "sent": data.get("sent", 0),
            "failed": data.get("failed", 0),
        }
    if event.kind == Kind.ALARM_UPDATED:
        return _("alarm #%(id)s: %(status)s") % {"id": data.get("alarm", "—"), "status": data.get("status", "")}
    if event.kind == Kind.FORENSIC_RECORDED:
        harm = data.get("harm")
        return str(ForensicHarm(harm).label) if harm in ForensicHarm.values else ""
    return ""
