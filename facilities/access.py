"""Who may open the facility pages: the reference list of facilities and their police posts.

Administrators, facility leads and police officers use it to find a facility, its post and its phone.
Reporters and analysts have no need for it and get 403: the list is reference data, not a secret, so
there is nothing to hide by answering 404.
"""

from accounts.models import User


def can_view_facility_pages(user: User) -> bool:
    return user.is_authenticated and (user.is_administrator or user.is_facility_lead or user.is_police_officer)
