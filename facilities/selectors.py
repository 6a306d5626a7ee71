"""Reads about where a user works that more than one app needs (the alarms page, the API)."""

from accounts.models import FacilityMembership, User
from facilities.models import Facility


def member_facility(user: User, *, code: str = "") -> Facility | None:
    """The active facility the user acts from: the one with `code` when given (None unless they are a member of
    it), else the first they joined (the SOS button and the API's alarms both come from it)."""
    memberships = FacilityMembership.objects.filter(user=user, facility__is_active=True)
    if code:
        memberships = memberships.filter(facility__code=code)
    membership = memberships.select_related("facility").order_by("created_at", "pk").first()
    return membership.facility if membership is not None else None
