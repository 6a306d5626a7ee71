"""The one home of a case's deadline: its procedure and when its current status runs out, stored on the row.

`Incident.procedure` and `Incident.due_at` are computed here and nowhere else, from `legal.rules` (the law's
numbers stay in `legal/statute.py`) and the status limits in settings; lists, counts, the overdue task and
the case page only read them ("overdue" is `due_at < now`). `incident_deadline_refresh` is called after every
change of the status (`services.cases._transition`) and of the effective part or assessment
(`services.tagging._store_effective`, which the submit path runs through). The functions above it are pure:
the backfill migration runs them on its historical rows.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from incidents.models import Incident, Status
from incidents.selectors.summaries import scope_changed
from incidents.selectors.tagging import assessment_current
from incidents.workflow import OPEN
from legal import statute
from legal.rules import investigation_due, procedure_for_part


class AssessedTag(Protocol):
    """What the deadline reads of the current assessment (a `LegalAssessment`, or a migration's copy of it)."""

    part: int | None
    result: Mapping[str, Any]
    facts: Mapping[str, Any]


class DeadlineFacts(Protocol):
    """What the deadline reads of the case (an `Incident`, or a migration's copy of it)."""

    status: str
    legal_part: int | None
    submitted_at: dt.datetime
    acknowledged_at: dt.datetime | None
    erdr_registered_on: dt.date | None


def procedure_of(*, part: int | None, assessment: AssessedTag | None) -> str:
    """`inquiry`, `preliminary_investigation`, or "" when neither the assessment nor a part says.

    A part set by hand (one that is not the current assessment's) decides, on the assessed facts: an inquiry
    needs a known adult suspect (CPC 189 p.3). Otherwise the assessment's procedure; without one, the part's.
    """
    part = part if part is not None and statute.CURRENT.has_part(part) else None  # 0 or unknown: no part
    if assessment is not None and part is not None and part != assessment.part:
        facts = assessment.facts or {}
        return procedure_for_part(
            part,
            suspect_identified=facts.get("suspect_identified") is not False,
            suspect_minor=facts.get("suspect_minor") is True or facts.get("suspect_under_16") is True,
        )
    procedure = (assessment.result or {}).get("procedure") if assessment is not None else None
    if procedure in statute.PROCEDURES:
        return str(procedure)
    if part is not None:
        return statute.CURRENT.part(part).procedure
    return ""


def investigation_ends_at(*, registered_on: dt.date, procedure: str) -> dt.datetime:
    """The local midnight after the last day of the pre-trial investigation (CPC 192, via `legal.rules`)."""
    last_day = investigation_due(registered_on, procedure)
    return dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_default_timezone())


def investigation_last_day(due_at: dt.datetime) -> dt.date:
    """The last day of the investigation whose stored `due_at` is `investigation_ends_at` (its inverse)."""
    return timezone.localtime(due_at, timezone.get_default_timezone()).date() - dt.timedelta(days=1)


def due_at_of(*, incident: DeadlineFacts, procedure: str) -> dt.datetime | None:
    """When the case's current status runs out, or None when it has no limit (closed, sent to court, cancelled).

    Submitted: QORGAU_ACK_DEADLINE_MINUTES after submission; acknowledged: QORGAU_REGISTER_DEADLINE_HOURS
    after the acknowledgement; registered in the ERDR: the end of the investigation's last day.
    """
    if incident.status == Status.SUBMITTED:
        return incident.submitted_at + dt.timedelta(minutes=settings.QORGAU_ACK_DEADLINE_MINUTES)
    if incident.status == Status.ACKNOWLEDGED and incident.acknowledged_at:
        return incident.acknowledged_at + dt.timedelta(hours=settings.QORGAU_REGISTER_DEADLINE_HOURS)
    if incident.status == Status.REGISTERED and incident.erdr_registered_on and procedure:
        return investigation_ends_at(registered_on=incident.erdr_registered_on, procedure=procedure)
    return None


def deadline_of(*, incident: DeadlineFacts, assessment: AssessedTag | None) -> tuple[str, dt.datetime | None]:
    """The case's (procedure, due_at), from its row and its current assessment."""
    procedure = procedure_of(part=incident.legal_part, assessment=assessment)
    return procedure, due_at_of(incident=incident, procedure=procedure)


def incident_deadline_refresh(*, incident: Incident) -> Incident:
    """Recompute the stored procedure and `due_at` of the case from its current row; written only if changed."""
    procedure, due_at = deadline_of(incident=incident, assessment=assessment_current(incident))
    if (incident.procedure, incident.due_at) != (procedure, due_at):
        # A derived value: no new version (the change that caused it bumped it) and no `updated_at`.
        Incident.objects.filter(pk=incident.pk).update(procedure=procedure, due_at=due_at)
        incident.procedure, incident.due_at = procedure, due_at
    # Every change of a case's status, part or post passes here: the inbox's cached counts of its scope go stale.
    scope_changed(post_ids=[incident.police_post_id], department_ids=[incident.police_department_id])
    return incident


def deadlines_refresh(*, every_case: bool = False) -> int:
    """Recompute the stored deadline of every open case (or of every case); returns how many changed.

    For when what it is computed from changes outside a case: the status limits in settings, or the law.
    """
    cases = Incident.objects.all() if every_case else Incident.objects.filter(status__in=OPEN)
    changed = 0
    for pk in cases.order_by("pk").values_list("pk", flat=True).iterator():
        with transaction.atomic():
            incident = Incident.objects.select_for_update().get(pk=pk)
            before = (incident.procedure, incident.due_at)
            incident_deadline_refresh(incident=incident)
            changed += before != (incident.procedure, incident.due_at)
    return changed
