"""Which statistics reports a user may open: the ones they asked for, and the monthly ones of the schedule.

A report asked for on demand is its author's, reachable by nobody else even with its key (404, as for a case);
one whose author's account was deleted is nobody's. The scheduled monthly report has no author and is the
whole statistics area's.
"""

import uuid

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from analytics.models import StatisticsReport


def reports_for(user: User) -> QuerySet[StatisticsReport]:
    """The reports `user` may open (the caller has checked the statistics permission)."""
    return StatisticsReport.objects.filter(Q(requested_by=user) | Q(scheduled=True))


def get_report_for(user: User, key: uuid.UUID, *, ready: bool = False) -> StatisticsReport:
    """One report `user` may open, by its key (ready ones only with `ready`); 404 otherwise."""
    reports = reports_for(user).select_related("district")
    if ready:
        reports = reports.filter(status=StatisticsReport.Status.READY)
    return get_object_or_404(reports, key=key)
