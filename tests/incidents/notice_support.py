"""Helpers for the notice tests: a report with a legal tag to print, a notice requested with its tasks run."""

from incidents.models import Incident, Notice
from incidents.services import notices
from tests import factories


def tagged_incident(reporter, facility) -> Incident:
    """A report of `reporter` at `facility`, tagged under part 3 of Article 380-3 (what a notice prints)."""
    incident = factories.IncidentFactory(facility=facility, reporter=reporter)
    return factories.incident_update(incident, legal_applicable=True, legal_part=3)


def request_and_run(incident, capture, **kwargs) -> Notice:
    """A notice requested, its tasks run on commit (`capture` is the django_capture_on_commit_callbacks fixture)."""
    with capture(execute=True):
        notice = notices.notice_request(incident=incident, **kwargs)
    notice.refresh_from_db()
    return notice
