"""Reads of a case outside the police's case page, recorded in the case history.

A facility lead sees every report of the facility, names and account included; who read which report, and
when, belongs in its history as the police's own openings and every download do. So does every opening of a
case's page in Django admin, masked or not.
"""

from accounts.models import User
from incidents import events
from incidents.models import Incident, IncidentEvent


def report_view(*, incident: Incident, actor: User) -> IncidentEvent | None:
    """`actor` (already allowed by an access helper) opened the report: recorded unless it is their own."""
    if incident.reporter_id == actor.pk:
        return None
    return events.report_viewed_by_lead(incident=incident, actor=actor)


def admin_case_view(*, incident: Incident, actor: User, model: str, object_id: int, masked: bool) -> IncidentEvent:
    """`actor` opened the admin page of a row of the case (`model`, `object_id`), its content masked or not."""
    return events.case_viewed_in_admin(incident=incident, actor=actor, model=model, object_id=object_id, masked=masked)


def case_handoff(*, incident: Incident, actor: User, via: str) -> IncidentEvent:
    """`actor` (an officer of the case, checked by the access helper) took the case's hand-off document."""
    return events.handoff_downloaded(incident=incident, actor=actor, via=via)
