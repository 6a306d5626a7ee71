"""Who may see which incident. Every view that loads an incident goes through one of these.

Outsiders get 404, never 403: the existence of a case is itself confidential. The roles are read as
permissions, as the role gate reads them (accounts/permissions.py states the policy).
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from incidents.models import Incident


def facility_ids_led_by(user: User) -> list[int]:
    return list(user.facility_memberships.filter(is_lead=True).values_list("facility_id", flat=True))


def post_ids_of(user: User) -> list[int]:
    return list(user.post_assignments.values_list("post_id", flat=True))


def police_department_ids_of(user: User) -> list[int]:
    return list(user.department_assignments.values_list("police_department_id", flat=True))


def incidents_for_reporter(user: User) -> QuerySet[Incident]:
    """The reports a user filed themselves."""
    return Incident.objects.filter(reporter=user)


def incidents_for_facility_lead(user: User) -> QuerySet[Incident]:
    """Every report of the facilities the user leads."""
    if not user.has_perm("incidents.view_facility_incidents"):
        return Incident.objects.none()
    return Incident.objects.filter(facility_id__in=facility_ids_led_by(user))


@dataclass(frozen=True)
class OfficerScope:
    """The cases a user works as a police officer: those of their posts, and those routed to their district police
    department directly. Read once, then asked of many rows (an admin list) without a query per row."""

    post_ids: frozenset[int] = frozenset()
    department_ids: frozenset[int] = frozenset()

    def covers(self, incident: Incident) -> bool:
        if incident.police_post_id is not None:
            return incident.police_post_id in self.post_ids
        return incident.police_department_id in self.department_ids

    def as_q(self) -> Q:
        return Q(police_post_id__in=self.post_ids) | Q(
            police_post__isnull=True, police_department_id__in=self.department_ids
        )


def officer_scope(user: User) -> OfficerScope:
    """Nothing without the case-work permission, whatever posts the user is attached to."""
    if not user.has_perm("incidents.work_case"):
        return OfficerScope()
    return OfficerScope(frozenset(post_ids_of(user)), frozenset(police_department_ids_of(user)))


def incidents_for_officer(user: User) -> QuerySet[Incident]:
    """Cases routed to the officer's police posts, or to their district police department directly."""
    scope = officer_scope(user)
    if scope == OfficerScope():
        return Incident.objects.none()
    return Incident.objects.filter(scope.as_q())


def get_incident_for_reporter(user: User, pk: int) -> Incident:
    """An incident the user reported, or one of a facility they lead; 404 otherwise."""
    return get_object_or_404(incidents_for_reporter(user) | incidents_for_facility_lead(user), pk=pk)


def get_incident_for_officer(user: User, pk: int) -> Incident:
    """A case of the officer's posts; 404 for anyone else, analysts and administrators included."""
    if not user.has_perm("incidents.work_case"):
        raise Http404
    return get_object_or_404(incidents_for_officer(user), pk=pk)


def can_read_in_admin(scope: OfficerScope, incident: Incident | None) -> bool:
    """Case content in Django admin: administrators manage reference data and users, not cases, so a case's
    content is shown there (read-only) only to a user who also works it as an officer of its post."""
    return incident is not None and scope.covers(incident)


def can_see_reporter_identity(user: User, incident: Incident) -> bool:
    """A confidential reporter's name is for the police post and the facility lead only."""
    if not incident.reporter_confidential or incident.reporter_id == user.pk:
        return True
    if incidents_for_officer(user).filter(pk=incident.pk).exists():
        return True
    return incidents_for_facility_lead(user).filter(pk=incident.pk).exists()
