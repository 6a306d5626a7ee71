"""Reads of a case's personal data on the reporting side, recorded in the case history.

A facility lead sees every report of the facility, names and account included; who read which report, and
when, belongs in its history as the police's own openings and every download do.
"""

from accounts.models import User
from incidents import events
from incidents.models import Incident, IncidentEvent


def report_view(*, incident: Incident, actor: User) -> IncidentEvent | None:
    """`actor` (already allowed by an access helper) opened the report: recorded unless it is their own."""
    if incident.reporter_id == actor.pk:
        return None
    return events.report_viewed_by_lead(incident=incident, actor=actor)
