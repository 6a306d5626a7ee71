"""Who may see which incident. Every view that loads an incident goes through one of these.

Outsiders get 404, never 403: the existence of a case is itself confidential. The roles are read as
permissions, as the role gate reads them (accounts/permissions.py states the policy).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import PoliceDepartmentAssignment, PostAssignment, User
from incidents.models import Incident, Victim


def facility_ids_led_by(user: User) -> list[int]:
    return list(user.facility_memberships.filter(is_lead=True).values_list("facility_id", flat=True))


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


ASSIGNMENTS_SQL = (
    f"SELECT 'post', post_id FROM {PostAssignment._meta.db_table} WHERE user_id = %s"  # noqa: S608 - table names
    f" UNION ALL SELECT 'department', police_department_id FROM {PoliceDepartmentAssignment._meta.db_table}"
    " WHERE user_id = %s"
)


def officer_scope(user: User) -> OfficerScope:
    """Nothing without the case-work permission, whatever posts the user is attached to."""
    if not user.has_perm("incidents.work_case"):
        return OfficerScope()
    # One statement for both kinds of assignment: every officer page reads the scope, and the inbox's poll is little
    # more than this. Written out: building the ORM's UNION of two annotated querysets cost more than running it.
    with connection.cursor() as cursor:
        cursor.execute(ASSIGNMENTS_SQL, [user.pk, user.pk])
        assigned = cursor.fetchall()
    return OfficerScope(
        frozenset(pk for kind, pk in assigned if kind == "post"),
        frozenset(pk for kind, pk in assigned if kind == "department"),
    )


def incidents_for_officer(user: User) -> QuerySet[Incident]:
    """Cases routed to the officer's police posts, or to their district police department directly."""
    return incidents_in_scope(officer_scope(user))


def incidents_in_scope(scope: OfficerScope) -> QuerySet[Incident]:
    """The cases of an officer's scope read before (`officer_scope`)."""
    if scope == OfficerScope():
        return Incident.objects.none()
    return Incident.objects.filter(scope.as_q())


def incidents_for_reporting_side(user: User) -> QuerySet[Incident]:
    """The reports the user filed, and every report of the facilities they lead."""
    return incidents_for_reporter(user) | incidents_for_facility_lead(user)


def get_incident_for_reporter(user: User, pk: int) -> Incident:
    """An incident the user reported, or one of a facility they lead; 404 otherwise."""
    return get_object_or_404(incidents_for_reporting_side(user), pk=pk)


def get_incident_for_officer(
    user: User, pk: int, *, select_related: Sequence[str] = (), prefetch_related: Sequence["str | Prefetch[Any]"] = ()
) -> Incident:
    """A case of the officer's posts; 404 for anyone else, analysts and administrators included.

    `select_related`, `prefetch_related`: what the caller shows of the case, read along (the case page)."""
    if not user.has_perm("incidents.work_case"):
        raise Http404
    # The officer's posts and department as subqueries of the case's own statement: one round trip, not two (every
    # officer page of a case starts here; issue 14). The same cases as `incidents_for_officer`.
    assigned = Q(police_post_id__in=user.post_assignments.values("post_id")) | Q(
        police_post__isnull=True, police_department_id__in=user.department_assignments.values("police_department_id")
    )
    cases = Incident.objects.filter(assigned).select_related(*select_related).prefetch_related(*prefetch_related)
    return get_object_or_404(cases, pk=pk)


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


def victim_name_shown(victim: Victim, *, show_reporter: bool) -> str:
    """A victim's name as the reader may see it: the reporter's own is "" unless `show_reporter` (the answer of
    `can_see_reporter_identity`); the pages' templates write the same test."""
    return victim.full_name if show_reporter or not victim.is_reporter else ""
