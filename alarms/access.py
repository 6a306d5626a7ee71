"""Who may see which alarm. Every view and the live consumer load alarms through these.

The post's officers see their post's alarms; the facility lead once the ladder has reached them (step 2); the
district police department's officers once it has reached the duty unit (step 3); the reporter their own. Anyone
else gets 404, as for a case (accounts/permissions.py states the policy).

A post's duty roster is kept by its senior officers only (`DutyEntry.is_senior`); to anyone else it does not exist.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from alarms.models import Alarm, DutyEntry
from facilities.models import PolicePost


def _officer_q(user: User) -> Q:
    if not user.has_perm("incidents.work_case"):
        return Q(pk__in=[])
    post_ids = list(user.post_assignments.values_list("post_id", flat=True))
    department_ids = list(user.department_assignments.values_list("police_department_id", flat=True))
    return Q(post_id__in=post_ids) | Q(step__gte=Alarm.Step.DISTRICT, post__police_department_id__in=department_ids)


def _lead_q(user: User) -> Q:
    if not user.has_perm("incidents.view_facility_incidents"):
        return Q(pk__in=[])
    facility_ids = list(user.facility_memberships.filter(is_lead=True).values_list("facility_id", flat=True))
    return Q(step__gte=Alarm.Step.POST_AND_LEAD, facility_id__in=facility_ids)


def alarms_for(user: User) -> QuerySet[Alarm]:
    """Every alarm the user may see."""
    if not user.is_authenticated or not user.is_active:
        return Alarm.objects.none()
    return Alarm.objects.filter(Q(raised_by=user) | _officer_q(user) | _lead_q(user)).distinct()


def alarms_to_answer(user: User) -> QuerySet[Alarm]:
    """The alarms the user answers as an officer (acknowledge, arrive, close)."""
    if not user.is_authenticated or not user.is_active:
        return Alarm.objects.none()
    return Alarm.objects.filter(_officer_q(user))


def alarm_for(user: User, alarm_id: int) -> Alarm:
    alarm = (
        alarms_for(user)
        .select_related("facility", "post", "department", "acknowledged_by", "raised_by", "draft")
        .filter(pk=alarm_id)
        .first()
    )
    if alarm is None:
        raise Http404
    return alarm


def can_answer(user: User, alarm: Alarm) -> bool:
    return alarms_to_answer(user).filter(pk=alarm.pk).exists()


def can_close_as_false(user: User, alarm: Alarm) -> bool:
    """The reporter who raised it (pressed by mistake) or an officer who answers it."""
    return alarm.raised_by_id == user.pk or can_answer(user, alarm)


def roster_posts(user: User) -> QuerySet[PolicePost]:
    """The posts whose duty roster the user keeps (as their senior officer)."""
    return PolicePost.objects.filter(pk__in=DutyEntry.objects.filter(officer=user, is_senior=True).values("post"))


def roster_post(user: User, code: str) -> PolicePost:
    """The post of `code` if the user keeps its roster; 404 otherwise, whether or not the post exists."""
    post = roster_posts(user).filter(code=code).first()
    if post is None:
        raise Http404
    return post
